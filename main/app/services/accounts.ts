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
  /** A forgotten password or PIN: the supervisor sets a new one and tells the person; never recorded. */
  password?: string;
  pin?: string;
}

export class AccountsService {
  constructor(
    private readonly deps: ServiceDeps,
    /** Papers awaiting shredding, shown to whoever keeps the ledger. */
    private readonly outstandingPapers: () => Promise<number>,
  ) {}

  private get store() {
    return this.deps.station.store;
  }

  async status() {
    const { sessions, oversight } = this.deps;
    const shift = await sessions.status();
    const keepsLedger = shift.active !== null && can(shift.active.role, 'ledger.record');
    return { ...shift, openAlerts: await oversight.openAlertCount(this.store), outstandingPapers: keepsLedger ? await this.outstandingPapers() : null };
  }

  /** The first supervisor of a new station, by whoever sets it up. */
  async bootstrap({ username, displayName, password }: Omit<NewAccount, 'role'>): Promise<Enrolment> {
    const { accounts, oversight, tx, workstation } = this.deps;
    const user = await tx.run(async (t) => {
      if ((await accounts.count(t)) > 0) throw new AppError('BOOTSTRAP_DONE');
      const created = await accounts.create(t, { username, displayName, role: 'supervisor', password }, null);
      await oversight.record(t, { action: 'accounts.create', actor: null, username, workstation, detail: { userId: created.id, role: created.role, bootstrap: true } });
      return created;
    });
    return this.enrolmentOf(user);
  }

  /** A pending enrolment's QR code, with a fresh set of recovery codes (any earlier unused set is void). */
  async enrolment(username: string, password: string): Promise<Enrolment> {
    return this.enrolmentOf(await this.attempt(username, () => this.deps.accounts.check(this.store, username, { password })));
  }

  async enrol(username: string, password: string, totp: string, pin: string) {
    await this.startShift(await this.attempt(username, () => this.deps.sessions.enrol(username, password, totp, pin)), 'enrol');
    return this.status();
  }

  async login(username: string, password: string, second: { totp: string } | { recovery: string }) {
    await this.startShift(await this.attempt(username, () => this.deps.sessions.login(username, password, second)), 'recovery' in second ? 'recovery-code' : 'login');
    return this.status();
  }

  async resume(username: string, pin: string) {
    const actor = await this.attempt(username, () => this.deps.sessions.resume(username, pin));
    await this.deps.tx.run((t) => this.deps.oversight.record(t, { action: 'auth.resume', actor }, { kind: 'activity' }));
    return this.status();
  }

  /** The screen locked; the shift goes on. */
  async lock() {
    await this.deps.sessions.lockActive();
    return this.status();
  }

  async logout() {
    const { sessions, oversight, accounts, tx } = this.deps;
    const active = (await sessions.status()).active;
    const user = active && (await accounts.findByUsername(this.store, active.username));
    if (user) await tx.run((t) => oversight.record(t, { action: 'auth.logout', actor: sessions.actorOf(user) }));
    await sessions.logout();
    return this.status();
  }

  list() {
    return this.deps.accounts.list(this.store);
  }

  async find(username: string): Promise<UserSummary> {
    const user = await this.deps.accounts.findByUsername(this.store, username);
    if (!user) throw new AppError('USER_NOT_FOUND', username);
    return user;
  }

  create(actor: Actor, input: NewAccount): Promise<UserSummary> {
    const { accounts, oversight, tx } = this.deps;
    return tx.run(async (t) => {
      // The CLI acts as the station administrator, who has no account (user 0).
      const user = await accounts.create(t, input, actor.userId || null);
      await oversight.record(t, { action: 'accounts.create', actor, detail: { userId: user.id, role: user.role } });
      return user;
    });
  }

  /** The authenticator a new account will enrol, for headless setup (the first login in the app shows the same). */
  async pendingEnrolmentUri(user: UserSummary): Promise<string> {
    return otpauthUri(await this.deps.accounts.pendingTotpSecret(this.store, user.id), user.username);
  }

