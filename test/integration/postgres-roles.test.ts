// The server enforces what the app may do: connected as the counters' role,
// the chain tables can be read and appended to but not rewritten, emptied or
// stripped of their triggers, whatever the application does. These are the
// server's refusals (permission denied, must be owner), not the triggers':
// as the owner, the triggers still stop the same statements.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAIN_TABLES } from '../../main/store/engine/postgres/grants';
import { migratePostgres } from '../../main/store/engine/postgres/migrations';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { freshDatabase, PG_APP_URL, PG_URL } from '../helpers/postgres';

const entry = (seq: number) => ['audit', seq, '2026-12-07T10:00:00Z', '{}', new Uint8Array(32), new Uint8Array(32).fill(seq)] as const;
const INSERT_ENTRY = 'INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)';

describe.skipIf(!PG_URL || !PG_APP_URL)('PostgreSQL roles', () => {
  let owner: PostgresStore;
  let app: PostgresStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    const db = await freshDatabase();
    drop = db.drop;
    owner = await PostgresStore.open(db.ownerUrl);
    await migratePostgres(owner);
    app = await PostgresStore.open(db.appUrl);
  });
  afterAll(async () => {
    await app?.close();
    await owner?.close();
    await drop?.();
  });

  it('lets the app role append to and read a chain, and work on the other tables', async () => {
    await app.run(INSERT_ENTRY, ...entry(1));
    expect(await app.value('SELECT count(*) FROM chain_entries')).toBe(1);
    await app.run("INSERT INTO settings (key, value) VALUES ('k', 'v')");
    expect((await app.run("UPDATE settings SET value = 'w' WHERE key = 'k'")).changes).toBe(1);
    expect((await app.run("DELETE FROM settings WHERE key = 'k'")).changes).toBe(1);
  });

  it('refuses the app role UPDATE, DELETE and TRUNCATE on every chain table by grant', async () => {
    for (const table of CHAIN_TABLES) {
      for (const sql of [`UPDATE ${table} SET seq = seq`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        await expect(app.run(sql)).rejects.toMatchObject({ code: '42501', message: `permission denied for table ${table}` });
      }
      const privileges = await app.get<Record<string, number>>(
        `SELECT has_table_privilege(current_user, ?, 'UPDATE') AS update, has_table_privilege(current_user, ?, 'DELETE') AS delete,
                has_table_privilege(current_user, ?, 'TRUNCATE') AS truncate, has_table_privilege(current_user, ?, 'TRIGGER') AS trigger,
                has_table_privilege(current_user, ?, 'INSERT') AS insert`,
        table, table, table, table, table,
      );
      expect(privileges).toEqual({ update: 0, delete: 0, truncate: 0, trigger: 0, insert: 1 });
    }
    expect(await app.value('SELECT count(*) FROM chain_entries')).toBe(1);
  });

  it('refuses the app role dropping or disabling a trigger, altering a table or creating one', async () => {
    await expect(app.exec('DROP TRIGGER chain_entries_no_update ON chain_entries')).rejects.toThrow(/^must be owner of (table|relation) chain_entries$/);
    await expect(app.exec('ALTER TABLE chain_entries DISABLE TRIGGER ALL')).rejects.toThrow(/^must be owner of (table|relation) chain_entries$/);
    await expect(app.exec('DROP TABLE shred_ledger')).rejects.toThrow(/^must be owner of (table|relation) shred_ledger$/);
    await expect(app.exec('CREATE TABLE t (x int)')).rejects.toMatchObject({ message: 'permission denied for schema public' });
    await expect(app.exec("SET session_replication_role = 'replica'")).rejects.toMatchObject({ code: '42501' });
    await expect(app.run('INSERT INTO schema_migrations (version) VALUES (99)')).rejects.toMatchObject({ code: '42501' });
  });

  it('stops even the owner at the append-only triggers', async () => {
    for (const sql of ['UPDATE chain_entries SET payload = payload', 'DELETE FROM chain_entries', 'TRUNCATE chain_entries']) {
      await expect(owner.run(sql)).rejects.toThrow('chain entries are append-only');
    }
    expect(await owner.value('SELECT count(*) FROM chain_entries')).toBe(1);
  });
});
