// The audit log records who saw what, when and why; unmasking is purpose-bound
// and approved; the anomaly rules lock a shift that behaves like browsing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { alertFacts } from '../../main/audit/oversight';
import type { CounterLookupResult } from '../../shared/counter';
import type { AnomalyAlert, AuditEntry, SessionStatus } from '../../shared/ipc/contract';
import { parsePhone, phoneTail } from '../../shared/phone';
import { resultCode } from '../helpers/results';
import { PIN, startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const code = resultCode;
const value = <T>(r: { ok: boolean; value?: unknown }) => r.value as T;

describe.each(ENGINE_CASES)('audit log, unmask and anomaly guard (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const row = fixtureRows('manifest-small.csv')[3];
  let parcelId = 0;

  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }, { username: 'audit', role: 'auditor' }], { engine });
    expect(code(await t.call('manifest.import', { fileName: 'small.csv', bytes: readFixture('manifest-small.csv') }))).toBe('ok');
    // The parcel's id, as the counter screens get it.
    parcelId = (await t.value<number>('SELECT id FROM parcels WHERE waybill_no = ?', row.waybill_no))!;
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  const unmaskAs = (approval: boolean, totp?: string) =>
    t.call('parcels.unmask', {
      parcelId,
      field: 'phone',
      purpose: 'dispute',
      note: '收件人称未收到',
      ...(approval ? { approval: { username: 'boss', pin: PIN, totp: t.code('boss') } } : {}),
      ...(totp ? { totp } : {}),
    });

  it('a clerk unmasks only with a supervisor’s approval; the value is never in the log', async () => {
    await t.login('li');
    expect(code(await unmaskAs(false))).toBe('APPROVAL_REQUIRED');
    const bad = await t.call('parcels.unmask', {
      parcelId, field: 'phone', purpose: 'dispute', note: 'x y', approval: { username: 'boss', pin: '9999', totp: t.code('boss') },
    });
    expect(code(bad)).toBe('WRONG_PIN');
    const ok = await unmaskAs(true);
    expect(code(ok)).toBe('ok');
    const phone = parsePhone(row.recipient_phone)!;
    expect(value<{ value: string; revealSeconds: number }>(ok)).toMatchObject({ revealSeconds: 30 });
    expect(value<{ value: string }>(ok).value).toContain(phone.digits);

    await t.login('audit');
    const entries = value<{ action: string; parcelIds: number[]; detail: Record<string, unknown>; username: string; purpose: string }[]>(
      await t.call('audit.list', { action: 'parcels.unmask' }),
    );
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ username: 'li', parcelIds: [parcelId], detail: { field: 'phone', approvedBy: 'boss' } });
    expect(entries[0].purpose).toMatch(/^dispute/);
    const everything = JSON.stringify(value(await t.call('audit.list', { limit: 1000 })));
    expect(everything).not.toContain(phone.digits);
    expect(everything).not.toContain(row.recipient_name);
  });

  it('a supervisor unmasks with a fresh code of their own', async () => {
    expect(code(await unmaskAs(false))).toBe('STEP_UP_REQUIRED');
    expect(code(await unmaskAs(false, t.code('boss')))).toBe('ok');
  });

  it('records logins, failures, imports and account changes with who and where', async () => {
    await t.call('auth.login', { username: 'li', password: 'wrong-password', totp: '123456' });
    await t.login('audit');
    const entries = value<{ action: string; username: string; workstation: string }[]>(await t.call('audit.list', { limit: 1000 }));
    const actions = entries.map((e) => e.action);
    for (const a of ['auth.login', 'auth.login_failed', 'accounts.create', 'manifest.import']) expect(actions).toContain(a);
    expect(entries.find((e) => e.action === 'auth.login_failed')).toMatchObject({ username: 'li', workstation: 'counter-1' });
    const verify = value<{ log: string; ok: boolean }[]>(await t.call('audit.verify', {}));
    expect(verify.find((v) => v.log === 'audit')).toMatchObject({ ok: true });
  });

  it('lookup-rate rule: 20 lookups a minute pass, the 21st locks the shift until a supervisor reviews it', async () => {
    await t.login('li');
    for (let i = 0; i < 20; i++) expect(code(await t.call('counter.find', { by: 'waybill', value: row.waybill_no }))).toBe('ok');
    await t.call('counter.find', { by: 'waybill', value: row.waybill_no });
    expect(t.events.some((e) => e.event === 'anomaly.alert')).toBe(true);
    expect(code(await t.call('counter.find', { by: 'waybill', value: row.waybill_no }))).toBe('SESSION_ANOMALY_LOCKED');
    expect(code(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('SESSION_ANOMALY_LOCKED');

    await t.login('boss');
    const alerts = value<{ id: number; rule: string; username: string }[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(alerts).toMatchObject([{ rule: 'lookup-rate', username: 'li' }]);
    expect(code(await t.call('anomaly.review', { alertId: alerts[0].id, note: '核实为正常高峰', totp: t.code('boss') }))).toBe('ok');
    expect(code(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('ok');
    expect(code(await t.call('counter.find', { by: 'waybill', value: row.waybill_no }))).toBe('ok');
  });

  it('tail-browsing rule: many different phone tails in a row are flagged', async () => {
    await t.login('li');
    for (let i = 0; i < 8; i++) {
      // Each tail lookup says how near the limit the clerk is, so the counter can warn.
      expect(value<CounterLookupResult>(await t.call('counter.find', { by: 'tail', value: String(1000 + i) })).tails).toEqual({ count: i + 1, limit: 8 });
      t.clock.advance(10_000);
    }
    await t.call('counter.find', { by: 'tail', value: '1009' });
    expect(code(await t.call('counter.find', { by: 'tail', value: '1010' }))).toBe('SESSION_ANOMALY_LOCKED');
    // The lock says which rule fired and what it saw, for the lock screen.
    expect(value<SessionStatus>(await t.call('auth.status', {}))).toMatchObject({ lock: 'anomaly', anomaly: { rule: 'tail-browsing', facts: { count: 9, limit: 8 } } });
    // What the rule saw travels as numbers (the screens say it in either language), in the alert and in the log.
    await t.login('boss');
    const [alert] = value<AnomalyAlert[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(alert).toMatchObject({ rule: 'tail-browsing', facts: { count: 9, limit: 8 } });
    const [entry] = value<AuditEntry[]>(await t.call('audit.list', { action: 'anomaly.alert', limit: 1 }));
    expect(entry.detail).toEqual({ rule: 'tail-browsing', count: 9, limit: 8 });
  });

  it('tail lookups that lead to a handover are the counter’s work: a queue of customers never nears the limit', async () => {
    // Rows whose phone tail is theirs alone, so each lookup finds one customer.
    const rows = fixtureRows('manifest-small.csv');
    const tailOf = (r: (typeof rows)[number]) => phoneTail(parsePhone(r.recipient_phone)!);
    const unique = rows.filter((r) => rows.filter((o) => tailOf(o) === tailOf(r)).length === 1).slice(0, 12);
    expect(unique).toHaveLength(12);
    await t.login('li');
    for (const r of unique) expect(code(await t.call('counter.scanIn', { waybill: r.waybill_no }))).toBe('ok');
    for (const r of unique) {
      const found = value<CounterLookupResult>(await t.call('counter.find', { by: 'tail', value: tailOf(r) }));
      expect(found).toMatchObject({ kind: 'customer', tails: { count: 1, limit: 8 } });
      const parcels = found.kind === 'customer' ? found.parcels : [];
      expect(code(await t.call('counter.handOver', { customerParcelId: parcels[0].id, waybill: r.waybill_no }))).toBe('ok');
      t.clock.advance(20_000);
    }
    expect(t.events.filter((e) => e.event === 'anomaly.alert')).toEqual([]);
  });

  it('an alert raised before its facts were numbers is read back from its sentence', () => {
    expect(alertFacts('9 different phone tails without a handover > 8')).toEqual({ count: 9, limit: 8 });
    expect(alertFacts('5 failed logins in 10 min >= 5')).toEqual({ count: 5, limit: 5 });
    expect(alertFacts('activity at local minute 1290 outside opening hours')).toEqual({ minute: 1290 });
    expect(alertFacts(JSON.stringify({ count: 4, limit: 3 }))).toEqual({ count: 4, limit: 3 });
  });

  it('unmask-count rule: a clerk’s 4th unmask of a shift is refused and flagged', async () => {
    await t.login('li');
    for (let i = 0; i < 3; i++) expect(code(await unmaskAs(true))).toBe('ok');
    const fourth = await unmaskAs(true);
    expect(code(fourth)).toBe('SESSION_ANOMALY_LOCKED');
    expect(JSON.stringify(fourth)).not.toContain(parsePhone(row.recipient_phone)!.digits);
    expect(t.events.filter((e) => e.event === 'anomaly.alert')).toMatchObject([{ payload: { rule: 'unmask-count', username: 'li' } }]);
  });

  it('a supervisor over a threshold is flagged for the auditor but not locked out', async () => {
    for (let i = 0; i < 4; i++) expect(code(await unmaskAs(false, t.code('boss')))).toBe('ok');
    await t.login('audit');
    const alerts = value<{ rule: string; username: string }[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(alerts).toMatchObject([{ rule: 'unmask-count', username: 'boss' }]);
  });

  it('outside-hours rule: activity at 23:00 station time is flagged, at 21:59 it is not', async () => {
    await t.login('li');
    // Long gaps also trip the idle lock: the PIN resumes, and resuming is activity too.
    t.clock.now = new Date('2026-11-25T21:59:00+08:00');
    expect(code(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('ok');
    expect(code(await t.call('counter.find', { by: 'waybill', value: row.waybill_no }))).toBe('ok');
    t.clock.now = new Date('2026-11-25T23:00:00+08:00');
    await t.call('auth.resume', { username: 'li', pin: PIN });
    expect(code(await t.call('counter.find', { by: 'waybill', value: row.waybill_no }))).toBe('SESSION_ANOMALY_LOCKED');
    await t.login('boss');
    const alerts = value<{ rule: string; username: string }[]>(await t.call('anomaly.list', { openOnly: true }));
    // The supervisor's own late login is flagged too, but does not lock them out.
    expect(alerts.map((a) => `${a.username}:${a.rule}`).sort()).toEqual(['boss:outside-hours', 'li:outside-hours']);
    expect(code(await t.call('audit.list', {}))).toBe('ok');
  });

  it('failed-logins rule: the 5th failure in 10 minutes raises an alert', async () => {
    for (let i = 0; i < 4; i++) await t.call('auth.login', { username: 'li', password: 'wrong-password', totp: '123456' });
    let alerts = value<unknown[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(alerts).toHaveLength(0);
    await t.call('auth.login', { username: 'li', password: 'wrong-password', totp: '123456' });
    await t.login('boss');
    alerts = value<{ rule: string }[]>(await t.call('anomaly.list', { openOnly: true }));
    expect(alerts).toMatchObject([{ rule: 'failed-logins' }]);
  });
});
