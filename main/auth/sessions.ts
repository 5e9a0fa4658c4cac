// Who is at the counter. A shared counter PC keeps one shift per clerk who
// logged in with password + TOTP; one shift is active at a time, and switching
// between open shifts takes the clerk's PIN, so every action is recorded under
// the person who did it. Idle time locks the active shift (PIN to resume);
// an anomaly locks it until a supervisor reviews it.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import { can, STEP_UP_ACTIONS, type Action } from '../../shared/permissions';
import type { Settings } from '../settings/settings';
import type { SessionStatus } from '../../shared/ipc/contract';
import type { Accounts, UserSummary } from './accounts';

export type LockReason = 'idle' | 'anomaly';

interface Shift {
  user: UserSummary;
  startedAt: number;
  lastActivity: number;
  lock: LockReason | null;
  anomalyAlertId: number | null;
}

/** Session facts the sessions module knows; the handler adds the alert count. */
export type ShiftStatus = Omit<SessionStatus, 'openAlerts' | 'outstandingPapers'>;

export class Sessions {
  private readonly shifts = new Map<number, Shift>();
  private activeId: number | null = null;
  /** Whose shift last ran out of time while it was on screen, for the login screen to say why; cleared by the next login. */
  private expired: { displayName: string; hours: number } | null = null;
  /** Called when a shift ends (logout or its time is up): the station signs its chains' heads then. */
  onShiftClosed: (() => void) | null = null;

