import { resultCode } from '../helpers/results';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PASSWORD, PIN, startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { readFixture, tempDir } from '../helpers/fixtures';

const errorCode = resultCode;

describe.each(ENGINE_CASES)('accounts, login and shifts (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [
      { username: 'li', role: 'clerk' },
      { username: 'zhao', role: 'clerk' },
      { username: 'audit', role: 'auditor' },
    ], { engine });
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('bootstrap happens once; login needs password and a fresh TOTP code', async () => {
    expect(errorCode(await t.call('auth.bootstrap', { username: 'x2', displayName: 'x', password: PASSWORD }))).toBe('BOOTSTRAP_DONE');
    await t.call('auth.logout', {});
    expect(errorCode(await t.call('counter.find', { by: 'tail', value: '1234' }))).toBe('NOT_LOGGED_IN');
    const code = t.code('li');
    expect(errorCode(await t.call('auth.login', { username: 'li', password: 'wrong-password', totp: code }))).toBe('LOGIN_FAILED');
    expect(errorCode(await t.call('auth.login', { username: 'li', password: PASSWORD, totp: code }))).toBe('ok');
    // The same code again is a replay.
    await t.call('auth.logout', {});
    expect(errorCode(await t.call('auth.login', { username: 'li', password: PASSWORD, totp: code }))).toBe('LOGIN_FAILED');
  });

  it('a new account’s password alone leads to enrolment, without counting as a failure', async () => {
    expect(errorCode(await t.call('accounts.create', { username: 'new1', displayName: 'n', role: 'clerk', password: 'short', totp: '000000' }))).toBe('INVALID_INPUT');
    expect(errorCode(await t.call('accounts.create', { username: 'new1', displayName: 'n', role: 'clerk', password: PASSWORD, totp: t.code('boss') }))).toBe('ok');
    for (let i = 0; i < 6; i++) {
      expect(errorCode(await t.call('auth.login', { username: 'new1', password: PASSWORD, totp: '000000' }))).toBe('TOTP_NOT_ENROLLED');
    }
    expect(errorCode(await t.call('auth.login', { username: 'new1', password: 'wrong-password', totp: '000000' }))).toBe('LOGIN_FAILED');
    expect(errorCode(await t.call('auth.enrolment', { username: 'new1', password: PASSWORD }))).toBe('ok');
  });

  it('locks an account after 5 failures with a clear message; a supervisor clears it', async () => {
    await t.call('auth.logout', {});
    for (let i = 0; i < 4; i++) {
      expect(errorCode(await t.call('auth.login', { username: 'li', password: 'nope-nope', totp: '000000' }))).toBe('LOGIN_FAILED');
    }
    const fifth = await t.call('auth.login', { username: 'li', password: 'nope-nope', totp: '000000' });
    expect(errorCode(fifth)).toBe('ACCOUNT_LOCKED');
    expect(fifth.ok ? '' : fifth.error.message.zh).toMatch(/站长解锁/);
    expect(errorCode(await t.call('auth.login', { username: 'li', password: PASSWORD, totp: t.code('li') }))).toBe('ACCOUNT_LOCKED');
    await t.login('boss');
    const list = await t.call('accounts.list', {});
    const li = (list.ok ? (list.value as { id: number; username: string; locked: boolean }[]) : []).find((u) => u.username === 'li')!;
    expect(li.locked).toBe(true);
    expect(errorCode(await t.call('accounts.update', { userId: li.id, clearLockout: true, totp: t.code('boss') }))).toBe('ok');
    expect(errorCode(await t.call('auth.login', { username: 'li', password: PASSWORD, totp: t.code('li') }))).toBe('ok');
  });

  it('idle lock after 5 minutes; the PIN resumes the same shift', async () => {
    await t.login('li');
    t.clock.advance(6 * 60_000);
    expect(errorCode(await t.call('counter.find', { by: 'tail', value: '1234' }))).toBe('SESSION_IDLE_LOCKED');
    const s = await t.call('auth.status', {});
    expect(s.ok && s.value).toMatchObject({ active: { username: 'li' }, lock: 'idle' });
    expect(errorCode(await t.call('auth.resume', { username: 'li', pin: '0000' }))).toBe('WRONG_PIN');
    expect(errorCode(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('ok');
    expect(errorCode(await t.call('counter.find', { by: 'tail', value: '1234' }))).toBe('ok');
  });

  it('switches between open shifts with the PIN, so actions stay under the right name', async () => {
    await t.login('li');
    await t.login('zhao');
    const st = await t.call('auth.status', {});
    expect(st.ok && st.value).toMatchObject({ active: { username: 'zhao' } });
    expect(st.ok && (st.value as { openShifts: { username: string }[] }).openShifts.map((x) => x.username).sort()).toEqual(['boss', 'li']);
    expect(errorCode(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('ok');
    const after = await t.call('auth.status', {});
    expect(after.ok && after.value).toMatchObject({ active: { username: 'li' } });
    // Someone who has not started a shift here cannot be switched to with a PIN.
    expect(errorCode(await t.call('auth.resume', { username: 'audit', pin: PIN }))).toBe('NO_OPEN_SHIFT');
  });

  it('a shift past its length ends, waiting ones too: the login screen is told whose, and no PIN resumes it', async () => {
    await t.login('li');
    t.clock.advance(10 * 3_600_000);
    await t.login('zhao');
    // Five more hours: li's shift is 15 hours old (past 14), zhao's 5.
    t.clock.advance(5 * 3_600_000);
    const st = await t.call('auth.status', {});
    expect(st.ok && st.value).toMatchObject({ active: { username: 'zhao' }, shiftExpired: null });
    expect(st.ok && (st.value as { openShifts: { username: string }[] }).openShifts.map((x) => x.username)).not.toContain('li');
    expect(errorCode(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('NO_OPEN_SHIFT');

    // Ten more: zhao's own shift, on screen, runs out; the screen says so until the next login.
    t.clock.advance(10 * 3_600_000);
    const ended = await t.call('auth.status', {});
    expect(ended.ok && ended.value).toMatchObject({ active: null, openShifts: [], shiftExpired: { displayName: expect.any(String), hours: 14 } });
    await t.login('li');
    const back = await t.call('auth.status', {});
    expect(back.ok && back.value).toMatchObject({ active: { username: 'li' }, shiftExpired: null });
  });

  it('supervisor actions need a fresh TOTP each time; nobody changes their own role', async () => {
    const list = await t.call('accounts.list', {});
    const users = list.ok ? (list.value as { id: number; username: string }[]) : [];
    const boss = users.find((u) => u.username === 'boss')!;
    const li = users.find((u) => u.username === 'li')!;
    expect(errorCode(await t.raw('accounts.update', { userId: li.id, role: 'supervisor' }))).toBe('INVALID_INPUT');
    expect(errorCode(await t.call('accounts.update', { userId: li.id, role: 'auditor', totp: '123456' }))).toBe('WRONG_CODE');
    expect(errorCode(await t.call('accounts.update', { userId: boss.id, role: 'clerk', totp: t.code('boss') }))).toBe('OWN_ACCOUNT');
    expect(errorCode(await t.call('accounts.update', { userId: li.id, role: 'auditor', totp: t.code('boss') }))).toBe('ok');
    // A clerk cannot manage accounts at all.
    await t.login('zhao');
    expect(errorCode(await t.call('accounts.update', { userId: li.id, role: 'supervisor', totp: t.code('zhao') }))).toBe('FORBIDDEN');
    expect(errorCode(await t.call('accounts.create', { username: 'evil', displayName: 'e', role: 'supervisor', password: PASSWORD, totp: t.code('zhao') }))).toBe('FORBIDDEN');
  });

  it('an auditor cannot see parcels or import', async () => {
    await t.login('audit');
    expect(errorCode(await t.call('counter.find', { by: 'tail', value: '1234' }))).toBe('FORBIDDEN');
    expect(errorCode(await t.call('manifest.import', { fileName: 'm.csv', bytes: readFixture('manifest-small.csv') }))).toBe('FORBIDDEN');
  });
});
