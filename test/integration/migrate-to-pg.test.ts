// Moving a station to PostgreSQL: a store that went through the counter
// (imports, scan-in, handovers with sealed notes, returns, an audit chain with
// a signed checkpoint) arrives on the server table by table, every value as it
// was (sealed values and chain hashes byte for byte); the file is untouched; a
// server that already holds a station is refused with nothing changed.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log';
import { openStore } from '../../main/store/engine/open-store';
import { migratePostgres } from '../../main/store/engine/postgres/migrations';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import type { Store } from '../../main/store/engine/store';
import { migrateToPostgres } from '../../main/store/migrate-to-pg';
import { clerk, testClock } from '../helpers/counter';
import { newStation, tempDir } from '../helpers/fixtures';
import { workThroughCounter } from '../helpers/lifecycle';
import { freshDatabase, PG_URL } from '../helpers/postgres';

/** Every row of every table, in key order. */
async function everything(store: Store, tables: string[]): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) out[t] = await store.all(`SELECT * FROM ${t} ORDER BY 1, 2`);
  return out;
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe.skipIf(!PG_URL)('migrate-to-pg', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let source: Store;
  let target: PostgresStore;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    tmp = tempDir();
    const made = newStation(tmp.dir);
    path = made.path;
    const clock = testClock('2026-03-02T02:00:00Z');
    await workThroughCounter(made.station, clock);
    const audit = new AuditLog(made.station, clock.now);
    await made.station.store.transaction((tx) => audit.record(tx, { action: 'parcels.view', actor: clerk(1), parcelIds: [1, 2, 3], detail: { by: 'tail' } }));
    await audit.checkpoint('export');
    made.station.close();
    source = await openStore(path, { readOnly: true });
    const db = await freshDatabase();
    drop = db.drop;
    target = await PostgresStore.open(db.ownerUrl);
    await migratePostgres(target);
  }, 60_000);
  afterAll(async () => {
    await source?.close();
    await target?.close();
    await drop?.();
    tmp?.cleanup();
  });

  it('copies every table row for row and value for value, and leaves the file as it was', async () => {
    const before = sha256(path);
    const copied = await migrateToPostgres(source, target);
    expect(sha256(path)).toBe(before);

    const tables = (await source.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")).map((t) => t.name);
    expect(Object.keys(copied).sort()).toEqual(tables);
    const expected = await everything(source, tables);
    for (const t of ['parcels', 'handovers', 'return_batches', 'chain_entries', 'chain_checkpoints', 'meta', 'shelf_slots']) expect(expected[t].length, t).toBeGreaterThan(0);
    const actual = await everything(target, tables);
    for (const t of tables) expect({ [t]: actual[t] }).toEqual({ [t]: expected[t] });
    for (const t of tables) expect(copied[t], t).toBe(expected[t].length);
  });

  it('continues the copied ids and refuses to copy onto a station, changing nothing', async () => {
    const lastHandover = Number(await target.value('SELECT max(id) FROM handovers'));
    const id = await target.value(
      "INSERT INTO return_batches (carrier, created_by, created_at) VALUES ('sf', 1, 'now') RETURNING id",
    );
    expect(id).toBe(Number(await source.value('SELECT max(id) FROM return_batches')) + 1);
    await target.run('DELETE FROM return_batches WHERE id = ?', id as number);

    await expect(migrateToPostgres(source, target)).rejects.toMatchObject({ code: 'ALREADY_INITIALISED' });
    expect(await target.value('SELECT max(id) FROM handovers')).toBe(lastHandover);
    expect(await target.value('SELECT count(*) FROM parcels')).toBe(await source.value('SELECT count(*) FROM parcels'));
  });
});
