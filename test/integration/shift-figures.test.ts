// Per-person counter figures: the clerk's own shift (read before the shift
// closes) and each person's figures for the day, for the supervisor.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterLookupResult, ScanInResult, ShiftFigures, StaffDayFigures } from '../../shared/counter';
import { valueOf } from '../helpers/results';
import { startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

describe.each(ENGINE_CASES)('shift figures (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const rows = fixtureRows('manifest-small.csv');
  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }], { engine });
    valueOf(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }));
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it("counts the clerk's scans, handovers and lookups of this shift, and per person for the day", async () => {
    await t.login('li');
    const a = valueOf<ScanInResult>(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    valueOf(await t.call('counter.scanIn', { waybill: rows[1].waybill_no }));
    // A second scan of the same parcel is not a second parcel in.
    valueOf(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    const found = valueOf<CounterLookupResult>(await t.call('counter.find', { by: 'code', value: a.parcel.pickupCode! }));
    const customer = found.kind === 'customer' ? found.parcels[0] : null;
    valueOf(await t.call('counter.handOver', { customerParcelId: customer!.id, waybill: rows[0].waybill_no }));

    const mine = { scannedIn: 2, handedOver: 1, returned: 0, lookups: 1, unmasks: 0 };
    expect(valueOf<ShiftFigures>(await t.call('counter.myShift', {}))).toEqual(mine);
    expect((await t.call('counter.staffDay', {})).ok).toBe(false);

    await t.login('boss');
    expect(valueOf<ShiftFigures>(await t.call('counter.myShift', {}))).toMatchObject({ scannedIn: 0, handedOver: 0 });
    const day = valueOf<StaffDayFigures[]>(await t.call('counter.staffDay', {}));
    expect(day.find((d) => d.username === 'li')).toMatchObject(mine);
    // One grouped query for everyone: the supervisor's row has none of the clerk's work.
    expect(day.find((d) => d.username === 'boss')).toMatchObject({ scannedIn: 0, handedOver: 0, returned: 0, lookups: 0, unmasks: 0 });
    expect(valueOf<StaffDayFigures[]>(await t.call('counter.staffDay', { day: '2026-11-20' })).find((d) => d.username === 'li')).toMatchObject({ scannedIn: 0, lookups: 0 });
  });
});
