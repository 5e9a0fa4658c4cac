// The CLI's account recovery (`account unlock|reset-2fa|add|list|disable`) and
// `shred` with both people's authenticator codes, in child processes against
// a real store; the results are checked through the same Accounts service.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Store } from '../../main/store/engine/store';
import { Accounts } from '../../main/auth/accounts';
import { base32Decode, totp } from '../../main/auth/totp';
import { openStation } from '../../main/store/station';
import { PASSWORD, PIN, startApp, TEST_HASH, type TestApp } from '../helpers/app';
import { cliAuditTrail, runCli, type CliResult } from '../helpers/cli';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { resultCode } from '../helpers/results';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const error = (r: CliResult) => (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;

describe.each(ENGINE_CASES)('account and shred CLI (%s)', { timeout: 300_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db = '';
  let t: TestApp;
  /** Staff checks as the app makes them, on the real clock the CLI used. */
  const withAccounts = async <T>(job: (a: Accounts, q: Store) => Promise<T>): Promise<T> => {
    const station = await openStation(db, TEST_PASSPHRASE);
    try {
      return await job(new Accounts(station, () => new Date(), TEST_HASH), station.store);
    } finally {
      await station.close();
    }
  };
  const failedLogins = async (username: string) => Number(await t.value('SELECT failed_logins FROM users WHERE username = ?', username));

  beforeAll(async () => {
    t = await startApp(
      tmp.dir,
      [
        { username: 'clerk1', role: 'clerk' },
        { username: 'clerk2', role: 'clerk' },
      ],
      { engine },
    );
    db = t.dbPath;
    expect(resultCode(await t.call('manifest.import', { fileName: 'm.csv', bytes: readFixture('manifest-small.csv') }))).toBe('ok');
    // The supervisor locked out by five wrong passwords.
    await t.call('auth.logout', {});
    for (let i = 0; i < 5; i++) await t.call('auth.login', { username: 'boss', password: 'wrong-password', totp: '123456' });
    await t.app.close();
  }, 120_000);
  afterAll(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('account unlock: needs the passphrase, clears the lockout, is audited', async () => {
    expect(await withAccounts(async (a, q) => (await a.findByUsername(q, 'boss'))?.locked)).toBe(true);
    const noPass = runCli(['account', 'unlock', '--db', db, '--username', 'boss'], { STATION_PASSPHRASE: '' });
    expect(error(noPass).code).toBe('PASSPHRASE_MISSING');
    const wrong = runCli(['account', 'unlock', '--db', db, '--username', 'boss'], { STATION_PASSPHRASE: 'not-the-passphrase' });
    expect(error(wrong).code).toBe('WRONG_PASSPHRASE');
    expect(error(runCli(['account', 'unlock', '--db', db, '--username', 'nobody'], PASS)).code).toBe('USER_NOT_FOUND');
    const r = runCli(['account', 'unlock', '--db', db, '--username', 'boss'], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toMatchObject({ username: 'boss', locked: false });
    expect(await withAccounts(async (a, q) => (await a.findByUsername(q, 'boss'))?.locked)).toBe(false);
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).at(-1)).toMatchObject({ action: 'accounts.update', detail: { clearLockout: true, resetTotp: false } });
  });

  it('account reset-2fa: a new secret and ten recovery codes shown once; the old authenticator stops working', async () => {
    const old = t.secret('boss');
    const r = runCli(['account', 'reset-2fa', '--db', db, '--username', 'boss'], PASS);
    expect(r.code, r.stderr).toBe(0);
    const out = r.lines[0] as { otpauthUri: string; recoveryCodes: string[]; totpEnrolled: boolean };
    expect(out.totpEnrolled).toBe(true);
    expect(out.recoveryCodes).toHaveLength(10);
    const secret = base32Decode(new URL(out.otpauthUri).searchParams.get('secret')!);
    expect(Buffer.from(secret).equals(Buffer.from(old))).toBe(false);
    await expect(withAccounts((a, q) => a.check(q, 'boss', { password: PASSWORD, totp: totp(old, new Date()) }))).rejects.toThrow(/动态码|Wrong/);
    expect((await withAccounts((a, q) => a.check(q, 'boss', { password: PASSWORD, totp: totp(secret, new Date()) }))).username).toBe('boss');
    expect((await withAccounts((a, q) => a.check(q, 'boss', { password: PASSWORD, recovery: out.recoveryCodes[0] }))).username).toBe('boss');
    // The PIN set at enrolment still opens the lock screen.
    expect((await withAccounts((a, q) => a.check(q, 'boss', { pin: PIN }))).username).toBe('boss');
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).at(-1)).toMatchObject({ action: 'accounts.update', detail: { resetTotp: true } });
    // Codes are shown this once: the store keeps hashes only.
    const stored = JSON.stringify(await withAccounts((_a, q) => q.all('SELECT * FROM recovery_codes')));
    for (const c of out.recoveryCodes) expect(stored).not.toContain(c);
  });

  it('account add, list, disable', async () => {
    expect(error(runCli(['account', 'add', '--db', db, '--username', 'zhou', '--role', 'clerk'], PASS)).code).toBe('ACCOUNT_PASSWORD_MISSING');
    expect(runCli(['account', 'add', '--db', db, '--username', 'zhou', '--role', 'owner'], { ...PASS, ACCOUNT_PASSWORD: PASSWORD }).code).toBe(2);
    const added = runCli(['account', 'add', '--db', db, '--username', 'zhou', '--role', 'clerk', '--display-name', '周'], { ...PASS, ACCOUNT_PASSWORD: PASSWORD });
    expect(added.code, added.stderr).toBe(0);
    expect(added.lines[0]).toMatchObject({ username: 'zhou', displayName: '周', role: 'clerk', totpEnrolled: false, otpauthUri: expect.stringMatching(/^otpauth:\/\/totp\//) });
    const list = runCli(['account', 'list', '--db', db], PASS);
    expect(list.lines.map((u) => (u as { username: string }).username).sort()).toEqual(['boss', 'clerk1', 'clerk2', 'zhou']);
    const disabled = runCli(['account', 'disable', '--db', db, '--username', 'zhou'], PASS);
    expect(disabled.lines[0]).toMatchObject({ username: 'zhou', disabled: true });
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).slice(-2)).toMatchObject([
      { action: 'accounts.create', detail: { role: 'clerk' } },
      { action: 'accounts.update', detail: { disabled: true } },
    ]);
    expect(runCli(['account', 'rename', '--db', db, '--username', 'zhou'], PASS).code).toBe(2);
  });

  it('shred needs both people’s current codes: missing is a usage error; a wrong or replayed one records nothing, is audited and counted', async () => {
    const rows = fixtureRows('manifest-small.csv');
    const list = join(tmp.dir, 'bag.txt');
    writeFileSync(list, `${rows[0].waybill_no}\n`);
    const shred = (...who: string[]) => runCli(['shred', '--db', db, '--waybills', list, '--method', 'burn', ...who], PASS);
    const shredEntries = async () => Number(await t.value("SELECT count(*) FROM chain_entries WHERE log = 'shred'"));
    expect(shred('--operator', 'clerk1', '--witness', 'clerk2').code).toBe(2);

    const before = await shredEntries();
    const c1 = totp(t.secret('clerk1'), new Date());
    const wrong = shred('--operator', 'clerk1', '--operator-code', c1, '--witness', 'clerk2', '--witness-code', '000000');
    expect(wrong.code).toBe(1);
    expect(error(wrong).code).toBe('WRONG_CODE');
    expect(error(wrong).message).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
    expect(await shredEntries()).toBe(before);
    expect(await failedLogins('clerk2')).toBe(1);

    // The operator's code was not spent by the refused run: it records now, and cannot be replayed.
    const c2 = totp(t.secret('clerk2'), new Date());
    const ok = shred('--operator', 'clerk1', '--operator-code', c1, '--witness', 'clerk2', '--witness-code', c2);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.lines[0]).toMatchObject({ operator: 'clerk1', witness: 'clerk2', waybills: [rows[0].waybill_no] });
    expect(await failedLogins('clerk2')).toBe(0);
    writeFileSync(list, `${rows[1].waybill_no}\n`);
    const replay = shred('--operator', 'clerk1', '--operator-code', c1, '--witness', 'clerk2', '--witness-code', c2);
    expect(error(replay).code).toBe('WRONG_CODE');
    expect(await shredEntries()).toBe(before + 1);

    const audit = await withAccounts((_a, q) => q.all<{ payload: string }>("SELECT payload FROM chain_entries WHERE log = 'audit' ORDER BY seq"));
    const failures = audit.map((e) => JSON.parse(e.payload) as { action: string; username: string; detail: { as?: string } }).filter((e) => e.action === 'auth.login_failed');
    expect(failures.slice(-2)).toMatchObject([
      { username: 'clerk2', detail: { as: 'witness' } },
      { username: 'clerk1', detail: { as: 'operator' } },
    ]);
  });
});
