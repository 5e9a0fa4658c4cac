import { codeOf } from '../helpers/results';
// Pickup and handover (出库): lookups grouped by customer, the phone-tail
// second-factor rule, refusing another customer's parcel, proxy pickup, undo.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../main/app/services';
import { PickupDesk } from '../../main/counter/pickup';
import { ReturnDesk } from '../../main/counter/returns';
import { Settings } from '../../main/settings/settings';
import { openText } from '../../main/crypto/envelope';
import { ScanIn } from '../../main/inbound/scan-in';
import type { Station } from '../../main/store/station';
import type { CounterLookupResult, CounterParcel } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import { clerk, inTx, scanNew, testClock, transacted, type Transacted } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';
import { importManifest } from '../../main/inbound/import-manifest';

const parcelsOf = (r: CounterLookupResult): CounterParcel[] => {
  if (r.kind !== 'customer') throw new Error(`expected one customer, got ${r.kind}`);
  return r.parcels;
};
const snapshot = async (s: Station) => ({
  parcels: await s.store.all('SELECT id, status, pickup_code, picked_up_at FROM parcels ORDER BY id'),
  handovers: await s.store.all('SELECT * FROM handovers ORDER BY id'),
  slots: await s.store.all('SELECT * FROM shelf_slots WHERE occupied > 0 ORDER BY shelf, layer'),
});

// Customers A and B share the tail 1234; C has 5678 to herself.
const A = '13800001234';
const B = '13900001234';
const C = '13700005678';

