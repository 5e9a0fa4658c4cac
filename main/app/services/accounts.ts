// Accounts and sign-in application service: first-run bootstrap, enrolment,
// login, shifts, staff accounts. Logins, failures and account changes are
// audited; failed logins feed the anomaly rules. A failed credential check is
// recorded outside any transaction of the action, so it outlives the refusal.
import QRCode from 'qrcode';
import type { Actor, Role } from '../../../shared/actor';
import { AppError } from '../../../shared/errors';
import type { Enrolment } from '../../../shared/ipc/contract';
import { can } from '../../../shared/permissions';
import type { UserSummary } from '../../auth/accounts';
import { otpauthUri } from '../../auth/totp';
import { triedUsername } from '../../auth/tried-username';
import type { ServiceDeps } from './deps';

const CREDENTIAL_FAILURES = new Set(['LOGIN_FAILED', 'WRONG_PIN', 'WRONG_CODE', 'ACCOUNT_LOCKED']);

export interface NewAccount {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export interface AccountChange {
  userId: number;
  role?: Role;
  disabled?: boolean;
  clearLockout?: boolean;
  resetTotp?: boolean;
}

export class AccountsService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Papers awaiting shredding, shown to whoever keeps the ledger. */
    private readonly outstandingPapers: () => number,
  ) {}

  status() {
    const { sessions, oversight } = this.deps;
    const shift = sessions.status();
    const keepsLedger = shift.active !== null && can(shift.active.role, 'ledger.record');
    return { ...shift, openAlerts: oversight.openAlertCount(), outstandingPapers: keepsLedger ? this.outstandingPapers() : null };
  }

  /** The first supervisor of a new station, by whoever sets it up. */
  bootstrap({ username, displayName, password }: Omit<NewAccount, 'role'>): Promise<Enrolment> {
    const { accounts, oversight, tx, workstation } = this.deps;
    const user = tx.run(() => {
      if (accounts.count() > 0) throw new AppError('BOOTSTRAP_DONE');
      const created = accounts.create({ username, displayName, role: 'supervisor', password }, null);
      oversight.record({ action: 'accounts.create', actor: null, username, workstation, detail: { userId: created.id, role: created.role, bootstrap: true } });
      return created;
    });
    return this.enrolmentOf(user);
  }

  /** A pending enrolment's QR code, with a fresh set of recovery codes (any earlier unused set is void). */
  enrolment(username: string, password: string): Promise<Enrolment> {
    return this.enrolmentOf(this.attempt(username, () => this.deps.accounts.check(username, { password })));
  }

  enrol(username: string, password: string, totp: string, pin: string) {
    this.startShift(this.attempt(username, () => this.deps.sessions.enrol(username, password, totp, pin)), 'enrol');
    return this.status();
  }

  login(username: string, password: string, second: { totp: string } | { recovery: string }) {
    this.startShift(this.attempt(username, () => this.deps.sessions.login(username, password, second)), 'recovery' in second ? 'recovery-code' : 'login');
    return this.status();
  }

  resume(username: string, pin: string) {
    const actor = this.attempt(username, () => this.deps.sessions.resume(username, pin));
    this.deps.tx.run(() => this.deps.oversight.record({ action: 'auth.resume', actor }, { kind: 'activity' }));
    return this.status();
  }

  /** The screen locked; the shift goes on. */
  lock() {
    this.deps.sessions.lockActive();
    return this.status();
  }

  logout() {
    const { sessions, oversight, accounts, tx } = this.deps;
    const active = sessions.status().active;
    const user = active && accounts.findByUsername(active.username);
    if (user) tx.run(() => oversight.record({ action: 'auth.logout', actor: sessions.actorOf(user) }));
    sessions.logout();
    return this.status();
  }

  list() {
    return this.deps.accounts.list();
  }

  find(username: string): UserSummary {
    const user = this.deps.accounts.findByUsername(username);
    if (!user) throw new AppError('USER_NOT_FOUND', username);
    return user;
  }

  create(actor: Actor, input: NewAccount): UserSummary {
    const { accounts, oversight, tx } = this.deps;
    return tx.run(() => {
      // The CLI acts as the station administrator, who has no account (user 0).
      const user = accounts.create(input, actor.userId || null);
      oversight.record({ action: 'accounts.create', actor, detail: { userId: user.id, role: user.role } });
      return user;
    });
  }

  /** The authenticator a new account will enrol, for headless setup (the first login in the app shows the same). */
  pendingEnrolmentUri(user: UserSummary): string {
    return otpauthUri(this.deps.accounts.pendingTotpSecret(user.id), user.username);
  }

  /** Nobody raises their own role or lifts their own lock. */
  update(actor: Actor, { userId, role, disabled, clearLockout, resetTotp }: AccountChange): UserSummary {
    const { accounts, oversight, tx } = this.deps;
    if ((role !== undefined || disabled !== undefined || clearLockout) && actor.userId === userId) throw new AppError('OWN_ACCOUNT');
    return tx.run(() => {
      const before = accounts.get(userId);
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
    });
  }

  /**
   * A lost authenticator replaced from the station administrator's terminal:
   * a new secret, enrolled at once (the PIN stays), and a new set of recovery
   * codes, shown this once.
   */
  replaceAuthenticator(actor: Actor, userId: number) {
    const { accounts, oversight, tx } = this.deps;
    return tx.run(() => {
      const before = accounts.get(userId);
      const uri = otpauthUri(accounts.resetTotp(userId), before.username);
      const recoveryCodes = accounts.issueRecoveryCodes(userId);
      accounts.markEnrolled(userId);
      oversight.record({
        action: 'accounts.update',
        actor,
        detail: { userId, fromRole: before.role, toRole: null, disabled: null, clearLockout: false, resetTotp: true },
      });
      return { ...accounts.get(userId), otpauthUri: uri, recoveryCodes };
    });
  }

  /** Runs a credential check; a failure is audited (and counted by the rules) before it is reported. */
  private attempt<T>(username: string, step: () => T): T {
    const { oversight, accounts, station, workstation } = this.deps;
    try {
      return step();
    } catch (e) {
      if (e instanceof AppError && CREDENTIAL_FAILURES.has(e.code)) {
        oversight.record(
          { action: 'auth.login_failed', actor: null, username: triedUsername(accounts, station.keys, username), workstation, detail: { reason: e.code } },
          { kind: 'login-failed' },
        );
      }
      throw e;
    }
  }

  private startShift(actor: Actor, how: 'login' | 'enrol' | 'recovery-code') {
    const { oversight, accounts, tx } = this.deps;
    oversight.shiftStarted(actor);
    // A recovery code used: how many remain, so a supervisor sees when a new set is due.
    const detail: Record<string, string | number> = how === 'recovery-code' ? { how, recoveryCodesLeft: accounts.unusedRecoveryCodes(actor.userId) } : { how };
    tx.run(() => oversight.record({ action: 'auth.login', actor, detail }, { kind: 'activity' }));
  }

  private async enrolmentOf(user: UserSummary): Promise<Enrolment> {
    const uri = this.pendingEnrolmentUri(user);
    return {
      username: user.username,
      otpauthUri: uri,
      qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      recoveryCodes: this.deps.accounts.issueRecoveryCodes(user.id),
    };
  }
}
