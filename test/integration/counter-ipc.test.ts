// The counter through the real router: scan-in, find, handover, refusal, and
// the audit trail of which parcels appeared on whose screen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CounterLookupResult, HandoverResult, ScanInResult } from '../../shared/counter';
import { parsePhone, phoneTail } from '../../shared/phone';
import { valueOf } from '../helpers/results';
import { startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const ok = valueOf;

describe.each(ENGINE_CASES)('counter over IPC (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const rows = fixtureRows('manifest-small.csv');
  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }, { username: 'audit', role: 'auditor' }], { engine });
    ok(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }));
    await t.login('li');
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('scan-in, find by tail, hand over; a wrong parcel is refused and not recorded; all of it audited', async () => {
    const [a, b] = rows;
    const inA = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: a.waybill_no }));
    const inB = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: b.waybill_no }));
    expect(inA.parcel.pickupCode).toMatch(/^\d+-\d+-\d+$/);
    const again = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: a.waybill_no }));
    expect(again).toMatchObject({ duplicate: true, parcel: { pickupCode: inA.parcel.pickupCode } });

    const found = ok<CounterLookupResult>(await t.call('counter.find', { by: 'code', value: inA.parcel.pickupCode! }));
    expect(found.kind).toBe('customer');
    const customer = found.kind === 'customer' ? found.parcels[0] : null;
    expect(customer?.phone).toBe(`*******${phoneTail(parsePhone(a.recipient_phone)!)}`);

    const wrong = await t.call('counter.handOver', { customerParcelId: customer!.id, waybill: b.waybill_no });
    expect(wrong.ok ? '' : wrong.error.code).toBe('HANDOVER_WRONG_PARCEL');
    expect(ok<CounterLookupResult>(await t.call('counter.find', { by: 'code', value: inB.parcel.pickupCode! })).kind).toBe('customer');

    const done = ok<HandoverResult>(await t.call('counter.handOver', { customerParcelId: customer!.id, waybill: a.waybill_no, paperLeft: true }));
    expect(done.parcel.status).toBe('picked_up');
    // The paper the customer left is now in the shred ledger's custody, and counts as outstanding after a week.
    t.clock.advance(8 * 86_400_000);
    await t.login('li');
    const status = ok<{ outstandingPapers: number | null }>(await t.call('auth.status', {}));
    expect(status.outstandingPapers).toBe(1);

    await t.login('audit');
    const views = ok<{ username: string; parcelIds: number[] }[]>(await t.call('audit.list', { action: 'parcels.view' }));
    expect(views.some((v) => v.username === 'li' && v.parcelIds.includes(customer!.id))).toBe(true);
    const handovers = ok<{ parcelIds: number[] }[]>(await t.call('audit.list', { action: 'counter.handover' }));
    expect(handovers).toHaveLength(1);
    expect(handovers[0].parcelIds).toEqual([customer!.id]);
    const byParcel = ok<{ action: string }[]>(await t.call('audit.list', { parcelId: customer!.id }));
    expect(byParcel.map((e) => e.action)).toEqual(expect.arrayContaining(['parcels.view', 'counter.handover']));
  });

  it('counter settings change is a supervisor action with step-up', async () => {
    const r = await t.call('counter.settings.update', { overdueDays: 5, totp: t.code('li') });
    expect(r.ok ? '' : r.error.code).toBe('FORBIDDEN');
    await t.login('boss');
    expect(ok<{ overdueDays: number }>(await t.call('counter.settings.update', { overdueDays: 5, totp: t.code('boss') })).overdueDays).toBe(5);
  });
});
