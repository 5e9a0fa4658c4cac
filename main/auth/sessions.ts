// Who is at the counter. A shared counter PC keeps one shift per clerk who
// logged in with password + TOTP; one shift is active at a time, and switching
// between open shifts takes the clerk's PIN, so every action is recorded under
// the person who did it. Idle time locks the active shift (PIN to resume);
// an anomaly locks it until a supervisor reviews it.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { can, STEP_UP_ACTIONS, type Action } from '../../shared/permissions';
import type { Settings } from '../settings/settings';
import type { Store } from '../store/engine/store';
import type { SessionStatus } from '../../shared/ipc/contract';
import type { AnomalyHit } from '../audit/anomaly-rules';
import type { Accounts, UserSummary } from './accounts';

export type LockReason = 'idle' | 'anomaly';

interface Shift {
  user: UserSummary;
  startedAt: number;
  lastActivity: number;
  lock: LockReason | null;
  anomalyAlertId: number | null;
  /** Which rule locked the shift and what it saw, for the lock screen to say. */
  anomaly: AnomalyHit | null;
}

/** Session facts the sessions module knows; the handler adds the alert count. */
export type ShiftStatus = Omit<SessionStatus, 'openAlerts' | 'outstandingPapers'>;

export class Sessions {
  private readonly shifts = new Map<number, Shift>();
  private activeId: number | null = null;
  /** Whose shift last ran out of time while it was on screen, for the login screen to say why; cleared by the next login. */
  private expired: { displayName: string; hours: number } | null = null;
  /** Called when a shift ends (logout or its time is up): the station signs its chains' heads then. */
  onShiftClosed: (() => Promise<unknown>) | null = null;

  constructor(
    /** Credential checks run on the store itself: a failure is kept although the request is refused. */
    private readonly store: Store,
    private readonly accounts: Accounts,
    private readonly settings: Settings,
    private readonly workstation: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Ends every shift past its length, the ones waiting for a PIN too: none of them may be resumed. */
  private async endExpired(): Promise<void> {
    const hours = await this.settings.get(this.store, 'auth.shiftHours');
    const t = this.now().getTime();
    for (const s of [...this.shifts.values()]) {
      if (t - s.startedAt <= hours * 3_600_000) continue;
      this.shifts.delete(s.user.id);
      if (s.user.id === this.activeId) {
        this.activeId = null;
        this.expired = { displayName: s.user.displayName, hours };
      }
      await this.onShiftClosed?.();
    }
  }

  private async active(): Promise<Shift | null> {
    await this.endExpired();
    const s = this.activeId === null ? undefined : this.shifts.get(this.activeId);
    if (!s) return null;
    const t = this.now().getTime();
    if (!s.lock && t - s.lastActivity > (await this.settings.get(this.store, 'auth.idleLockMinutes')) * 60_000) s.lock = 'idle';
    return s;
  }

  async status(): Promise<ShiftStatus> {
    const s = await this.active();
    return {
      active: s ? { username: s.user.username, displayName: s.user.displayName, role: s.user.role } : null,
      lock: s?.lock ?? null,
      anomaly: s?.lock === 'anomaly' ? s.anomaly : null,
      openShifts: [...this.shifts.values()]
        .filter((x) => x.user.id !== this.activeId)
        .map((x) => ({ username: x.user.username, displayName: x.user.displayName })),
      needsBootstrap: (await this.accounts.count(this.store)) === 0,
      shiftExpired: this.expired,
    };
  }

  actorOf(user: UserSummary): Actor {
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, workstation: this.workstation };
  }

  /** Start of a shift: password and TOTP, or password and a one-time recovery code. */
  async login(username: string, password: string, second: { totp: string } | { recovery: string }): Promise<Actor> {
    // A new account has no code yet: its password alone leads to enrolment.
    if ((await this.accounts.findByUsername(this.store, username))?.totpEnrolled === false) {
      await this.accounts.check(this.store, username, { password });
      throw new AppError('TOTP_NOT_ENROLLED');
    }
    const user = await this.accounts.check(this.store, username, { password, ...second });
    return this.activate(user, true);
  }

  /** First login of a new account: confirms the TOTP enrolment and sets the PIN. */
  async enrol(username: string, password: string, totp: string, pin: string): Promise<Actor> {
    const pending = await this.accounts.findByUsername(this.store, username);
    if (pending?.totpEnrolled) throw new AppError('TOTP_ALREADY_ENROLLED');
    const user = await this.accounts.check(this.store, username, { password, totp });
    await this.accounts.setPin(this.store, user.id, pin);
    await this.accounts.markEnrolled(this.store, user.id);
    return this.activate(await this.accounts.get(this.store, user.id), true);
  }

