// The station settings a supervisor sets on the settings screen, through the
// real router: who picks the shelf at scan-in, a layer's capacity, overdue
// days per carrier, the anomaly thresholds and opening hours. Each change is
// a step-up action, audited with what changed, and counts at the next scan.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DailyClose } from '../../shared/closing';
import type { CounterParcel, DailyReport, ScanInResult } from '../../shared/counter';
import type { OutboxItem } from '../../shared/notify';
import { valueOf } from '../helpers/results';
import { startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const ok = valueOf;
const DAY = 86_400_000;

describe.each(ENGINE_CASES)('station settings (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const rows = fixtureRows('manifest-small.csv');
  const errorOf = (r: { ok: boolean; error?: { code: string } }) => (r.ok ? 'ok' : r.error!.code);
  const settingsChanges = async () => {
    const entries = ok<{ detail: Record<string, unknown> }[]>(await t.call('audit.list', { action: 'settings.change' }));
    return entries.map((e) => e.detail);
  };

  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }], { engine });
    ok(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }));
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('the clerk picks the shelf: a scan without one is refused and shelves nothing; full layers are skipped, then refused', async () => {
    ok(await t.call('counter.settings.update', { shelves: 3, layers: 2, slotMode: 'clerk', layerCapacity: 1, shelfNames: ['A 区', '', '冷柜'], totp: t.code('boss') }));
    const detail = (await settingsChanges()).at(-1)!;
    expect(detail).toMatchObject({ scope: 'counter', shelves: 3, layers: 2, slotMode: 'clerk', layerCapacity: 1, shelfNames: 2 });

    await t.login('li');
    const settings = ok<{ slotMode: string; shelfNames: string[] }>(await t.call('counter.settings.get', {}));
    expect(settings).toMatchObject({ slotMode: 'clerk', shelfNames: ['A 区', '', '冷柜'] });

    expect(errorOf(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }))).toBe('SHELF_REQUIRED');
    const onShelf3 = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: rows[0].waybill_no, shelf: 3 }));
    // Refused before: this is the parcel's first arrival, not a duplicate.
    expect(onShelf3).toMatchObject({ duplicate: false, parcel: { pickupCode: expect.stringMatching(/^3-1-\d+$/) } });
    const second = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: rows[1].waybill_no, shelf: 3 }));
    expect(second.parcel.pickupCode).toMatch(/^3-2-\d+$/);
    expect(errorOf(await t.call('counter.scanIn', { waybill: rows[2].waybill_no, shelf: 3 }))).toBe('SHELF_FULL');
    expect(errorOf(await t.call('counter.scanIn', { waybill: rows[2].waybill_no, shelf: 4 }))).toBe('SHELF_LAYER_UNKNOWN');

    // Back to the app choosing: it skips the full shelf, and refuses once every layer is full.
    await t.login('boss');
    ok(await t.call('counter.settings.update', { slotMode: 'app', totp: t.code('boss') }));
    await t.login('li');
    const codes = [];
    for (const r of rows.slice(2, 6)) codes.push(ok<ScanInResult>(await t.call('counter.scanIn', { waybill: r.waybill_no })).parcel.pickupCode);
    expect(codes.map((c) => c!.split('-').slice(0, 2).join('-')).sort()).toEqual(['1-1', '1-2', '2-1', '2-2']);
    expect(errorOf(await t.call('counter.scanIn', { waybill: rows[6].waybill_no }))).toBe('SHELVES_FULL');
  });

  it('overdue days per carrier decide the overdue list and the daily count', async () => {
    const yto = rows.find((r) => r.carrier === 'YTO')!;
    const jd = rows.find((r) => r.carrier === 'JD')!;
    await t.login('li');
    ok(await t.call('counter.scanIn', { waybill: yto.waybill_no }));
    ok(await t.call('counter.scanIn', { waybill: jd.waybill_no }));
    t.clock.advance(3 * DAY);
    await t.login('boss');
    ok(await t.call('counter.settings.update', { overdueDays: 7, carrierOverdueDays: { YTO: 2 }, totp: t.code('boss') }));
    expect((await settingsChanges()).at(-1)).toMatchObject({ overdueDays: 7, carrierOverdueDays: JSON.stringify({ YTO: 2 }) });

    const overdue = ok<CounterParcel[]>(await t.call('counter.overdue', {}));
    expect(overdue.map((p) => p.waybillNo)).toEqual([yto.waybill_no]);
    expect(ok<DailyReport>(await t.call('counter.daily', { days: 1 })).days[0].overdue).toBe(1);
    // A threshold asked for applies to every carrier alike.
    expect(ok<CounterParcel[]>(await t.call('counter.overdue', { days: 3 })).map((p) => p.waybillNo).sort()).toEqual([yto.waybill_no, jd.waybill_no].sort());

    ok(await t.call('counter.settings.update', { carrierOverdueDays: {}, totp: t.code('boss') }));
    expect(ok<CounterParcel[]>(await t.call('counter.overdue', {}))).toEqual([]);
    expect(errorOf(await t.call('counter.settings.update', { carrierOverdueDays: { YTO: 0 }, totp: t.code('boss') }))).toBe('INVALID_INPUT');
  });

  it('one overdue rule: the returns list, today\'s figures, the daily close and the reminders agree per carrier', async () => {
    // YTO keeps a parcel 3 days, JD the station's 7; both arrive on the 25th (station time).
    const yto = rows.find((r) => r.carrier === 'YTO')!;
    const jd = rows.find((r) => r.carrier === 'JD')!;
    ok(await t.call('counter.settings.update', { overdueDays: 7, carrierOverdueDays: { YTO: 3 }, totp: t.code('boss') }));
    // Three days before: YTO's reminder would go with its arrival notice.
    expect(errorOf(await t.call('notify.settings.update', { overdue: true, overdueDaysBefore: 3, overdueTemplateCode: 'SMS_900002', totp: t.code('boss') }))).toBe('INVALID_INPUT');
    ok(await t.call('notify.settings.update', { arrival: false, overdue: true, overdueDaysBefore: 1, overdueTemplateCode: 'SMS_900002', totp: t.code('boss') }));
    await t.login('li');
    const ytoId = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: yto.waybill_no })).parcelId;
    ok(await t.call('counter.scanIn', { waybill: jd.waybill_no }));
    await t.login('boss');
    const overdueNow = async () => ok<CounterParcel[]>(await t.call('counter.overdue', {})).map((p) => p.waybillNo);
    const today = async () => ok<DailyReport>(await t.call('counter.daily', { days: 2 })).days;
    const reminded = async () => {
      ok(await t.call('notify.drain', {}));
      return ok<OutboxItem[]>(await t.call('notify.outbox', {})).filter((n) => n.kind === 'overdue').flatMap((n) => n.parcels);
    };
    const closed = async (date: string) => {
      const close = ok<DailyClose>(await t.call('closing.closeDay', { date, totp: t.code('boss') }));
      return Object.fromEntries(close.carriers.map((c) => [c.carrier, c.overdue]));
    };
    const nextDay = async (days = 1) => {
      t.clock.advance(days * DAY);
      await t.login('boss');
    };

    // The 27th: overdue for neither; YTO's reminder goes the day before its third day.
    await nextDay(2);
    expect(await overdueNow()).toEqual([]);
    expect((await today())[0].overdue).toBe(0);
    expect(await reminded()).toEqual([ytoId]);

    // The 28th: YTO's parcel is overdue everywhere, JD's nowhere, and JD's reminder is not due yet.
    await nextDay();
    expect(await overdueNow()).toEqual([yto.waybill_no]);
    expect((await today())[0].overdue).toBe(1);
    expect(await reminded()).toEqual([ytoId]);

    // The 29th: the closes of the 27th and the 28th count as the list and the figures did on those days.
    await nextDay();
    const [, yesterday] = await today();
    expect(yesterday).toMatchObject({ day: '2026-11-28', overdue: 1 });
    expect(await closed('2026-11-27')).toEqual({ YTO: 0, JD: 0 });
    expect(await closed('2026-11-28')).toEqual({ YTO: 1, JD: 0 });
  });

  it('anomaly thresholds and opening hours: read, changed with step-up, audited, checked', async () => {
    const before = ok<{ unmasksPerShift: number; openingHours: string }>(await t.call('anomaly.settings.get', {}));
    expect(before).toMatchObject({ unmasksPerShift: 3, openingHours: '07:00-22:00' });
    expect(errorOf(await t.call('anomaly.settings.update', { unmasksPerShift: 5 } as never))).toBe('INVALID_INPUT');
    expect(errorOf(await t.call('anomaly.settings.update', { openingHours: '22:00-07:00', totp: t.code('boss') }))).toBe('INVALID_INPUT');
    const after = ok<{ unmasksPerShift: number; openingHours: string }>(await t.call('anomaly.settings.update', { unmasksPerShift: 5, openingHours: '08:30-20:00', totp: t.code('boss') }));
    expect(after).toMatchObject({ unmasksPerShift: 5, openingHours: '08:30-20:00', lookupsPerMinute: 20 });
    expect((await settingsChanges()).at(-1)).toEqual({ scope: 'anomaly', unmasksPerShift: 5, openingHours: '08:30-20:00' });

    await t.login('li');
    expect(errorOf(await t.call('anomaly.settings.update', { unmasksPerShift: 9, totp: t.code('li') }))).toBe('FORBIDDEN');
  });
});