describe.each(ENGINE_CASES)('pickup desk (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  let clock: ReturnType<typeof testClock>;
  let scan: ScanIn;
  let desk: Transacted<PickupDesk>;
  let a1: string, a2: string, b1: string, c1: string;
  const waybillOf = async (code: string) => (await station.store.value<string>('SELECT waybill_no FROM parcels WHERE pickup_code = ?', code))!;

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
    clock = testClock();
    scan = new ScanIn(station, { now: clock.now });
    desk = transacted(station, new PickupDesk(station, { now: clock.now }));
    const codes: string[] = [];
    for (const phone of [A, A, B, C]) codes.push((await scanNew(station, scan, phone)).parcel.pickupCode!);
    [a1, a2, b1, c1] = codes;
    clock.advance({ days: 2 });
  });
  afterEach(async () => {
    await dispose();
    tmp.cleanup();
  });

  describe('lookup', () => {
    it('finds a customer by pickup code, full phone or waybill: all their parcels, with slot and days waiting', async () => {
      for (const query of [{ by: 'code', value: a2 }, { by: 'phone', value: '138 0000 1234' }, { by: 'waybill', value: await waybillOf(a1) }] as const) {
        const parcels = parcelsOf(await desk.find(query));
        expect(parcels.map((p) => p.pickupCode).sort()).toEqual([a1, a2].sort());
        expect(parcels[0]).toMatchObject({ phone: '*******1234', name: '张**', status: 'on_shelf', daysOnShelf: 2 });
        expect(Object.keys(parcels[0]).sort()).toEqual(
          ['waybillNo', 'carrier', 'pickupCode', 'status', 'name', 'phone', 'address', 'item', 'id', 'shelf', 'layer', 'arrivedAt', 'daysOnShelf'].sort(),
        );
        expect(`${parcels[0].shelf}-${parcels[0].layer}`).toBe(parcels[0].pickupCode!.split('-').slice(0, 2).join('-'));
      }
    });

    it('shows the cards at once when a tail matches one customer only', async () => {
      expect((parcelsOf(await desk.find({ by: 'tail', value: '5678' }))).map((p) => p.pickupCode)).toEqual([c1]);
    });

    it('shows only counts for a tail shared by several customers, until a second factor picks one', async () => {
      const r = await desk.find({ by: 'tail', value: '1234' });
      expect(r).toEqual({
        kind: 'choose',
        customers: [
          { phone: '*******1234', parcels: 1 },
          { phone: '*******1234', parcels: 2 },
        ],
        more: false,
      });
      expect(JSON.stringify(r)).not.toMatch(/张|\d+-\d+-\d+/);

      const byCode = await desk.find({ by: 'tail', value: '1234', second: { by: 'code', value: b1 } });
      expect((parcelsOf(byCode)).map((p) => p.pickupCode)).toEqual([b1]);
      const byWaybill = await desk.find({ by: 'tail', value: '1234', second: { by: 'waybill', value: await waybillOf(a1) } });
      expect(parcelsOf(byWaybill)).toHaveLength(2);
      // A second factor of someone with another tail opens nothing.
      expect(await desk.find({ by: 'tail', value: '1234', second: { by: 'code', value: c1 } })).toEqual({ kind: 'none' });
    });

    it('lists at most a page of customers for a crowded tail', async () => {
      for (let i = 0; i < 25; i++) await scanNew(station, scan, `136${String(i).padStart(4, '0')}0042`);
      const r = await desk.find({ by: 'tail', value: '0042' });
      expect(r.kind === 'choose' && [r.customers.length, r.more]).toEqual([20, true]);
    });

    it('audits every lookup through the counter service, with the ids it showed, never the phone searched for', async () => {
      const { counter, audit } = createServices(station, { now: clock.now, workstation: 'counter-1' });
      const shown = (parcelsOf(await counter.find(clerk(4), { by: 'phone', value: C }))).map((p) => p.id);
      await counter.find(clerk(4), { by: 'tail', value: '1234' });
      const views = (await audit.auditEntries({ action: 'parcels.view' })).reverse();
      expect(views.map((v) => [v.userId, v.parcelIds, v.detail])).toEqual([
        [clerk(4).userId, shown, { by: 'phone', second: null }],
        [clerk(4).userId, [], { by: 'tail', second: null }],
      ]);
      expect(JSON.stringify(views)).not.toMatch(/5678|1234/);
    });
  });

  describe('handover', () => {
    const anchor = async (code: string) => parcelsOf(await desk.find({ by: 'code', value: code }))[0].id;

    it("refuses another customer's parcel unmistakably and records nothing", async () => {
      const before = await snapshot(station);
      let err: unknown;
      try {
        await desk.handOver(clerk(1), { customerParcelId: await anchor(a1), waybill: await waybillOf(b1) });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(AppError);
      expect((err as AppError).code).toBe('HANDOVER_WRONG_PARCEL');
      expect((err as AppError).message).toMatch(/错件.*WRONG PARCEL/);
      expect(await snapshot(station)).toEqual(before);
      expect(await codeOf(async () => desk.handOver(clerk(1), { customerParcelId: await anchor(a1), waybill: 'SF9999999999999' }))).toBe('PARCEL_NOT_FOUND');
    });

    it('hands over each scanned parcel of the customer, recording time and clerk', async () => {
      const id = await anchor(a1);
      const first = await desk.handOver(clerk(5), { customerParcelId: id, waybill: await waybillOf(a2) });
      expect(first).toMatchObject({ remaining: 1, parcel: { pickupCode: a2, status: 'picked_up', daysOnShelf: null } });
      // The customer is still known by a parcel already handed over.
      const second = await desk.handOver(clerk(5), { customerParcelId: first.parcel.id, waybill: await waybillOf(a1) });
      expect(second.remaining).toBe(0);
      const h = await station.store.get('SELECT operator_id, workstation, handed_at, proxy FROM handovers WHERE id = ?', first.handoverId);
      expect(h).toEqual({ operator_id: 5, workstation: 'counter-1', handed_at: clock.now().toISOString(), proxy: 0 });
      expect(await station.store.value('SELECT picked_up_at FROM parcels WHERE id = ?', first.parcel.id)).toBe(clock.now().toISOString());
      expect(await codeOf(async () => desk.handOver(clerk(5), { customerParcelId: id, waybill: await waybillOf(a1) }))).toBe('PARCEL_NOT_ON_SHELF');
      // Asked again, the code is not on the shelf: it was handed over, and when.
      expect(await desk.find({ by: 'code', value: a1 })).toEqual({ kind: 'none', elsewhere: [{ status: 'picked_up', carrier: 'SF', handedAt: clock.now().toISOString() }] });
    });

    it('says why nothing is on the shelf: in the manifest but not yet arrived, with its carrier; nothing at all otherwise', async () => {
      await importManifest(station, 'small.csv', readFixture('manifest-small.csv'));
      const [row] = fixtureRows('manifest-small.csv');
      const tail = row.recipient_phone.slice(-4);
      expect(await desk.find({ by: 'waybill', value: row.waybill_no })).toEqual({ kind: 'none', elsewhere: [{ status: 'expected', carrier: row.carrier, handedAt: null }] });
      const byTail = await desk.find({ by: 'tail', value: tail });
      expect(byTail.kind === 'none' && byTail.elsewhere).toContainEqual({ status: 'expected', carrier: row.carrier, handedAt: null });
      expect(await desk.find({ by: 'waybill', value: 'SF9999999999999' })).toEqual({ kind: 'none', elsewhere: [] });
    });

    it('records a proxy pickup as such, its note sealed', async () => {
      const r = await desk.handOver(clerk(1), { customerParcelId: await anchor(c1), waybill: await waybillOf(c1), proxy: true, proxyNote: '邻居王阿姨代取' });
      const row = (await station.store.get<{ proxy: number; proxy_note_ct: Buffer }>('SELECT proxy, proxy_note_ct FROM handovers WHERE id = ?', r.handoverId))!;
      expect(row.proxy).toBe(1);
      expect(row.proxy_note_ct.includes(Buffer.from('王阿姨'))).toBe(false);
      expect(openText(station.keys.field, row.proxy_note_ct, `handovers.proxy_note#${r.handoverId}`)).toBe('邻居王阿姨代取');
    });

    it('takes a parcel out of an unfinished return batch when its customer comes for it', async () => {
      const returns = transacted(station, new ReturnDesk(station, { now: clock.now }));
      const batch = await returns.moveToReturnBatch(clerk(1), { parcelIds: [await anchor(c1)] });
      await desk.handOver(clerk(1), { customerParcelId: await anchor(c1), waybill: await waybillOf(c1) });
      expect((await returns.batch(batch.id)).parcels).toBe(0);
    });
  });

  describe('undo', () => {
    let handoverId: number;
    beforeEach(async () => {
      const id = (parcelsOf(await desk.find({ by: 'code', value: b1 })))[0].id;
      handoverId = (await desk.handOver(clerk(1), { customerParcelId: id, waybill: await waybillOf(b1) })).handoverId;
    });

    it('puts the parcel back with its code when the same clerk undoes within the window', async () => {
      clock.advance({ minutes: 4 });
      const p = await desk.undo(clerk(1), handoverId, '客户发现不是自己的');
      expect(p).toMatchObject({ pickupCode: b1, status: 'on_shelf', daysOnShelf: 2 });
      const h = await station.store.get('SELECT undone_at, undone_by, undo_reason_ct FROM handovers WHERE id = ?', handoverId);
      expect(h).toMatchObject({ undone_at: clock.now().toISOString(), undone_by: 1 });
      expect(await station.store.value('SELECT picked_up_at FROM parcels WHERE pickup_code = ?', b1)).toBeNull();
      expect(Number(await station.store.value('SELECT SUM(occupied) FROM shelf_slots'))).toBe(4);
      expect(await codeOf(() => desk.undo(clerk(1), handoverId, 'again'))).toBe('INVALID_INPUT');
      // It can be handed over again afterwards.
      expect((await desk.handOver(clerk(1), { customerParcelId: p.id, waybill: await waybillOf(b1) })).parcel.status).toBe('picked_up');
    });

    it('refuses another clerk, a late undo, and an undo without a reason, changing nothing', async () => {
      const before = await snapshot(station);
      expect(await codeOf(() => desk.undo(clerk(2), handoverId, '手滑'))).toBe('HANDOVER_UNDO_OTHER_CLERK');
      expect(await codeOf(() => desk.undo(clerk(1), handoverId, '  '))).toBe('INVALID_INPUT');
      clock.advance({ minutes: 6 });
      expect(await codeOf(() => desk.undo(clerk(1), handoverId, '手滑'))).toBe('HANDOVER_UNDO_EXPIRED');
      expect(await snapshot(station)).toEqual(before);
      // The window is a station setting.
      await inTx(station, (tx) => new Settings().updateCounter(tx, clerk(9), { undoMinutes: 10 }));
      expect((await desk.undo(clerk(1), handoverId, '手滑')).status).toBe('on_shelf');
    });

    it('gives a fresh code in the same slot if the old one was issued again meanwhile', async () => {
      await station.store.run("UPDATE parcels SET pickup_code = ? WHERE pickup_code = ? AND status = 'on_shelf'", b1, c1);
      const p = await desk.undo(clerk(1), handoverId, '拿错了');
      expect(p.pickupCode).not.toBe(b1);
      expect(p.pickupCode!.split('-').slice(0, 2)).toEqual(b1.split('-').slice(0, 2));
    });
  });
});