  /** Resume an idle-locked shift, or switch to another open shift, with the PIN. */
  async resume(username: string, pin: string): Promise<Actor> {
    await this.endExpired();
    const user = await this.accounts.findByUsername(this.store, username);
    const shift = user ? this.shifts.get(user.id) : undefined;
    if (!user || !shift) throw new AppError('NO_OPEN_SHIFT');
    if (shift.lock === 'anomaly') throw new AppError('SESSION_ANOMALY_LOCKED');
    await this.accounts.check(this.store, username, { pin });
    shift.lock = null;
    return this.activate(shift.user, false);
  }

  private activate(user: UserSummary, newShift: boolean): Actor {
    const t = this.now().getTime();
    const existing = this.shifts.get(user.id);
    if (newShift || !existing) {
      this.shifts.set(user.id, { user, startedAt: t, lastActivity: t, lock: null, anomalyAlertId: null, anomaly: null });
    } else {
      existing.lastActivity = t;
    }
    this.activeId = user.id;
    this.expired = null;
    return this.actorOf(user);
  }

  /** Ends the active shift. */
  async logout(): Promise<void> {
    const closed = this.activeId !== null && this.shifts.delete(this.activeId);
    this.activeId = null;
    if (closed) await this.onShiftClosed?.();
  }

  /** Locks the screen without ending the shift (clerk steps away). */
  async lockActive(): Promise<void> {
    const s = await this.active();
    if (s && !s.lock) s.lock = 'idle';
  }

  /**
   * The acting person for `action`, or a refusal. This is the access control:
   * every IPC handler and CLI command goes through it (or through the CLI's
   * station-administrator actor, which holds the station passphrase).
   */
  async require(action: Action): Promise<Actor> {
    const s = await this.active();
    if (!s) throw new AppError('NOT_LOGGED_IN');
    if (s.lock === 'anomaly') throw new AppError('SESSION_ANOMALY_LOCKED');
    if (s.lock === 'idle') throw new AppError('SESSION_IDLE_LOCKED');
    if (!can(s.user.role, action)) throw new AppError('FORBIDDEN');
    s.lastActivity = this.now().getTime();
    return this.actorOf(s.user);
  }

  /** A fresh TOTP code from the acting supervisor, for step-up actions. */
  async stepUp(actor: Actor, action: Action, code: string | undefined): Promise<void> {
    if (!STEP_UP_ACTIONS.has(action)) return;
    if (!code) throw new AppError('STEP_UP_REQUIRED');
    await this.accounts.check(this.store, actor.username, { totp: code });
  }

  /** A supervisor's own fresh code, for acts that are not step-up for everyone (e.g. unmask). */
  async confirmTotp(actor: Actor, code: string | undefined): Promise<void> {
    if (!code) throw new AppError('STEP_UP_REQUIRED');
    await this.accounts.check(this.store, actor.username, { totp: code });
  }

  /** When the actor's current shift began (ms), for per-shift limits. */
  shiftStartedAt(userId: number): number {
    return this.shifts.get(userId)?.startedAt ?? this.now().getTime();
  }

  /**
   * Another person's PIN and TOTP on `requester`'s screen. Failures count
   * against the requester; when that locks the requester's account, their
   * shift locks too (the PIN no longer resumes it).
   */
  async onTheSpot(requester: Actor, username: string, pin: string, totp: string): Promise<UserSummary> {
    try {
      return await this.accounts.checkApproval(this.store, requester.userId, username, { pin, totp });
    } catch (e) {
      const shift = this.shifts.get(requester.userId);
      if (e instanceof AppError && e.code === 'APPROVALS_LOCKED' && shift && !shift.lock) shift.lock = 'idle';
      throw e;
    }
  }

  /** A supervisor approving `requester`'s request on the spot: their PIN and TOTP. */
  async approval(requester: Actor, username: string, pin: string, totp: string, action: Action): Promise<Actor> {
    const user = await this.onTheSpot(requester, username, pin, totp);
    if (user.role !== 'supervisor' || !can(user.role, action)) throw new AppError('APPROVER_NOT_SUPERVISOR');
    return this.actorOf(user);
  }

  lockForAnomaly(userId: number, alertId: number, hit: AnomalyHit): void {
    const s = this.shifts.get(userId);
    if (s) {
      s.lock = 'anomaly';
      s.anomalyAlertId = alertId;
      s.anomaly = hit;
    }
  }

  /** After a supervisor's review, the locked shift may resume with the clerk's PIN. */
  clearAnomalyLock(userId: number): void {
    const s = this.shifts.get(userId);
    if (s?.lock === 'anomaly') {
      s.lock = 'idle';
      s.anomalyAlertId = null;
      s.anomaly = null;
    }
  }
}
