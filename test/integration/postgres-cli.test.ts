// Moving a station to the server and backing a server store up, through the
// CLI in child processes: migrate-to-pg copies a SQLite station (the file
// left byte for byte as it was) and `verify` passes on the server; `backup`
// of the server store and `restore` of that file into an empty database give
// a station that verifies, with the same parcels; `rotate-key` re-seals a
// server store's values and it still verifies.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../main/app/services';
import { openStore } from '../../main/store/engine/open-store';
import { runCliAsync } from '../helpers/cli';
import { fixtureRows, newStation, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { freshDatabase, PG_URL } from '../helpers/postgres';

const ENV = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

async function parcelsAt(url: string): Promise<{ waybill_no: string; pickup_code: string | null; name_ct: Buffer | null }[]> {
  const store = await openStore(url, { readOnly: true });
  try {
    return await store.all('SELECT waybill_no, pickup_code, name_ct FROM parcels ORDER BY id');
  } finally {
    await store.close();
  }
}

describe.skipIf(!PG_URL)('PostgreSQL through the CLI: migrate-to-pg, backup and restore, key rotation', () => {
  let tmp: ReturnType<typeof tempDir>;
  let dbs: Awaited<ReturnType<typeof freshDatabase>>[];
  let file: string;

  beforeEach(async () => {
    tmp = tempDir();
    dbs = [await freshDatabase(), await freshDatabase()];
    const made = newStation(tmp.dir);
    file = made.path;
    const s = createServices(made.station, { now: () => new Date(), workstation: 'counter-1' });
    const actor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor' as const, workstation: hostname() };
    await s.inbound.importManifest(actor, 'manifest-small.csv', readFixture('manifest-small.csv'));
    await s.inbound.scanIn(actor, { waybill: fixtureRows('manifest-small.csv')[0].waybill_no });
    await s.close();
  }, 60_000);
  afterEach(async () => {
    for (const db of dbs) await db.drop();
    tmp.cleanup();
  });

  it('moves a SQLite station to the server untouched, and backs the server store up and restores it', async () => {
    const before = sha(file);
    const moved = await runCliAsync(['migrate-to-pg', '--db', file, '--to', dbs[0].ownerUrl], ENV);
    expect(moved.stderr).toBe('');
    expect(moved.lines[0]).toMatchObject({ migrated: true, to: expect.not.stringContaining('@') as unknown });
    expect(sha(file)).toBe(before);
    const verified = await runCliAsync(['verify', '--db', dbs[0].appUrl], ENV);
    expect(verified.code, verified.stderr).toBe(0);
    const copied = await parcelsAt(dbs[0].appUrl);
    expect(copied).toHaveLength(fixtureRows('manifest-small.csv').length);
    expect(copied.filter((p) => p.pickup_code)).toHaveLength(1);

    // A second move into the same database is refused: it holds a station now.
    expect((await runCliAsync(['migrate-to-pg', '--db', file, '--to', dbs[0].ownerUrl], ENV)).stderr).toContain('ALREADY_INITIALISED');

    const out = join(tmp.dir, 'server.pcbak');
    const backup = await runCliAsync(['backup', '--db', dbs[0].appUrl, '--out', out], ENV);
    expect(backup.code, backup.stderr).toBe(0);
    // The same encrypted format: no waybill or ciphertext of the store readable in the file.
    expect(readFileSync(out).includes(Buffer.from(copied[0].waybill_no))).toBe(false);
    const restored = await runCliAsync(['restore', '--in', out, '--db', dbs[1].ownerUrl], ENV);
    expect(restored.code, restored.stderr).toBe(0);
    expect(restored.lines[0]).toMatchObject({ parcels: copied.length });
    expect((await runCliAsync(['verify', '--db', dbs[1].appUrl], ENV)).code).toBe(0);
    const back = await parcelsAt(dbs[1].appUrl);
    expect(back.map((p) => [p.waybill_no, p.pickup_code, p.name_ct?.toString('hex')])).toEqual(
      copied.map((p) => [p.waybill_no, p.pickup_code, p.name_ct?.toString('hex')]),
    );
    // A wrong passphrase restores nothing.
    const wrong = await runCliAsync(['restore', '--in', out, '--db', dbs[0].ownerUrl], { STATION_PASSPHRASE: 'not the passphrase' });
    expect(wrong.code).not.toBe(0);
  }, 300_000);

  it('rotates the key of a server store as the counters\' role: every value re-sealed, verify passes, the parcels still found', async () => {
    expect((await runCliAsync(['migrate-to-pg', '--db', file, '--to', dbs[0].ownerUrl], ENV)).code).toBe(0);
    const before = await parcelsAt(dbs[0].appUrl);
    const rotated = await runCliAsync(['rotate-key', '--db', dbs[0].appUrl], ENV);
    expect(rotated.code, rotated.stderr).toBe(0);
    const progress = rotated.lines[0] as { generation: number; done: number; total: number };
    expect(progress).toMatchObject({ generation: 2, done: progress.total });
    expect(progress.total).toBeGreaterThanOrEqual(before.length);
    const after = await parcelsAt(dbs[0].appUrl);
    // The envelope's second byte is its key generation.
    expect(after.filter((p) => p.name_ct).every((p) => p.name_ct![1] === 2)).toBe(true);
    const verified = await runCliAsync(['verify', '--db', dbs[0].appUrl], ENV);
    expect(verified.code, verified.stderr).toBe(0);
    const waybill = fixtureRows('manifest-small.csv')[0].waybill_no;
    const found = await runCliAsync(['lookup', '--db', dbs[0].appUrl, '--waybill', waybill], ENV);
    expect(found.code, found.stderr).toBe(0);
    expect(JSON.stringify(found.lines)).toContain(waybill);
  }, 300_000);
});
