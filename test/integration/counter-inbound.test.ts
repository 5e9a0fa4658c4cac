// Scan-in (入库): codes, slots, duplicates, hand-made parcels, and no code ever
// issued twice — across days, after the sequence wraps, and under two
// connections or two processes scanning the same store at once.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ParcelLookup } from '../../main/counter/lookup';
import { Settings } from '../../main/settings/settings';
import { SEQ_MAX } from '../../main/counter/shelf';
import { importManifest } from '../../main/inbound/import-manifest';
import { ScanIn } from '../../main/inbound/scan-in';
import { openStation, type EmbeddedStation, type Station } from '../../main/store/station';
import { clerk, countIn, inTx, scanNew, sfWaybill, testClock, transacted, type Transacted } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { codeOf } from '../helpers/results';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const ROOT = resolve(__dirname, '../..');
const rows = fixtureRows('manifest-small.csv');
const onShelfCodes = async (s: Station): Promise<string[]> =>
  (await s.store.all<{ pickup_code: string }>("SELECT pickup_code FROM parcels WHERE status = 'on_shelf'")).map((r) => r.pickup_code);
/** The occupancy kept by triggers equals a fresh count. */
const occupancyDrift = (s: Station): Promise<unknown[]> =>
  s.store.all(
    `SELECT * FROM (SELECT s.shelf, s.layer, s.occupied, (SELECT COUNT(*) FROM parcels p WHERE p.status = 'on_shelf'
       AND p.shelf = s.shelf AND p.layer = s.layer) AS actual FROM shelf_slots s) slot WHERE occupied <> actual`,
  );