  /** Nobody raises their own role or lifts their own lock. */
  async update(actor: Actor, { userId, role, disabled, clearLockout, resetTotp, password, pin }: AccountChange): Promise<UserSummary> {
    const { accounts, oversight, tx } = this.deps;
    const reset = password !== undefined || pin !== undefined;
    if ((role !== undefined || disabled !== undefined || clearLockout || reset) && actor.userId === userId) throw new AppError('OWN_ACCOUNT');
    return tx.run(async (t) => {
      const before = await accounts.get(t, userId);
      if (role !== undefined) await accounts.setRole(t, userId, role);
      if (disabled !== undefined) await accounts.setDisabled(t, userId, disabled);
      if (clearLockout) await accounts.clearLockout(t, userId);
      if (resetTotp) await accounts.resetTotp(t, userId);
      if (password !== undefined) await accounts.setPassword(t, userId, password);
      if (pin !== undefined) await accounts.setPin(t, userId, pin);
      await oversight.record(t, {
        action: 'accounts.update',
        actor,
        detail: {
          userId,
          fromRole: before.role,
          toRole: role ?? null,
          disabled: disabled ?? null,
          clearLockout: !!clearLockout,
          resetTotp: !!resetTotp,
          ...(reset && { passwordReset: password !== undefined, pinReset: pin !== undefined }),
        },
      });
      return accounts.get(t, userId);
    });
  }

  /**
   * A lost authenticator replaced from the station administrator's terminal:
   * a new secret, enrolled at once (the PIN stays), and a new set of recovery
   * codes, shown this once.
   */
  replaceAuthenticator(actor: Actor, userId: number) {
    const { accounts, oversight, tx } = this.deps;
    return tx.run(async (t) => {
      const before = await accounts.get(t, userId);
      const uri = otpauthUri(await accounts.resetTotp(t, userId), before.username);
      const recoveryCodes = await accounts.issueRecoveryCodes(t, userId);
      await accounts.markEnrolled(t, userId);
      await oversight.record(t, {
        action: 'accounts.update',
        actor,
        detail: { userId, fromRole: before.role, toRole: null, disabled: null, clearLockout: false, resetTotp: true },
      });
      return { ...(await accounts.get(t, userId)), otpauthUri: uri, recoveryCodes };
    });
  }

  /** Runs a credential check; a failure is audited (and counted by the rules) before it is reported. */
  private async attempt<T>(username: string, step: () => Promise<T>): Promise<T> {
    const { oversight, accounts, station, workstation, tx } = this.deps;
    try {
      return await step();
    } catch (e) {
      if (e instanceof AppError && CREDENTIAL_FAILURES.has(e.code)) {
        await tx.run(async (t) =>
          oversight.record(
            t,
            { action: 'auth.login_failed', actor: null, username: await triedUsername(t, accounts, station.keys, username), workstation, detail: { reason: e.code } },
            { kind: 'login-failed' },
          ),
        );
      }
      throw e;
    }
  }

  private async startShift(actor: Actor, how: 'login' | 'enrol' | 'recovery-code') {
    const { oversight, accounts, tx } = this.deps;
    oversight.shiftStarted(actor);
    // A recovery code used: how many remain, so a supervisor sees when a new set is due.
    const detail: Record<string, string | number> =
      how === 'recovery-code' ? { how, recoveryCodesLeft: await accounts.unusedRecoveryCodes(this.store, actor.userId) } : { how };
    await tx.run((t) => oversight.record(t, { action: 'auth.login', actor, detail }, { kind: 'activity' }));
  }

  private async enrolmentOf(user: UserSummary): Promise<Enrolment> {
    const uri = await this.pendingEnrolmentUri(user);
    return {
      username: user.username,
      otpauthUri: uri,
      qrSvg: await QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 }),
      recoveryCodes: await this.deps.tx.run((t) => this.deps.accounts.issueRecoveryCodes(t, user.id)),
    };
  }
}
