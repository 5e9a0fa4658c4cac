// Parcel rows bound together by their row MAC: swapping what identifies a
// parcel (waybill number) or finds it (phone blind index) between two rows
// with plain SQL is caught by every read that shows a parcel and by verify.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ParcelLookup } from '../../main/counter/lookup';
import { PickupDesk } from '../../main/counter/pickup';
import { ReturnDesk } from '../../main/counter/returns';
import { createServices } from '../../main/app/services';
import { ScanIn } from '../../main/inbound/scan-in';
import { ParcelEraser } from '../../main/lifecycle/erase';
import { KeyRotation } from '../../main/lifecycle/rotation';
import { scanParcelRows } from '../../main/store/parcel-integrity';
import { maskedParcelById, openPersonalField } from '../../main/store/parcels';
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { runCli } from '../helpers/cli';
import { clerk, scanNew, inTx, transacted } from '../helpers/counter';
import { fixturePath, fixtureRows, newStation, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

// A has two parcels, B one; all three share the tail 1234.
const A = '13800001234';
const B = '13900001234';

const errorOf = async (fn: () => unknown): Promise<AppError> => {
  try {
    await fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
};

/** Swaps one column's values between two rows, through a value no row has (waybills are unique per carrier). */
function swap(db: Database.Database, column: string, a: number, b: number): void {
  const get = db.prepare(`SELECT ${column} FROM parcels WHERE id = ?`).pluck();
  const [va, vb] = [get.get(a), get.get(b)];
  const set = db.prepare(`UPDATE parcels SET ${column} = ? WHERE id = ?`);
  db.transaction(() => {
    set.run(column === 'waybill_no' ? 'SWAP' : null, a);
    set.run(va, b);
    set.run(vb, a);
  })();
}

// SQLite only: plain SQL on the SQLite file with its guards dropped (README, "Tests against PostgreSQL").
describe('parcel row integrity', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let path: string;
  let ids: { a1: number; a2: number; b: number };
  let waybills: { a1: string; a2: string; b: string };
  beforeEach(async () => {
    tmp = tempDir();
    ({ path, station } = newStation(tmp.dir));
    const scan = new ScanIn(station);
    const [a1, a2, b] = [await scanNew(station, scan, A), await scanNew(station, scan, A), await scanNew(station, scan, B)];
    ids = { a1: a1.parcelId, a2: a2.parcelId, b: b.parcelId };
    waybills = { a1: a1.parcel.waybillNo, a2: a2.parcel.waybillNo, b: b.parcel.waybillNo };
  });
  afterEach(() => {
    station.close();
    tmp.cleanup();
  });

  it('an untouched store passes: every search finds its parcels and verify finds no damaged row', async () => {
    const lookup = transacted(station, new ParcelLookup(station));
    expect(await lookup.search({ by: 'tail', value: '1234' })).toMatchObject({ tampered: [] });
    expect(await lookup.find({ by: 'tail', value: '1234' })).toHaveLength(3);
    expect((await lookup.find({ by: 'waybill', value: waybills.b }))[0].phone).toBe('*******1234');
    expect(scanParcelRows(station.db, station.keys)).toEqual({ rows: 3, damaged: [] });
  });

  it('swapped waybill numbers: the lookup names the damaged parcel instead of showing another person’s card, and keeps the good results', async () => {
    swap(station.db, 'waybill_no', ids.a1, ids.b);
    const lookup = transacted(station, new ParcelLookup(station));
    // B's row now carries A's first waybill: before the row MAC, this showed B's card for A's parcel.
    expect(await lookup.search({ by: 'waybill', value: waybills.a1 })).toEqual({ parcels: [], tampered: [ids.b] });
    const e = await errorOf(() => lookup.find({ by: 'waybill', value: waybills.a1 }));
    expect(e.code).toBe('TAMPERED');
    expect(e.detail).toBe(`parcel ${ids.b}`);
    const tail = await lookup.search({ by: 'tail', value: '1234' });
    expect(tail.parcels.map((p) => p.id)).toEqual([ids.a2]);
    expect(tail.tampered.sort()).toEqual([ids.a1, ids.b].sort());
    expect(scanParcelRows(station.db, station.keys)).toEqual({ rows: 3, damaged: [ids.a1, ids.b] });
    // Every other way a card or a value reaches a screen refuses the row too.
    expect((await errorOf(() => maskedParcelById(station.store, station.keys, ids.b))).code).toBe('TAMPERED');
    expect((await errorOf(() => openPersonalField(station.store, station.keys, ids.a1, 'name'))).code).toBe('TAMPERED');
    expect(await openPersonalField(station.store, station.keys, ids.a2, 'name')).toBe('张三丰');
    // A list the clerk acts on as a whole (the return run) refuses, naming the first damaged parcel.
    expect((await errorOf(() => transacted(station, new ReturnDesk(station)).overdue({ days: 0 }))).detail).toBe(`parcel ${ids.a1}`);
  });

  it('scan-in of a damaged row refuses before shelving it or recording anything', async () => {
    swap(station.db, 'waybill_no', ids.a1, ids.b);
    // B's row, carrying A's first waybill, not yet arrived; A's first row, carrying B's, on the shelf.
    station.db.prepare("UPDATE parcels SET status = 'expected', shelf = NULL, layer = NULL, pickup_code = NULL, arrived_at = NULL WHERE id = ?").run(ids.b);
    const auditEntries = () => (station.db.prepare("SELECT count(*) AS n FROM chain_entries WHERE log = 'audit'").get() as { n: number }).n;
    const before = auditEntries();
    const { inbound } = createServices(station, { now: () => new Date(), workstation: 'test' });
    for (const [waybill, damaged] of [[waybills.a1, ids.b], [waybills.b, ids.a1]] as const) {
      const e = await errorOf(() => inbound.scanIn(clerk(1), { waybill }));
      expect(e.code).toBe('TAMPERED');
      expect(e.detail).toBe(`parcel ${damaged}`);
    }
    expect(station.db.prepare('SELECT status, pickup_code FROM parcels WHERE id = ?').get(ids.b)).toEqual({ status: 'expected', pickup_code: null });
    expect(auditEntries()).toBe(before);
  });

  it('a swapped phone index: a phone search reports the row that is not that customer’s, the counter shows only the good parcels', async () => {
    swap(station.db, 'phone_bidx', ids.a1, ids.b);
    const lookup = transacted(station, new ParcelLookup(station));
    expect(await lookup.search({ by: 'phone', value: B })).toEqual({ parcels: [], tampered: [ids.a1] });
    const byA = await lookup.search({ by: 'phone', value: A });
    expect(byA.parcels.map((p) => p.id)).toEqual([ids.a2]);
    expect(byA.tampered).toEqual([ids.b]);
    const desk = transacted(station, new PickupDesk(station));
    const found = await desk.find({ by: 'phone', value: A });
    expect(found).toMatchObject({ kind: 'customer', tampered: [ids.b] });
    expect(found.kind === 'customer' && found.parcels.map((p) => p.id)).toEqual([ids.a2]);
    // Handing over by the swapped row is refused, and nothing changes.
    expect((await errorOf(() => desk.handOver(clerk(1), { customerParcelId: ids.a2, waybill: waybills.b, proxy: false }))).code).toBe('TAMPERED');
    expect(station.db.prepare('SELECT status FROM parcels WHERE id = ?').pluck().get(ids.b)).toBe('on_shelf');
    expect(scanParcelRows(station.db, station.keys).damaged).toEqual([ids.a1, ids.b]);
  });

  it('a sealed value altered inside, its tag kept: verify names the row, and opening it fails', async () => {
    const name = station.db.prepare('SELECT name_ct FROM parcels WHERE id = ?').pluck().get(ids.a2) as Buffer;
    name[20] ^= 1;
    station.db.prepare('UPDATE parcels SET name_ct = ? WHERE id = ?').run(name, ids.a2);
    expect(scanParcelRows(station.db, station.keys)).toEqual({ rows: 3, damaged: [ids.a2] });
    expect((await errorOf(() => openPersonalField(station.store, station.keys, ids.a2, 'name'))).code).toBe('TAMPERED');
  });

  it('erasure and key rotation keep intact rows intact and damaged rows damaged', async () => {
    station.db.prepare("UPDATE parcels SET status = 'picked_up' WHERE id IN (?, ?)").run(ids.a2, ids.b);
    swap(station.db, 'phone_bidx', ids.a1, ids.b);
    await inTx(station, (tx) => new ParcelEraser(station.keys).erase(tx, [ids.a2, ids.b], new Date().toISOString()));
    expect(station.db.prepare('SELECT count(*) FROM parcels WHERE erased_at IS NOT NULL').pluck().get()).toBe(2);
    expect(scanParcelRows(station.db, station.keys).damaged).toEqual([ids.a1, ids.b]);
    const rotation = new KeyRotation(station);
    await rotation.begin(TEST_PASSPHRASE);
    expect(await rotation.run()).toMatchObject({ generation: 2 });
    expect(scanParcelRows(station.db, station.keys)).toEqual({ rows: 3, damaged: [ids.a1, ids.b] });
    expect(await transacted(station, new ParcelLookup(station)).find({ by: 'waybill', value: waybills.a2 })).toEqual([expect.objectContaining({ id: ids.a2, name: '' })]);
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(scanParcelRows(station.db, station.keys).damaged).toEqual([ids.a1, ids.b]);
  });

  it('a store from before row MACs gets them once at unlock; a MAC removed later counts as damage', () => {
    station.db.exec("UPDATE parcels SET row_mac = NULL; INSERT INTO meta (key, value) VALUES ('parcels.row_mac', 'backfill')");
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(scanParcelRows(station.db, station.keys)).toEqual({ rows: 3, damaged: [] });
    station.db.prepare('UPDATE parcels SET row_mac = NULL WHERE id = ?').run(ids.b);
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(scanParcelRows(station.db, station.keys).damaged).toEqual([ids.b]);
  });
});

describe('parcel row integrity through the CLI', { timeout: 180_000 }, () => {
  const PASS = { STATION_PASSPHRASE: 'cli test passphrase' };
  const tmp = tempDir();
  const db = join(tmp.dir, 'station.db');
  const rows = fixtureRows('manifest-small.csv');
  afterAll(() => tmp.cleanup());
  beforeAll(() => {
    expect(runCli(['init', '--db', db], PASS).code).toBe(0);
    expect(runCli(['import', '--db', db, fixturePath('manifest-small.csv')], PASS).code).toBe(0);
  }, 60_000);

  it('verify reports no damaged row on an untouched store, then names every swapped row; lookup names the parcel and exits non-zero', () => {
    const clean = runCli(['verify', '--db', db], PASS);
    expect(clean.code, clean.stderr).toBe(0);
    expect(clean.lines.at(-1)).toEqual({ table: 'parcels', ok: true, rows: rows.length, damaged: [] });

    const raw = new Database(db);
    const idOf = raw.prepare('SELECT id FROM parcels WHERE waybill_no = ?').pluck();
    const [a, b] = [idOf.get(rows[3].waybill_no) as number, idOf.get(rows[4].waybill_no) as number];
    swap(raw, 'waybill_no', a, b);
    raw.close();

    const looked = runCli(['lookup', '--db', db, '--waybill', rows[3].waybill_no], PASS);
    expect(looked.code).toBe(1);
    expect(looked.lines).toEqual([]);
    const error = JSON.parse(looked.stderr) as { error: { code: string; message: string } };
    expect(error.error.code).toBe('TAMPERED');
    expect(error.error.message).toContain(`parcel ${b}`);
    expect(error.error.message).toMatch(/篡改.*tampered/);

    const verified = runCli(['verify', '--db', db], PASS);
    expect(verified.code).toBe(1);
    expect(verified.lines.at(-1)).toEqual({ table: 'parcels', ok: false, rows: rows.length, damaged: [a, b].sort((x, y) => x - y) });
    expect(verified.lines.slice(0, -1).every((l) => (l as { ok: boolean }).ok)).toBe(true);
    const storeOnly = runCli(['verify', '--db', db, '--store'], PASS);
    expect(storeOnly.code).toBe(1);
    expect(storeOnly.lines).toEqual([verified.lines.at(-1)]);
  });
});
