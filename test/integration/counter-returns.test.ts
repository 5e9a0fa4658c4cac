import { codeOf } from '../helpers/results';
// Overdue parcels, return-to-courier batches, problem flags, the daily view
// and the counter settings, with a clock the tests move across days.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { dailyReport } from '../../main/counter/daily';
import { PickupDesk } from '../../main/counter/pickup';
import { ProblemFlags } from '../../main/counter/problems';
import { ReturnDesk } from '../../main/counter/returns';
import { Settings } from '../../main/settings/settings';
import { openText } from '../../main/crypto/envelope';
import { ScanIn } from '../../main/inbound/scan-in';
import type { Station } from '../../main/store/station';
import { clerk, countIn, inTx, scanNew, testClock, transacted, type Transacted } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';


let serial = 0;
const waybillFor: Record<'SF' | 'JT', () => string> = {
  SF: () => `SF${2_000_000_000_000 + ++serial}`,
  JT: () => `JT${2_000_000_000_000 + ++serial}`,
};

describe.each(ENGINE_CASES)('overdue, returns, problems and the daily view (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let scan: ScanIn;
  let returns: Transacted<ReturnDesk>;
  /** Scans in a parcel of the carrier; returns its id and waybill. */
  const arrive = async (carrier: 'SF' | 'JT' = 'SF', phone = `139${String(++serial).padStart(8, '0')}`) => {
    const waybill = waybillFor[carrier]();
    await scanNew(station, scan, phone, clerk(1), waybill);
    return { waybill, id: (await station.store.value<number>('SELECT id FROM parcels WHERE waybill_no = ?', waybill))! };
  };

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    clock = testClock();
    scan = new ScanIn(station, { now: clock.now });
    returns = transacted(station, new ReturnDesk(station, { now: clock.now }));
  });
  afterEach(async () => {
    await dispose();
    tmp.cleanup();
  });

  describe('overdue', () => {
    it('lists parcels once they have waited the configured days, longest first, in station-local days', async () => {
      clock.set('2025-06-01T15:30:00Z'); // 23:30 on 1 June in Beijing
      const late = await arrive();
      clock.set('2025-06-01T16:30:00Z'); // 00:30 on 2 June
      const next = await arrive();
      clock.set('2025-06-04T02:00:00Z');
      const recent = await arrive();

      clock.set('2025-06-07T23:00:00Z'); // 8 June in Beijing: 7 days after 1 June
      expect((await returns.overdue()).map((p) => [p.id, p.daysOnShelf])).toEqual([[late.id, 7]]);
      clock.set('2025-06-08T16:00:00Z'); // 9 June
      expect((await returns.overdue()).map((p) => [p.id, p.daysOnShelf])).toEqual([
        [late.id, 8],
        [next.id, 7],
      ]);
      expect((await returns.overdue({ days: 5 })).map((p) => p.id)).toEqual([late.id, next.id, recent.id]);
      expect((await returns.overdue({ days: 5, limit: 1 })).map((p) => p.id)).toEqual([late.id]);
      await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), { overdueDays: 3 }));
      expect(await returns.overdue()).toHaveLength(3);
      expect(await returns.overdue({ carrier: 'JT' })).toEqual([]);
    });
  });

  describe('return batches', () => {
    it('sets parcels aside by carrier, scans them out, and returns what the courier took', async () => {
      const [a, b, c] = [await arrive(), await arrive(), await arrive()];
      const jt = await arrive('JT');
      clock.advance({ days: 8 });
      const batch = await returns.moveToReturnBatch(clerk(2), { parcelIds: [a.id, b.id] });
      expect(batch).toMatchObject({ carrier: 'SF', parcels: 2, scanned: 0, handedToCourierAt: null });
      expect((await returns.moveToReturnBatch(clerk(2), { batchId: batch.id, parcelIds: [c.id] })).parcels).toBe(3);
      // Set-aside parcels leave the overdue list.
      expect((await returns.overdue()).map((p) => p.id)).toEqual([jt.id]);
      expect((await returns.openBatches()).map((s) => s.id)).toEqual([batch.id]);

      expect(await codeOf(() => returns.scanOut(clerk(2), jt.waybill, batch.id))).toBe('NOT_IN_RETURN_BATCH');
      await returns.scanOut(clerk(2), a.waybill.toLowerCase(), batch.id);
      expect(await returns.scanOut(clerk(2), b.waybill, batch.id)).toMatchObject({ parcels: 3, scanned: 2 });

      clock.advance({ minutes: 30 });
      const { batch: done, leftOnShelf } = await returns.handToCourier(clerk(3), batch.id);
      expect(leftOnShelf).toBe(1);
      expect(done).toMatchObject({ parcels: 2, scanned: 2, handedToCourierAt: clock.now().toISOString() });
      expect(done.items.map((p) => [p.id, p.status])).toEqual([
        [a.id, 'returned'],
        [b.id, 'returned'],
      ]);
      expect(await station.store.get('SELECT carrier, created_by, handed_by FROM return_batches')).toEqual({
        carrier: 'SF',
        created_by: 2,
        handed_by: 3,
      });
      expect(await station.store.value('SELECT returned_at FROM parcels WHERE id = ?', a.id)).toBe(clock.now().toISOString());
      // The parcel not scanned is back in the overdue list; the closed batch no longer changes.
      expect((await returns.overdue()).map((p) => p.id).sort()).toEqual([c.id, jt.id].sort());
      expect(await codeOf(() => returns.scanOut(clerk(2), c.waybill, batch.id))).toBe('RETURN_BATCH_CLOSED');
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(2), { batchId: batch.id, parcelIds: [c.id] }))).toBe('RETURN_BATCH_CLOSED');
      expect(await returns.openBatches()).toEqual([]);
    });

    it('scans a parcel out of whichever open batch holds it when no batch is named', async () => {
      const [sf, jt, loose] = [await arrive(), await arrive('JT'), await arrive()];
      clock.advance({ days: 8 });
      const sfBatch = await returns.moveToReturnBatch(clerk(2), { parcelIds: [sf.id] });
      const jtBatch = await returns.moveToReturnBatch(clerk(2), { parcelIds: [jt.id] });
      expect(await returns.scanOut(clerk(2), jt.waybill)).toMatchObject({ id: jtBatch.id, scanned: 1 });
      expect(await returns.scanOut(clerk(2), sf.waybill.toLowerCase())).toMatchObject({ id: sfBatch.id, scanned: 1 });
      // Named, the batch must be the one holding the parcel; a parcel in no open batch is refused either way.
      expect(await codeOf(() => returns.scanOut(clerk(2), jt.waybill, sfBatch.id))).toBe('NOT_IN_RETURN_BATCH');
      expect(await codeOf(() => returns.scanOut(clerk(2), loose.waybill))).toBe('NOT_IN_RETURN_BATCH');
      await returns.handToCourier(clerk(2), jtBatch.id);
      expect(await codeOf(() => returns.scanOut(clerk(2), jt.waybill))).toBe('NOT_IN_RETURN_BATCH');
      expect((await returns.openBatches()).map((b) => [b.id, b.scanned])).toEqual([[sfBatch.id, 1]]);
    });

    it('asks for the batch when two carriers share the waybill number and both parcels await return', async () => {
      const sf = await arrive();
      // A JT parcel under the very same number, typed in by hand with its carrier.
      await inTx(station, (tx) => scan.scan(tx, clerk(1), { waybill: sf.waybill, carrier: 'JT', recipient: { name: '李四', phone: '13900000001' } }));
      const jtId = (await station.store.value<number>("SELECT id FROM parcels WHERE waybill_no = ? AND carrier = 'JT'", sf.waybill))!;
      clock.advance({ days: 8 });
      const sfBatch = await returns.moveToReturnBatch(clerk(2), { parcelIds: [sf.id] });
      const jtBatch = await returns.moveToReturnBatch(clerk(2), { parcelIds: [jtId] });
      expect(await codeOf(() => returns.scanOut(clerk(2), sf.waybill))).toBe('RETURN_BATCH_AMBIGUOUS');
      expect(await returns.scanOut(clerk(2), sf.waybill, jtBatch.id)).toMatchObject({ id: jtBatch.id, scanned: 1 });
      expect((await returns.batch(sfBatch.id)).scanned).toBe(0);
      expect(await returns.scanOut(clerk(2), sf.waybill, sfBatch.id)).toMatchObject({ id: sfBatch.id, scanned: 1 });
    });

    it('refuses a mixed, off-shelf or already set-aside selection as a whole', async () => {
      const [a, b] = [await arrive(), await arrive()];
      const jt = await arrive('JT');
      const batches = () => countIn(station, 'SELECT COUNT(*) FROM return_batches');
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(1), { parcelIds: [a.id, jt.id] }))).toBe('CARRIER_MISMATCH');
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(1), { parcelIds: [a.id, 999_999] }))).toBe('PARCEL_NOT_FOUND');
      expect(await batches()).toBe(0);
      const batch = await returns.moveToReturnBatch(clerk(1), { parcelIds: [a.id] });
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(1), { parcelIds: [b.id, a.id] }))).toBe('ALREADY_IN_RETURN_BATCH');
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(1), { batchId: batch.id, parcelIds: [jt.id] }))).toBe('CARRIER_MISMATCH');
      await station.store.run("UPDATE parcels SET status = 'picked_up' WHERE id = ?", b.id);
      expect(await codeOf(() => returns.moveToReturnBatch(clerk(1), { parcelIds: [b.id] }))).toBe('PARCEL_NOT_ON_SHELF');
      expect(await codeOf(() => returns.handToCourier(clerk(1), batch.id))).toBe('INVALID_INPUT');
      expect(await batches()).toBe(1);
      expect((await returns.batch(batch.id)).parcels).toBe(1);
    });
  });

  describe('problem flags', () => {
    it('flags a parcel with a kind and a sealed note, listed while the parcel is at the station', async () => {
      const a = await arrive();
      const b = await arrive();
      const flags = transacted(station, new ProblemFlags(station, { now: clock.now }));
      const f = await flags.flag(clerk(2), { parcelId: a.id, kind: 'damaged', note: '外箱破损，张先生已知情' });
      expect(f).toMatchObject({ kind: 'damaged', flaggedAt: clock.now().toISOString(), parcel: { id: a.id, status: 'on_shelf' } });
      await flags.flag(clerk(2), { parcelId: b.id, kind: 'wrong_station' });
      expect((await flags.open()).map((p) => [p.parcel.id, p.kind])).toEqual([
        [b.id, 'wrong_station'],
        [a.id, 'damaged'],
      ]);
      const note = (await station.store.value<Buffer>('SELECT note_ct FROM problem_flags WHERE id = ?', f.flagId))!;
      expect(note.includes(Buffer.from('张先生'))).toBe(false);
      expect(openText(station.keys.field, note, `problem_flags.note#${f.flagId}`)).toBe('外箱破损，张先生已知情');

      await transacted(station, new PickupDesk(station, { now: clock.now })).handOver(clerk(2), { customerParcelId: a.id, waybill: a.waybill });
      expect((await flags.open()).map((p) => p.parcel.id)).toEqual([b.id]);
      expect(await codeOf(() => flags.flag(clerk(2), { parcelId: 999_999, kind: 'refused' }))).toBe('PARCEL_NOT_FOUND');
      expect(await codeOf(() => flags.flag(clerk(2), { parcelId: a.id, kind: 'lost' as 'other' }))).toBe('INVALID_INPUT');
    });
  });

  describe('daily view', () => {
    it('counts arrivals, pickups, returns, shelf and overdue per station-local day, numbers only', async () => {
      await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), { overdueDays: 2 }));
      const desk = transacted(station, new PickupDesk(station, { now: clock.now }));
      clock.set('2025-06-01T02:00:00Z');
      const day1 = [await arrive(), await arrive(), await arrive(), await arrive('JT')];
      clock.set('2025-06-02T15:59:00Z'); // still 2 June in Beijing
      const day2 = [await arrive(), await arrive()];
      await desk.handOver(clerk(1), { customerParcelId: day1[0].id, waybill: day1[0].waybill });
      clock.set('2025-06-03T03:00:00Z');
      await arrive();
      await desk.handOver(clerk(1), { customerParcelId: day2[0].id, waybill: day2[0].waybill });
      const batch = await returns.moveToReturnBatch(clerk(1), { parcelIds: [day1[3].id] });
      await returns.scanOut(clerk(1), day1[3].waybill, batch.id);
      await returns.handToCourier(clerk(1), batch.id);

      const report = await dailyReport(station.store, { now: clock.now, days: 4 });
      expect(report.days).toEqual([
        { day: '2025-06-03', arrived: 1, pickedUp: 1, returned: 1, onShelf: 4, overdue: 2 },
        { day: '2025-06-02', arrived: 2, pickedUp: 1, returned: 0, onShelf: 5, overdue: 0 },
        { day: '2025-06-01', arrived: 4, pickedUp: 0, returned: 0, onShelf: 4, overdue: 0 },
        { day: '2025-05-31', arrived: 0, pickedUp: 0, returned: 0, onShelf: 0, overdue: 0 },
      ]);
      expect(report.shelves).toHaveLength(20);
      expect(report.shelves.reduce((n, s) => n + s.parcels, 0)).toBe(4);
      expect(JSON.stringify(report)).not.toMatch(/\*|SF\d|JT\d/);
    });
  });

  describe('settings', () => {
    it('reads the defaults, validates changes, and adds slots when the shelves grow', async () => {
      expect(await new Settings().counter(station.store)).toEqual({ shelves: 20, layers: 5, overdueDays: 7, undoMinutes: 5, timeZone: 'Asia/Shanghai' });
      for (const bad of [{ shelves: 0 }, { layers: 1.5 }, { overdueDays: 400 }, { undoMinutes: -1 }, { timeZone: 'Beijing' }]) {
        expect(await codeOf(() => inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), bad))), JSON.stringify(bad)).toBe('INVALID_INPUT');
      }
      const s = await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), { shelves: 30, layers: 6, timeZone: 'Asia/Urumqi' }, clock.now));
      expect(s).toMatchObject({ shelves: 30, layers: 6, timeZone: 'Asia/Urumqi' });
      expect(await countIn(station, 'SELECT COUNT(*) FROM shelf_slots')).toBe(180);
      expect(await station.store.get('SELECT updated_by, updated_at FROM counter_settings')).toEqual({
        updated_by: 9,
        updated_at: clock.now().toISOString(),
      });
      // Shrunk: no new parcel goes beyond the layout, even to emptier slots.
      await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), { shelves: 1, layers: 1 }));
      await arrive();
      await arrive();
      expect(await countIn(station, "SELECT COUNT(*) FROM parcels WHERE shelf = 1 AND layer = 1 AND status = 'on_shelf'")).toBe(2);
    });
  });

  it("frees a returned parcel's code and slot", async () => {
    const a = await arrive();
    const code = (await station.store.value<string>('SELECT pickup_code FROM parcels WHERE id = ?', a.id))!;
    const batch = await returns.moveToReturnBatch(clerk(1), { parcelIds: [a.id] });
    await returns.scanOut(clerk(1), a.waybill, batch.id);
    await returns.handToCourier(clerk(1), batch.id);
    expect(await countIn(station, "SELECT COUNT(*) FROM parcels WHERE pickup_code = ? AND status = 'on_shelf'", code)).toBe(0);
    expect(await countIn(station, 'SELECT SUM(occupied) FROM shelf_slots')).toBe(0);
  });
});
