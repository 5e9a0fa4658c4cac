// Handlers: first-run bootstrap, enrolment, login, shifts, accounts. Logins,
// failures and account changes are audited; failed logins feed the anomaly rules.
import QRCode from 'qrcode';
import type { Actor } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { Enrolment } from '../../../shared/ipc/contract';
import { can } from '../../../shared/permissions';
import { otpauthUri } from '../../auth/totp';
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

const ISSUER = '隐私驿站 Privacy Counter';
const CREDENTIAL_FAILURES = new Set(['LOGIN_FAILED', 'WRONG_PIN', 'WRONG_CODE', 'ACCOUNT_LOCKED']);

async function enrolment(username: string, base32Secret: string): Promise<Enrolment> {
  const uri = otpauthUri(base32Secret, username, ISSUER);
  return { username, otpauthUri: uri, qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }) };
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
          { action: 'auth.login_failed', actor: null, username, workstation: app.workstation, detail: { reason: e.code } },
          { kind: 'login-failed' },
        );
      }
      throw e;
    }
  };
  const startShift = (actor: Actor, how: 'login' | 'enrol') => {
    s().oversight.shiftStarted(actor);
    s().oversight.record({ action: 'auth.login', actor, detail: { how } }, { kind: 'activity' });
  };

  return {
    'auth.status': () => status(),
    'auth.bootstrap': ({ username, displayName, password }) => {
      const { accounts, oversight } = s();
      if (accounts.count() > 0) throw new AppError('BOOTSTRAP_DONE');
      const user = accounts.create({ username, displayName, role: 'supervisor', password }, null);
      oversight.record({ action: 'accounts.create', actor: null, username, workstation: app.workstation, detail: { userId: user.id, role: user.role, bootstrap: true } });
      return enrolment(user.username, accounts.pendingTotpSecret(user.id));
    },
    'auth.enrolment': ({ username, password }) => {
      const { accounts } = s();
      const user = attempt(username, () => accounts.check(username, { password }));
      return enrolment(user.username, accounts.pendingTotpSecret(user.id));
    },
    'auth.enrol': ({ username, password, totp, pin }) => {
      startShift(attempt(username, () => s().sessions.enrol(username, password, totp, pin)), 'enrol');
      return status();
    },
    'auth.login': ({ username, password, totp }) => {
      startShift(attempt(username, () => s().sessions.login(username, password, totp)), 'login');
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
