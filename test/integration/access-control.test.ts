// Access control under a hostile insider: failed approvals charged to the
// clerk who asked (not the supervisor), recovery codes for a lost phone,
// nothing typed by a person stored in the audit chain in clear, and every
// screen that shows a card audited and counted.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parsePhone } from '../../shared/phone';
import { PASSWORD, PIN, startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';
import { resultCode } from '../helpers/results';

const code = resultCode;
const value = <T>(r: { ok: boolean; value?: unknown }) => r.value as T;
interface Entry {
  action: string;
  username: string | null;
  parcelIds: number[];
  purpose: string | null;
  detail: Record<string, unknown>;
}

describe.each(ENGINE_CASES)('access control (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const rows = fixtureRows('manifest-small.csv');
  let parcelId = 0;

  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }, { username: 'audit', role: 'auditor' }], { engine });
    expect(code(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }))).toBe('ok');
    parcelId = (await t.value<number>('SELECT id FROM parcels WHERE waybill_no = ?', rows[3].waybill_no))!;
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  const auditTrail = async (action?: string): Promise<Entry[]> => {
    await t.login('audit');
    return value<Entry[]>(await t.call('audit.list', { limit: 1000, ...(action ? { action: action as never } : {}) }));
  };
  const unmask = (approval: { username: string; pin: string; totp: string }, note = '收件人称未收到') =>
    t.call('parcels.unmask', { parcelId, field: 'phone', purpose: 'dispute', note, approval });
  const users = async () => {
    await t.login('boss');
    return value<{ username: string; locked: boolean }[]>(await t.call('accounts.list', {}));
  };

  it('wrong supervisor PINs typed by a clerk lock the clerk (slowed first), never the supervisor; each failure is audited', async () => {
    await t.login('li');
    const wrong = { username: 'boss', pin: '9999', totp: '000000' };
    expect(code(await unmask(wrong))).toBe('WRONG_PIN');
    expect(code(await unmask(wrong))).toBe('WRONG_PIN');
    // Slowed: the third try straight away is refused without being checked or counted.
    expect(code(await unmask(wrong))).toBe('APPROVAL_TRY_LATER');
    t.clock.advance(6_000);
    expect(code(await unmask(wrong))).toBe('WRONG_PIN');
    t.clock.advance(11_000);
    expect(code(await unmask(wrong))).toBe('WRONG_PIN');
    t.clock.advance(21_000);
    // The fifth failure locks the clerk (the failed-logins rule also fires on it).
    expect(['APPROVALS_LOCKED', 'SESSION_ANOMALY_LOCKED']).toContain(code(await unmask(wrong)));
    expect(code(await t.call('auth.resume', { username: 'li', pin: PIN }))).not.toBe('ok');

    // The supervisor still logs in; the clerk is the one locked.
    const list = await users();
    expect(list.find((u) => u.username === 'boss')?.locked).toBe(false);
    expect(list.find((u) => u.username === 'li')?.locked).toBe(true);

    const failures = await auditTrail('auth.approval_failed');
    expect(failures).toHaveLength(5);
    for (const f of failures) expect(f).toMatchObject({ username: 'li', parcelIds: [parcelId], detail: { approver: 'boss', for: 'parcels.unmask' } });
    expect((await auditTrail()).filter((e) => e.action === 'anomaly.alert' && e.username === 'li')).toHaveLength(1);
  });

  it('a good approval after a failure resets the clerk’s count', async () => {
    await t.login('li');
    expect(code(await unmask({ username: 'boss', pin: '9999', totp: '000000' }))).toBe('WRONG_PIN');
    expect(code(await unmask({ username: 'boss', pin: PIN, totp: t.code('boss') }))).toBe('ok');
    expect(code(await unmask({ username: 'boss', pin: '9999', totp: '000000' }))).toBe('WRONG_PIN');
    // Only one failure since the good one: no waiting.
    expect(code(await unmask({ username: 'boss', pin: '9999', totp: '000000' }))).toBe('WRONG_PIN');
  });

  it('a wrong witness PIN at a destruction is charged to the operator, not the witness named', async () => {
    await t.login('li');
    const batch = value<{ id: number }>(await t.call('ledger.batch.open', {}));
    expect(code(await t.call('ledger.batch.addCount', { batchId: batch.id, count: 3, note: '面单' }))).toBe('ok');
    const destroy = (pin: string) =>
      t.call('ledger.destroy', { batchId: batch.id, method: 'shredder', deviceId: 'CC-01', witness: { username: 'boss', pin, totp: '000000' } });
    for (const wait of [0, 0, 6_000, 11_000, 21_000]) {
      t.clock.advance(wait);
      expect(['WRONG_PIN', 'APPROVALS_LOCKED', 'SESSION_ANOMALY_LOCKED']).toContain(code(await destroy('9999')));
    }
    const list = await users();
    expect(list.find((u) => u.username === 'boss')?.locked).toBe(false);
    expect(list.find((u) => u.username === 'li')?.locked).toBe(true);
    const failures = await auditTrail('auth.approval_failed');
    expect(failures).toHaveLength(5);
    expect(failures[0]).toMatchObject({ username: 'li', detail: { approver: 'boss', for: 'ledger.destroy' } });
  });

  it('recovery codes: shown once at enrolment, each replaces the TOTP code once, stored only as hashes, audited', async () => {
    expect(code(await t.call('accounts.create', { username: 'wu', displayName: 'wu', role: 'supervisor', password: PASSWORD, totp: t.code('boss') }))).toBe('ok');
    const first = value<{ recoveryCodes: string[] }>(await t.call('auth.enrolment', { username: 'wu', password: PASSWORD }));
    const enrolment = value<{ recoveryCodes: string[]; otpauthUri: string }>(await t.call('auth.enrolment', { username: 'wu', password: PASSWORD }));
    expect(enrolment.recoveryCodes).toHaveLength(10);
    expect(new Set(enrolment.recoveryCodes).size).toBe(10);
    expect(enrolment.recoveryCodes.some((c) => first.recoveryCodes.includes(c))).toBe(false);
    // Before enrolment is confirmed a recovery code opens nothing.
    expect(code(await t.call('auth.login', { username: 'wu', password: PASSWORD, recoveryCode: enrolment.recoveryCodes[0] }))).toBe('TOTP_NOT_ENROLLED');
    const { base32Decode, totp } = await import('../../main/auth/totp');
    const secret = base32Decode(new URL(enrolment.otpauthUri).searchParams.get('secret')!);
    t.clock.advance(30_000);
    expect(code(await t.call('auth.enrol', { username: 'wu', password: PASSWORD, totp: totp(secret, t.clock.now), pin: PIN }))).toBe('ok');
    await t.call('auth.logout', {});

    // The earlier set was replaced; the shown one works once, in any case.
    expect(code(await t.call('auth.login', { username: 'wu', password: PASSWORD, recoveryCode: first.recoveryCodes[0] }))).toBe('LOGIN_FAILED');
    expect(code(await t.call('auth.login', { username: 'wu', password: PASSWORD, recoveryCode: enrolment.recoveryCodes[1].toLowerCase() }))).toBe('ok');
    await t.call('auth.logout', {});
    expect(code(await t.call('auth.login', { username: 'wu', password: PASSWORD, recoveryCode: enrolment.recoveryCodes[1] }))).toBe('LOGIN_FAILED');
    expect(code(await t.call('auth.login', { username: 'wu', password: PASSWORD, recoveryCode: enrolment.recoveryCodes[2], totp: '123456' }))).toBe('INVALID_INPUT');

    const stored = JSON.stringify(await t.all('SELECT * FROM recovery_codes'));
    for (const c of enrolment.recoveryCodes) expect(stored).not.toContain(c);
    const logins = (await auditTrail('auth.login')).filter((e) => e.username === 'wu');
    expect(logins[0].detail).toMatchObject({ how: 'recovery-code', recoveryCodesLeft: 9 });
  });

  it('an unmask note holding a phone or ID number is refused before any code is spent', async () => {
    await t.login('li');
    const totp = t.code('boss');
    const approval = { username: 'boss', pin: PIN, totp };
    for (const note of ['客户电话 138 0013 8000', '身份证 11010519491231002X', '回拨１３８００１３８０００']) {
      expect(code(await unmask(approval, note)), note).toBe('PERSONAL_DATA_IN_NOTE');
    }
    expect(code(await unmask(approval, '客户称包裹破损，单号尾号 8000'))).toBe('ok');
    const all = JSON.stringify(await auditTrail());
    expect(all).not.toContain('13800138000');
    expect(all).not.toContain('11010519491231002X');
  });

  it('an undo reason or an anomaly review note holding a phone number is refused and changes nothing', async () => {
    const phone = parsePhone(rows[0].recipient_phone)!.digits;
    await t.login('li');
    const scanned = value<{ parcelId: number }>(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    const found = value<{ parcels: { id: number }[] }>(await t.call('counter.find', { by: 'waybill', value: rows[0].waybill_no }));
    expect(found.parcels[0].id).toBe(scanned.parcelId);
    const handover = value<{ handoverId: number }>(await t.call('counter.handOver', { customerParcelId: scanned.parcelId, waybill: rows[0].waybill_no }));
    expect(code(await t.call('counter.undoHandover', { handoverId: handover.handoverId, reason: `交错了，客户 ${phone}` }))).toBe('PERSONAL_DATA_IN_NOTE');
    expect(code(await t.call('counter.undoHandover', { handoverId: handover.handoverId, reason: '交错了' }))).toBe('ok');

    // 21 lookups in a minute raise an alert for the supervisor to review.
    for (let i = 0; i < 21; i++) await t.call('counter.find', { by: 'waybill', value: rows[0].waybill_no });
    await t.login('boss');
    const [alert] = value<{ id: number }[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(code(await t.call('anomaly.review', { alertId: alert.id, note: `回访 ${phone}，属实`, totp: t.code('boss') }))).toBe('PERSONAL_DATA_IN_NOTE');
    expect(value<unknown[]>(await t.call('anomaly.list', { openOnly: true }))).toHaveLength(1);
    expect(code(await t.call('anomaly.review', { alertId: alert.id, note: '核实为正常高峰', totp: t.code('boss') }))).toBe('ok');

    const stored = JSON.stringify([await t.all('SELECT * FROM chain_entries'), await t.all('SELECT * FROM audit_index'), await t.all('SELECT * FROM anomaly_alerts')]);
    expect(stored).not.toContain(phone);
  });

  it('a failed login under a name that is no account keeps only a keyed hash of the name', async () => {
    await t.call('auth.logout', {});
    const phone = parsePhone(rows[0].recipient_phone)!.digits;
    for (const name of [phone, phone, 'someone']) await t.call('auth.login', { username: name, password: 'wrong-password', totp: '123456' });
    await t.call('auth.login', { username: 'li', password: 'wrong-password', totp: '123456' });
    const failed = (await auditTrail('auth.login_failed')).reverse().map((e) => e.username!);
    expect(failed[0]).toMatch(/^unknown:[0-9a-f]{32}$/);
    expect(failed[1]).toBe(failed[0]);
    expect(failed[2]).toMatch(/^unknown:/);
    expect(failed[2]).not.toBe(failed[0]);
    expect(failed[3]).toBe('li');
    const stored = JSON.stringify([await t.all('SELECT * FROM chain_entries'), await t.all('SELECT * FROM audit_index'), await t.all('SELECT * FROM anomaly_alerts')]);
    expect(stored).not.toContain(phone);
    expect(stored).not.toContain('someone');
  });

  it('a label preview is audited and counted by the lookup-rate rule', async () => {
    await t.login('li');
    expect(code(await t.call('labels.preview', { parcelId }))).toBe('ok');
    // 20 in a minute pass (one already), the 21st locks the shift.
    for (let i = 0; i < 19; i++) expect(code(await t.call('labels.preview', { parcelId }))).toBe('ok');
    expect(code(await t.call('labels.preview', { parcelId }))).toBe('SESSION_ANOMALY_LOCKED');
    const views = (await auditTrail('parcels.view')).filter((e) => e.username === 'li');
    expect(views).toHaveLength(21);
    expect(views[0]).toMatchObject({ parcelIds: [parcelId], detail: { by: 'label-preview' } });
  });

  it('a scan-in, which shows the parcel’s card, is found among that parcel’s audit entries', async () => {
    await t.login('li');
    const scanned = value<{ parcelId: number }>(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    value(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    await t.login('audit');
    const seen = value<Entry[]>(await t.call('audit.list', { parcelId: scanned.parcelId }));
    expect(seen.filter((e) => e.action === 'counter.scan_in')).toHaveLength(2);
  });

  it('the overdue list, a return batch and the problem list are audited and counted too', async () => {
    await t.login('li');
    const counted = async () => (await auditTrail('parcels.view')).filter((e) => e.username === 'li').map((e) => [e.detail.by, e.parcelIds]);
    const scanned = value<{ parcelId: number }>(await t.call('counter.scanIn', { waybill: rows[0].waybill_no }));
    const batch = value<{ id: number }>(await t.call('returns.move', { parcelIds: [scanned.parcelId] }));
    expect(code(await t.call('returns.get', { batchId: batch.id }))).toBe('ok');
    expect(code(await t.call('counter.overdue', {}))).toBe('ok');
    expect(code(await t.call('problems.open', {}))).toBe('ok');
    expect(await counted()).toEqual([
      ['problems', []],
      ['overdue', []],
      ['return-batch', [scanned.parcelId]],
    ]);
    await t.login('li');
    // A new minute and shift: 20 lists pass, the 21st card-showing call locks the shift.
    for (let i = 0; i < 20; i++) expect(code(await t.call('counter.overdue', {}))).toBe('ok');
    expect(code(await t.call('problems.open', {}))).toBe('SESSION_ANOMALY_LOCKED');
  });
});
