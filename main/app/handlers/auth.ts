// Handlers: first-run bootstrap, enrolment, login, shifts, accounts. Logins,
// failures and account changes are audited; failed logins feed the anomaly rules.
import QRCode from 'qrcode';
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { Enrolment } from '../../../shared/ipc/contract';
import { can } from '../../../shared/permissions';
import type { Accounts, UserSummary } from '../../auth/accounts';
import { otpauthUri } from '../../auth/totp';
import { triedUsername } from '../../auth/tried-username';
import type { Handlers } from '../../ipc/router';
import type { AppContext } from '../context';

type AuthHandlers = Pick<
  Handlers,
  | 'auth.status'
  | 'auth.bootstrap'
  | 'auth.enrolment'
  | 'auth.enrol'
  | 'auth.login'
  | 'auth.resume'
  | 'auth.lock'
  | 'auth.logout'
  | 'accounts.list'
  | 'accounts.create'
  | 'accounts.update'
>;

const CREDENTIAL_FAILURES = new Set(['LOGIN_FAILED', 'WRONG_PIN', 'WRONG_CODE', 'ACCOUNT_LOCKED']);

/** The QR code of a pending enrolment, with a fresh set of recovery codes (any earlier unused set is void). */
async function enrolment(accounts: Accounts, user: UserSummary): Promise<Enrolment> {
  const uri = otpauthUri(accounts.pendingTotpSecret(user.id), user.username);
  return {
    username: user.username,
    otpauthUri: uri,
    qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
    recoveryCodes: accounts.issueRecoveryCodes(user.id),
  };
}

function refuseOwnAccount(actor: Actor, userId: number): void {
  // Nobody raises their own role or lifts their own lock.
  if (actor.userId === userId) throw new AppError('OWN_ACCOUNT');
}

export function authHandlers(app: AppContext): AuthHandlers {
  const s = () => app.unlocked();
  const status = () => {
    const { sessions, oversight, ledger } = s();
    const shift = sessions.status();
    const keepsLedger = shift.active !== null && can(shift.active.role, 'ledger.record');
    return { ...shift, openAlerts: oversight.openAlertCount(), outstandingPapers: keepsLedger ? ledger.outstandingCount() : null };
  };

  /** Runs a credential check; a failure is audited (and counted by the rules) before it is reported. */
  const attempt = <T>(username: string, step: () => T): T => {
    try {
      return step();
    } catch (e) {
      if (e instanceof AppError && CREDENTIAL_FAILURES.has(e.code)) {
        s().oversight.record(
          { action: 'auth.login_failed', actor: null, username: triedUsername(s().accounts, s().station.keys, username), workstation: app.workstation, detail: { reason: e.code } },
          { kind: 'login-failed' },
        );
      }
      throw e;
    }
  };
  const startShift = (actor: Actor, how: 'login' | 'enrol' | 'recovery-code') => {
    const { oversight, accounts } = s();
    oversight.shiftStarted(actor);
    // A recovery code used: how many remain, so a supervisor sees when a new set is due.
    const detail: Record<string, string | number> = how === 'recovery-code' ? { how, recoveryCodesLeft: accounts.unusedRecoveryCodes(actor.userId) } : { how };
    oversight.record({ action: 'auth.login', actor, detail }, { kind: 'activity' });
  };

  return {
    'auth.status': () => status(),
    'auth.bootstrap': ({ username, displayName, password }) => {
      const { accounts, oversight } = s();
      if (accounts.count() > 0) throw new AppError('BOOTSTRAP_DONE');
      const user = accounts.create({ username, displayName, role: 'supervisor', password }, null);
      oversight.record({ action: 'accounts.create', actor: null, username, workstation: app.workstation, detail: { userId: user.id, role: user.role, bootstrap: true } });
      return enrolment(accounts, user);
    },
    'auth.enrolment': ({ username, password }) => {
      const { accounts } = s();
      const user = attempt(username, () => accounts.check(username, { password }));
      return enrolment(accounts, user);
    },
    'auth.enrol': ({ username, password, totp, pin }) => {
      startShift(attempt(username, () => s().sessions.enrol(username, password, totp, pin)), 'enrol');
      return status();
    },
    'auth.login': ({ username, password, totp, recoveryCode }) => {
      const second = recoveryCode === undefined ? { totp: totp! } : { recovery: recoveryCode };
      startShift(attempt(username, () => s().sessions.login(username, password, second)), recoveryCode === undefined ? 'login' : 'recovery-code');
      return status();
    },
    'auth.resume': ({ username, pin }) => {
      const actor = attempt(username, () => s().sessions.resume(username, pin));
      s().oversight.record({ action: 'auth.resume', actor }, { kind: 'activity' });
      return status();
    },
    'auth.lock': () => {
      s().sessions.lockActive();
      return status();
    },
    'auth.logout': () => {
      const { sessions, oversight } = s();
      const active = sessions.status().active;
      const user = active && s().accounts.findByUsername(active.username);
      if (user) oversight.record({ action: 'auth.logout', actor: sessions.actorOf(user) });
      sessions.logout();
      return status();
    },
    'accounts.list': () => s().accounts.list(),
    'accounts.create': ({ username, displayName, role, password }, { actor }) => {
      const user = s().accounts.create({ username, displayName, role, password }, actor.userId);
      s().oversight.record({ action: 'accounts.create', actor, detail: { userId: user.id, role } });
      return user;
    },
    'accounts.update': ({ userId, role, disabled, clearLockout, resetTotp }, { actor }) => {
      const { accounts, oversight } = s();
      const before = accounts.get(userId);
      if (role !== undefined || disabled !== undefined || clearLockout) refuseOwnAccount(actor, userId);
      if (role !== undefined) accounts.setRole(userId, role);
      if (disabled !== undefined) accounts.setDisabled(userId, disabled);
      if (clearLockout) accounts.clearLockout(userId);
      if (resetTotp) accounts.resetTotp(userId);
      oversight.record({
        action: 'accounts.update',
        actor,
        detail: { userId, fromRole: before.role, toRole: role ?? null, disabled: disabled ?? null, clearLockout: !!clearLockout, resetTotp: !!resetTotp },
      });
      return accounts.get(userId);
    },
  };
}
