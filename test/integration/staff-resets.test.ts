// A supervisor resets a clerk's forgotten password or PIN, or a lost
// authenticator, from the accounts screen's channel: each with the
// supervisor's code, never on their own account, audited by what was reset
// and never with the new secret.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, UserSummary } from '../../shared/ipc/contract';
import { PASSWORD, PIN, startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';
import { resultCode, valueOf } from '../helpers/results';

describe.each(ENGINE_CASES)('staff resets (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  let li: UserSummary;
  const boss = () => t.code('boss');

  beforeEach(async () => {
    tmp = tempDir();
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }], { engine });
    li = valueOf<UserSummary[]>(await t.call('accounts.list', {})).find((u) => u.username === 'li')!;
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('a new password replaces the forgotten one; a new PIN resumes the shift; both audited without the secret', async () => {
    expect(resultCode(await t.call('accounts.update', { userId: li.id, password: 'short', totp: boss() }))).toBe('INVALID_INPUT');
    valueOf(await t.call('accounts.update', { userId: li.id, password: 'brand-new-pass', totp: boss() }));
    expect(resultCode(await t.call('auth.login', { username: 'li', password: PASSWORD, totp: t.code('li') }))).toBe('LOGIN_FAILED');
    valueOf(await t.call('auth.login', { username: 'li', password: 'brand-new-pass', totp: t.code('li') }));
    valueOf(await t.call('auth.lock', {}));
    await t.login('boss');
    valueOf(await t.call('accounts.update', { userId: li.id, pin: '97531', totp: boss() }));
    valueOf(await t.call('auth.lock', {}));
    expect(resultCode(await t.call('auth.resume', { username: 'li', pin: PIN }))).toBe('WRONG_PIN');
    valueOf(await t.call('auth.resume', { username: 'li', pin: '97531' }));

    await t.login('boss');
    const entries = valueOf<AuditEntry[]>(await t.call('audit.list', { action: 'accounts.update' }));
    const resets = entries.filter((e) => e.detail.userId === li.id && (e.detail.passwordReset || e.detail.pinReset));
    expect(resets.map((e) => [e.detail.passwordReset, e.detail.pinReset]).sort()).toEqual([[false, true], [true, false]]);
    expect(JSON.stringify(entries)).not.toContain('brand-new-pass');
    expect(JSON.stringify(entries)).not.toContain('97531');
  });

  it('nobody resets their own password or PIN this way; a clerk cannot reset anyone', async () => {
    const me = valueOf<UserSummary[]>(await t.call('accounts.list', {})).find((u) => u.username === 'boss')!;
    expect(resultCode(await t.call('accounts.update', { userId: me.id, pin: '1357', totp: boss() }))).toBe('OWN_ACCOUNT');
    await t.login('li');
    expect(resultCode(await t.call('accounts.update', { userId: me.id, password: 'brand-new-pass', totp: t.code('li') }))).toBe('FORBIDDEN');
  });

  it('a lost authenticator: the clerk enrols a new one at the next login', async () => {
    valueOf(await t.call('accounts.update', { userId: li.id, resetTotp: true, totp: boss() }));
    const enrolment = valueOf<{ otpauthUri: string }>(await t.call('auth.enrolment', { username: 'li', password: PASSWORD }));
    expect(enrolment.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  });
});
