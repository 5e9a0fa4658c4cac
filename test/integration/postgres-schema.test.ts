// The PostgreSQL schema is the SQLite schema after all its migrations, table
// by table: columns (name, order, type, nullability, default), primary keys,
// unique constraints, named indexes (columns, uniqueness, partial predicate),
// foreign keys and triggers. A migration added to one engine and not the
// other fails here.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../../main/store/database';
import { migratePostgres, LATEST_POSTGRES_SCHEMA, postgresSchemaVersion } from '../../main/store/engine/postgres/migrations';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { SqliteStore } from '../../main/store/engine/sqlite-store';
import type { Store } from '../../main/store/engine/store';
import { migrate } from '../../main/store/migrations';
import { freshDatabase, PG_URL } from '../helpers/postgres';

interface Column {
  name: string;
  type: string;
  nullable: boolean;
  default: string | null;
}
interface Index {
  columns: string[];
  unique: boolean;
  where: string | null;
}
interface Table {
  columns: Column[];
  primaryKey: string[];
  /** UNIQUE constraints, by their columns. */
  uniques: string[][];
  /** Indexes created by name. */
  indexes: Record<string, Index>;
  /** `column -> table.column`, sorted. */
  foreignKeys: string[];
}
type Schema = Record<string, Table>;

/** An index column that is an expression (both engines name none). */
const EXPRESSION = '(expression)';

const SQLITE_TYPES: Record<string, string> = { INTEGER: 'bigint', TEXT: 'text', BLOB: 'bytea' };

const SERVER_ONLY_INDEX = 'parcels_tail_lookup';

/** A predicate as both engines print it: casts, parentheses, case and spacing dropped. */
const predicate = (sql: string | null) =>
  sql === null ? null : sql.replace(/::[a-z ]+/g, '').replace(/[()]/g, '').replace(/\s+/g, ' ').trim().toLowerCase();
/** A default as both engines print it: PostgreSQL's cast dropped. */
const defaultValue = (sql: string | null) => (sql === null ? null : sql.replace(/::[a-z ]+$/, ''));

async function sqliteSchema(store: Store): Promise<Schema> {
  const schema: Schema = {};
  const tables = await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name");
  for (const { name } of tables) {
    const info = await store.all<{ name: string; type: string; notnull: number; dflt_value: string | null; pk: number }>('SELECT * FROM pragma_table_info(?)', name);
    const table: Table = {
      columns: info.map((c) => ({ name: c.name, type: SQLITE_TYPES[c.type] ?? c.type, nullable: !c.notnull && !c.pk, default: c.dflt_value })),
      primaryKey: info.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name),
      uniques: [],
      indexes: {},
      foreignKeys: (await store.all<{ from: string; table: string; to: string }>('SELECT * FROM pragma_foreign_key_list(?)', name))
        .map((f) => `${f.from} -> ${f.table}.${f.to}`)
        .sort(),
    };
    for (const ix of await store.all<{ name: string; unique: number; origin: string }>('SELECT * FROM pragma_index_list(?)', name)) {
      const columns = (await store.all<{ name: string | null }>('SELECT name FROM pragma_index_info(?) ORDER BY seqno', ix.name)).map((c) => c.name ?? EXPRESSION);
      if (ix.origin === 'u') table.uniques.push(columns);
      if (ix.origin !== 'c') continue;
      const sql = await store.value<string>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", ix.name);
      table.indexes[ix.name] = { columns, unique: ix.unique === 1, where: predicate(/\bWHERE\b([\s\S]*)$/i.exec(sql!)?.[1] ?? null) };
    }
    table.uniques.sort();
    schema[name] = table;
  }
  return schema;
}

async function postgresSchema(store: Store): Promise<Schema> {
  const schema: Schema = {};
  const tables = await store.all<{ name: string }>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name <> 'schema_migrations' ORDER BY table_name",
  );
  for (const { name } of tables) {
    const info = await store.all<{ name: string; type: string; nullable: string; default: string | null }>(
      `SELECT column_name AS name, data_type AS type, is_nullable AS nullable, column_default AS default
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name = ? ORDER BY ordinal_position`,
      name,
    );
    const indexes = await store.all<{ name: string; columns: string; unique: number; primary: number; constraint: string | null; where: string | null }>(
      `SELECT i.relname AS name, ix.indisunique AS unique, ix.indisprimary AS primary, c.contype AS constraint,
              pg_get_expr(ix.indpred, ix.indrelid) AS where,
              (SELECT string_agg(coalesce(a.attname, '${EXPRESSION}'), ',' ORDER BY k.n) FROM unnest(ix.indkey) WITH ORDINALITY AS k(attnum, n)
                 LEFT JOIN pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum) AS columns
         FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid JOIN pg_class t ON t.oid = ix.indrelid
         LEFT JOIN pg_constraint c ON c.conindid = ix.indexrelid
        WHERE t.relname = ? AND t.relnamespace = 'public'::regnamespace`,
      name,
    );
    const foreignKeys = await store.all<{ fk: string }>(
      `SELECT a.attname || ' -> ' || ft.relname || '.' || fa.attname AS fk
         FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_class ft ON ft.oid = c.confrelid
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
         JOIN pg_attribute fa ON fa.attrelid = c.confrelid AND fa.attnum = c.confkey[1]
        WHERE c.contype = 'f' AND t.relname = ? AND t.relnamespace = 'public'::regnamespace`,
      name,
    );
    const table: Table = {
      columns: info.map((c) => ({ name: c.name, type: c.type, nullable: c.nullable === 'YES', default: defaultValue(c.default) })),
      primaryKey: indexes.find((i) => i.primary)?.columns.split(',') ?? [],
      uniques: indexes.filter((i) => i.constraint === 'u').map((i) => i.columns.split(',')).sort(),
      indexes: {},
      foreignKeys: foreignKeys.map((f) => f.fk).sort(),
    };
    for (const ix of indexes.filter((i) => !i.primary && i.constraint === null)) {
      table.indexes[ix.name] = { columns: ix.columns.split(','), unique: ix.unique === 1, where: predicate(ix.where) };
    }
    schema[name] = table;
  }
  return schema;
}