describe.each(ENGINE_CASES)('scan-in (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let target: string;
  let dispose: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let scan: ScanIn;
  let scanT: Transacted<ScanIn>;
  beforeEach(async () => {
    tmp = tempDir();
    ({ target, station, dispose } = await newStationOn(engine, tmp.dir));
    await importManifest(station, 'small.csv', readFixture('manifest-small.csv'));
    clock = testClock();
    scan = new ScanIn(station, { now: clock.now });
    scanT = transacted(station, scan);
  });
  afterEach(async () => {
    // The station a test reopened, then the one made for it (closing it again does nothing).
    await station.close();
    await dispose();
    tmp.cleanup();
  });

  it('puts an expected parcel on the shelf with a shelf-layer-sequence code and returns only masked data', async () => {
    const row = rows[0];
    const r = await scanT.scan(clerk(7), { waybill: ` ${row.waybill_no.toLowerCase()} ` });
    expect(r).toMatchObject({ duplicate: false, created: false });
    expect(r.parcel).toMatchObject({ waybillNo: row.waybill_no, carrier: row.carrier, status: 'on_shelf', pickupCode: '1-1-1' });
    expect(Object.keys(r.parcel)).toEqual(['waybillNo', 'carrier', 'pickupCode', 'status', 'name', 'phone', 'address', 'item']);
    expect(JSON.stringify(r)).not.toContain(row.recipient_name);
    const stored = await station.store.get('SELECT shelf, layer, arrived_at, arrived_by FROM parcels WHERE waybill_no = ?', row.waybill_no);
    expect(stored).toEqual({ shelf: 1, layer: 1, arrived_at: clock.now().toISOString(), arrived_by: 7 });
  });

  it('flags a duplicate scan with the existing code and counts the parcel once', async () => {
    const first = await scanT.scan(clerk(1), { waybill: rows[1].waybill_no });
    clock.advance({ minutes: 1 });
    const again = await scanT.scan(clerk(2), { waybill: rows[1].waybill_no });
    expect(again).toMatchObject({ duplicate: true, created: false });
    expect(again.parcel.pickupCode).toBe(first.parcel.pickupCode);
    expect(await countIn(station, "SELECT COUNT(*) FROM parcels WHERE status = 'on_shelf'")).toBe(1);
    expect(await countIn(station, 'SELECT SUM(occupied) FROM shelf_slots')).toBe(1);
    expect(await station.store.value('SELECT arrived_by FROM parcels WHERE waybill_no = ?', rows[1].waybill_no)).toBe(1);
  });

  it('fills the least-occupied slot, so a slot emptied by pickups is filled first', async () => {
    await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(1), { shelves: 2, layers: 2 }));
    const codes = await Promise.all(rows.slice(0, 5).map(async (r) => (await scanT.scan(clerk(1), { waybill: r.waybill_no })).parcel.pickupCode));
    expect(codes).toEqual(['1-1-1', '1-2-2', '2-1-3', '2-2-4', '1-1-5']);
    // A pickup empties 2-1, which is now the emptiest slot.
    await station.store.run("UPDATE parcels SET status = 'picked_up' WHERE pickup_code = '2-1-3'");
    expect((await scanT.scan(clerk(1), { waybill: rows[5].waybill_no })).parcel.pickupCode).toBe('2-1-6');
    expect(await occupancyDrift(station)).toEqual([]);
  });

  it('restarts the sequence each station-local day, skipping codes still on the shelf', async () => {
    await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(1), { shelves: 1, layers: 1 }));
    const day1 = await Promise.all(rows.slice(0, 3).map(async (r) => (await scanT.scan(clerk(1), { waybill: r.waybill_no })).parcel.pickupCode));
    expect(day1).toEqual(['1-1-1', '1-1-2', '1-1-3']);
    await station.store.run("UPDATE parcels SET status = 'picked_up' WHERE pickup_code = '1-1-2'");
    // 23:59 in Beijing is still the same day; 00:00 is the next.
    clock.set('2025-06-02T15:59:00Z');
    expect((await scanT.scan(clerk(1), { waybill: rows[3].waybill_no })).parcel.pickupCode).toBe('1-1-4');
    clock.set('2025-06-02T16:00:00Z');
    const day2 = await Promise.all(rows.slice(4, 7).map(async (r) => (await scanT.scan(clerk(1), { waybill: r.waybill_no })).parcel.pickupCode));
    expect(day2).toEqual(['1-1-2', '1-1-5', '1-1-6']);
    expect(new Set(await onShelfCodes(station)).size).toBe(6);
  });

  it('wraps the sequence without colliding with a parcel still on the shelf', async () => {
    await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(1), { shelves: 1, layers: 1 }));
    await scanT.scan(clerk(1), { waybill: rows[0].waybill_no });
    await scanT.scan(clerk(1), { waybill: rows[1].waybill_no });
    await station.store.run('UPDATE pickup_code_days SET last_seq = ?', SEQ_MAX - 1);
    expect((await scanT.scan(clerk(1), { waybill: rows[2].waybill_no })).parcel.pickupCode).toBe(`1-1-${SEQ_MAX}`);
    expect((await scanT.scan(clerk(1), { waybill: rows[3].waybill_no })).parcel.pickupCode).toBe('1-1-3');
  });

  it('backs the check with a unique index: no two parcels on the shelf share a code', async () => {
    const a = await scanT.scan(clerk(1), { waybill: rows[0].waybill_no });
    await scanT.scan(clerk(1), { waybill: rows[1].waybill_no });
    await expect(station.store.run('UPDATE parcels SET pickup_code = ? WHERE waybill_no = ?', a.parcel.pickupCode, rows[1].waybill_no)).rejects.toThrow(/unique/i);
    // Off the shelf, an old code may repeat: history keeps it.
    await station.store.run("UPDATE parcels SET status = 'picked_up' WHERE waybill_no = ?", rows[0].waybill_no);
    await station.store.run('UPDATE parcels SET pickup_code = ? WHERE waybill_no = ?', a.parcel.pickupCode, rows[1].waybill_no);
  });

  it('issues distinct codes when two connections to one store interleave their scans', async () => {
    const other = await openStation(target, TEST_PASSPHRASE);
    try {
      const scanB = transacted(other, new ScanIn(other, { now: clock.now }));
      const codes: (string | null)[] = [];
      for (const [i, r] of rows.slice(0, 120).entries()) codes.push((await (i % 2 ? scanB : scanT).scan(clerk(1 + (i % 2)), { waybill: r.waybill_no })).parcel.pickupCode);
      expect(new Set(codes).size).toBe(120);
      // The same waybill from the other connection is a duplicate, not a second code.
      expect(await scanB.scan(clerk(2), { waybill: rows[0].waybill_no })).toMatchObject({ duplicate: true, parcel: { pickupCode: codes[0] } });
      expect(new Set(await onShelfCodes(station)).size).toBe(120);
      expect(await occupancyDrift(station)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  // SQLite's file write lock and busy timeout; a server's lock waits are postgres-write-lock.test.ts.
  it.skipIf(engine.name === 'postgres')('while one connection holds the write lock, the other waits and then gives up cleanly, writing nothing', async () => {
    const file = station as EmbeddedStation;
    const other = (await openStation(target, TEST_PASSPHRASE)) as EmbeddedStation;
    try {
      const scanB = transacted(other, new ScanIn(other, { now: clock.now }));
      other.db.pragma('busy_timeout = 50');
      file.db.exec('BEGIN IMMEDIATE');
      await expect(scanB.scan(clerk(2), { waybill: rows[200].waybill_no })).rejects.toThrow(/busy|locked/i);
      file.db.exec('ROLLBACK');
      expect((await scanB.scan(clerk(2), { waybill: rows[200].waybill_no })).duplicate).toBe(false);
      expect(await onShelfCodes(station)).toHaveLength(1);
      expect(await occupancyDrift(station)).toEqual([]);
    } finally {
      await other.close();
    }
  });

  it('issues distinct codes when two processes scan overlapping batches at the same moment', async () => {
    await station.close();
    const waybills = rows.map((r) => r.waybill_no);
    const readyDir = join(tmp.dir, 'race-ready');
    mkdirSync(readyDir);
    const race = (clerkId: number, list: string[]) =>
      new Promise<{ waybill: string; code: string; duplicate: boolean; at: number }[]>((done, fail) => {
        const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['test/helpers/counter-scan-worker.ts', target, list.join(',')], {
          cwd: ROOT,
          env: { ...process.env, STATION_PASSPHRASE: TEST_PASSPHRASE, CLERK_ID: String(clerkId), READY_DIR: readyDir },
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d: Buffer) => (out += d));
        child.stderr.on('data', (d: Buffer) => (err += d));
        child.on('exit', (code) =>
          code === 0 ? done(out.split('\n').filter(Boolean).map((l) => JSON.parse(l))) : fail(new Error(err)),
        );
      });
    // 100 waybills are scanned by both processes.
    const [a, b] = await Promise.all([race(1, waybills.slice(0, 200)), race(2, waybills.slice(100, 300))]);
    // The two really ran at once.
    expect(Math.min(a.at(-1)!.at, b.at(-1)!.at)).toBeGreaterThan(Math.max(a[0].at, b[0].at));
    station = await openStation(target, TEST_PASSPHRASE);
    const codes = await onShelfCodes(station);
    expect(codes).toHaveLength(300);
    expect(new Set(codes).size).toBe(300);
    const byWaybill = new Map(a.map((x) => [x.waybill, x]));
    for (const x of b.filter((y) => byWaybill.has(y.waybill))) {
      const y = byWaybill.get(x.waybill)!;
      expect(x.code).toBe(y.code);
      expect(Number(x.duplicate) + Number(y.duplicate)).toBe(1);
    }
    expect(await occupancyDrift(station)).toEqual([]);
  }, 60_000);

  describe('a parcel in no manifest', () => {
    it('is created from the typed recipient, sealed, and shown masked', async () => {
      const waybill = sfWaybill();
      expect(await codeOf(() => scanT.scan(clerk(1), { waybill }))).toBe('RECIPIENT_REQUIRED');
      expect(await countIn(station, 'SELECT COUNT(*) FROM parcels WHERE waybill_no = ?', waybill)).toBe(0);
      const r = await scanNew(station, scan, '+86 139-1234-5678', clerk(3), waybill);
      expect(r.created).toBe(true);
      expect(r.parcel).toMatchObject({ carrier: 'SF', name: '张**', phone: '*******5678', status: 'on_shelf', item: '物品' });
      const stored = (await station.store.get<{ source: string; phone_ct: Buffer }>('SELECT source, phone_ct FROM parcels WHERE waybill_no = ?', waybill))!;
      expect(stored.source).toBe('manual');
      expect(stored.phone_ct.includes(Buffer.from('13912345678'))).toBe(false);
      // Findable like any imported parcel, by the blind index.
      expect((await new ParcelLookup(station).find(station.store, { by: 'phone', value: '13912345678' })).map((p) => p.waybillNo)).toEqual([waybill]);
    });

    it('asks for the carrier when the number does not give it away', async () => {
      const recipient = { name: '李四', phone: '13800001111' };
      expect(await codeOf(() => scanT.scan(clerk(1), { waybill: 'BN0000012345', recipient }))).toBe('CARRIER_REQUIRED');
      const r = await scanT.scan(clerk(1), { waybill: 'BN0000012345', carrier: 'YUNDA', recipient });
      expect(r.parcel).toMatchObject({ carrier: 'YUNDA', waybillNo: 'BN0000012345' });
    });

    it('refuses bad input before writing anything', async () => {
      const before = await countIn(station, 'SELECT COUNT(*) FROM parcels');
      expect(await codeOf(() => scanT.scan(clerk(1), { waybill: 'SF-12' }))).toBe('INVALID_INPUT');
      expect(await codeOf(() => scanNew(station, scan, 'call me maybe'))).toBe('INVALID_INPUT');
      expect(await codeOf(() => scanT.scan(clerk(1), { waybill: sfWaybill(), recipient: { name: '  ', phone: '13800001111' } }))).toBe('INVALID_INPUT');
      expect(await countIn(station, 'SELECT COUNT(*) FROM parcels')).toBe(before);
    });
  });

  it('refuses to scan in again a parcel that has left', async () => {
    await scanT.scan(clerk(1), { waybill: rows[0].waybill_no });
    await station.store.run("UPDATE parcels SET status = 'picked_up' WHERE waybill_no = ?", rows[0].waybill_no);
    expect(await codeOf(() => scanT.scan(clerk(1), { waybill: rows[0].waybill_no }))).toBe('PARCEL_ALREADY_OUT');
  });
});