  constructor(
    private readonly accounts: Accounts,
    private readonly settings: Settings,
    private readonly workstation: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Ends every shift past its length, the ones waiting for a PIN too: none of them may be resumed. */
  private endExpired(): void {
    const hours = this.settings.get('auth.shiftHours');
    const t = this.now().getTime();
    for (const s of [...this.shifts.values()]) {
      if (t - s.startedAt <= hours * 3_600_000) continue;
      this.shifts.delete(s.user.id);
      if (s.user.id === this.activeId) {
        this.activeId = null;
        this.expired = { displayName: s.user.displayName, hours };
      }
      this.onShiftClosed?.();
    }
  }

  private active(): Shift | null {
    this.endExpired();
    const s = this.activeId === null ? undefined : this.shifts.get(this.activeId);
    if (!s) return null;
    const t = this.now().getTime();
    if (!s.lock && t - s.lastActivity > this.settings.get('auth.idleLockMinutes') * 60_000) s.lock = 'idle';
    return s;
  }

  status(): ShiftStatus {
    const s = this.active();
    return {
      active: s ? { username: s.user.username, displayName: s.user.displayName, role: s.user.role } : null,
      lock: s?.lock ?? null,
      openShifts: [...this.shifts.values()]
        .filter((x) => x.user.id !== this.activeId)
        .map((x) => ({ username: x.user.username, displayName: x.user.displayName })),
      needsBootstrap: this.accounts.count() === 0,
      shiftExpired: this.expired,
    };
  }

  actorOf(user: UserSummary): Actor {
    return { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, workstation: this.workstation };
  }

  /** Start of a shift: password and TOTP, or password and a one-time recovery code. */
  login(username: string, password: string, second: { totp: string } | { recovery: string }): Actor {
    // A new account has no code yet: its password alone leads to enrolment.
    if (this.accounts.findByUsername(username)?.totpEnrolled === false) {
      this.accounts.check(username, { password });
      throw new AppError('TOTP_NOT_ENROLLED');
    }
    const user = this.accounts.check(username, { password, ...second });
    return this.activate(user, true);
  }

  /** First login of a new account: confirms the TOTP enrolment and sets the PIN. */
  enrol(username: string, password: string, totp: string, pin: string): Actor {
    const pending = this.accounts.findByUsername(username);
    if (pending?.totpEnrolled) throw new AppError('TOTP_ALREADY_ENROLLED');
    const user = this.accounts.check(username, { password, totp });
    this.accounts.setPin(user.id, pin);
    this.accounts.markEnrolled(user.id);
    return this.activate(this.accounts.get(user.id), true);
  }

  /** Resume an idle-locked shift, or switch to another open shift, with the PIN. */
  resume(username: string, pin: string): Actor {
    this.endExpired();
    const user = this.accounts.findByUsername(username);
    const shift = user ? this.shifts.get(user.id) : undefined;
    if (!user || !shift) throw new AppError('NO_OPEN_SHIFT');
    if (shift.lock === 'anomaly') throw new AppError('SESSION_ANOMALY_LOCKED');
    this.accounts.check(username, { pin });
    shift.lock = null;
    return this.activate(shift.user, false);
  }

  private activate(user: UserSummary, newShift: boolean): Actor {
    const t = this.now().getTime();
    const existing = this.shifts.get(user.id);
    if (newShift || !existing) {
      this.shifts.set(user.id, { user, startedAt: t, lastActivity: t, lock: null, anomalyAlertId: null });
    } else {
      existing.lastActivity = t;
    }
    this.activeId = user.id;
    this.expired = null;
    return this.actorOf(user);
  }

  /** Ends the active shift. */
  logout(): void {
    const closed = this.activeId !== null && this.shifts.delete(this.activeId);
    this.activeId = null;
    if (closed) this.onShiftClosed?.();
  }

  /** Locks the screen without ending the shift (clerk steps away). */
  lockActive(): void {
    const s = this.active();
    if (s && !s.lock) s.lock = 'idle';
  }

  /**
   * The acting person for `action`, or a refusal. This is the access control:
   * every IPC handler and CLI command goes through it (or through the CLI's
   * station-administrator actor, which holds the station passphrase).
   */
  require(action: Action): Actor {
    const s = this.active();
    if (!s) throw new AppError('NOT_LOGGED_IN');
    if (s.lock === 'anomaly') throw new AppError('SESSION_ANOMALY_LOCKED');
    if (s.lock === 'idle') throw new AppError('SESSION_IDLE_LOCKED');
    if (!can(s.user.role, action)) throw new AppError('FORBIDDEN');
    s.lastActivity = this.now().getTime();
    return this.actorOf(s.user);
  }

  /** A fresh TOTP code from the acting supervisor, for step-up actions. */
  stepUp(actor: Actor, action: Action, code: string | undefined): void {
    if (!STEP_UP_ACTIONS.has(action)) return;
    if (!code) throw new AppError('STEP_UP_REQUIRED');
    this.accounts.check(actor.username, { totp: code });
  }

  /** A supervisor's own fresh code, for acts that are not step-up for everyone (e.g. unmask). */
  confirmTotp(actor: Actor, code: string | undefined): void {
    if (!code) throw new AppError('STEP_UP_REQUIRED');
    this.accounts.check(actor.username, { totp: code });
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
  onTheSpot(requester: Actor, username: string, pin: string, totp: string): UserSummary {
    try {
      return this.accounts.checkApproval(requester.userId, username, { pin, totp });
    } catch (e) {
      const shift = this.shifts.get(requester.userId);
      if (e instanceof AppError && e.code === 'APPROVALS_LOCKED' && shift && !shift.lock) shift.lock = 'idle';
      throw e;
    }
  }

  /** A supervisor approving `requester`'s request on the spot: their PIN and TOTP. */
  approval(requester: Actor, username: string, pin: string, totp: string, action: Action): Actor {
    const user = this.onTheSpot(requester, username, pin, totp);
    if (user.role !== 'supervisor' || !can(user.role, action)) throw new AppError('APPROVER_NOT_SUPERVISOR');
    return this.actorOf(user);
  }

  lockForAnomaly(userId: number, alertId: number): void {
    const s = this.shifts.get(userId);
    if (s) {
      s.lock = 'anomaly';
      s.anomalyAlertId = alertId;
    }
  }

  /** After a supervisor's review, the locked shift may resume with the clerk's PIN. */
  clearAnomalyLock(userId: number): void {
    const s = this.shifts.get(userId);
    if (s?.lock === 'anomaly') {
      s.lock = 'idle';
      s.anomalyAlertId = null;
    }
  }
}