describe.skipIf(!PG_URL)('PostgreSQL schema', () => {
  let dir: string;
  let sqlite: SqliteStore;
  let pgStore: PostgresStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'pc-pg-schema-'));
    const db = openDatabase(join(dir, 'store.db'), { mustExist: false });
    migrate(db);
    sqlite = new SqliteStore(db);
    const pgDb = await freshDatabase();
    drop = pgDb.drop;
    pgStore = await PostgresStore.open(pgDb.ownerUrl);
    await migratePostgres(pgStore);
  });
  afterAll(async () => {
    await sqlite?.close();
    await pgStore?.close();
    await drop?.();
    rmSync(dir, { recursive: true, force: true });
  });

  it('has the same tables, columns, keys, indexes and foreign keys as the SQLite store', async () => {
    const expected = await sqliteSchema(sqlite);
    const actual = await postgresSchema(pgStore);
    // The server's own index (postgres/migrations/005 says why SQLite needs none); its shape is checked here.
    expect(actual.parcels.indexes[SERVER_ONLY_INDEX]).toEqual({
      columns: ['tail_bidx', 'id'],
      unique: false,
      where: predicate("status = 'expected' OR status = 'on_shelf'"),
    });
    delete actual.parcels.indexes[SERVER_ONLY_INDEX];
    expect(Object.keys(actual)).toEqual(Object.keys(expected));
    for (const name of Object.keys(expected)) expect({ [name]: actual[name] }).toEqual({ [name]: expected[name] });
  });

  it('has the SQLite triggers under the same names, and refuses TRUNCATE of the chain tables too', async () => {
    const sqliteTriggers = (await sqlite.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'")).map((t) => t.name);
    const pgTriggers = (await pgStore.all<{ name: string }>('SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal')).map((t) => t.name);
    const truncates = ['chain_entries_no_truncate', 'chain_checkpoints_no_truncate', 'shred_ledger_no_truncate'];
    expect(pgTriggers.sort()).toEqual([...sqliteTriggers, ...truncates].sort());
  });

  it('keeps the shelf-slot counts as the SQLite triggers do and compares user names without case', async () => {
    for (const store of [sqlite, pgStore] as Store[]) {
      await store.run(
        "INSERT INTO parcels (id, carrier, waybill_no, status, item_category, source, created_at) VALUES (1, 'sf', 'W1', 'expected', '物品', 'manual', 'now')",
      );
      await store.run("UPDATE parcels SET status = 'on_shelf', shelf = 2, layer = 3 WHERE id = 1");
      expect(await store.value('SELECT occupied FROM shelf_slots WHERE shelf = 2 AND layer = 3')).toBe(1);
      await store.run("UPDATE parcels SET status = 'picked_up' WHERE id = 1");
      expect(await store.value('SELECT sum(occupied) FROM shelf_slots')).toBe(0);
      await store.run(
        "INSERT INTO users (username, display_name, role, password_hash, totp_secret_ct, created_at) VALUES ('Wang', 'w', 'clerk', 'h', ?, 'now')",
        new Uint8Array([1]),
      );
      expect(await store.value('SELECT id FROM users WHERE username = ?', 'WANG')).toBe(1);
      await expect(
        store.run("INSERT INTO users (username, display_name, role, password_hash, totp_secret_ct, created_at) VALUES ('wANG', 'x', 'clerk', 'h', ?, 'now')", new Uint8Array([1])),
      ).rejects.toThrow();
    }
  });

  it('records its version and applies nothing twice', async () => {
    expect(await postgresSchemaVersion(pgStore)).toBe(LATEST_POSTGRES_SCHEMA);
    await Promise.all([migratePostgres(pgStore), migratePostgres(pgStore)]);
    expect(await pgStore.value('SELECT count(*) FROM schema_migrations')).toBe(LATEST_POSTGRES_SCHEMA);
    expect(await pgStore.value('SELECT count(*) FROM shelf_slots')).toBe(100);
  });
});
