// Oversight: every recorded access goes to the audit log and through the
// anomaly rules. A hit locks the person's shift, raises an alert for the
// supervisor and is itself audited; a supervisor's review clears it.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type { AlertFacts } from '../../shared/ipc/audit';
import type { AnomalyAlert } from '../../shared/ipc/contract';
import type { Sessions } from '../auth/sessions';
import type { Settings } from '../settings/settings';
import type { Queryable, Tx } from '../store/engine/store';
import { ANOMALY_SETTINGS } from './anomaly-settings';
import { assertNoPersonalData } from './personal-text';
import { AnomalyRules, parseOpeningHours, type AnomalyHit, type AnomalyThresholds, type Observation } from './anomaly-rules';
import type { AuditEvent, AuditLog } from './audit-log';

/** Thrown when an anomaly locked the acting clerk's shift: the request is refused, the alert goes out. */
export class AnomalyLockError extends AppError {
  constructor(readonly alert: AnomalyAlert) {
    super('SESSION_ANOMALY_LOCKED');
  }
}

type Signal = Observation extends infer O ? (O extends Observation ? Omit<O, 'key' | 'at'> : never) : never;

interface AlertRow {
  id: number;
  rule: string;
  user_id: number | null;
  username: string | null;
  created_at: string;
  detail: string;
  reviewed_at: string | null;
  review_note: string | null;
}

/**
 * The stored facts (JSON). Alerts raised before the facts were kept as numbers
 * hold an English sentence ("9 lookups in 1 min > 8", "… local minute 1290 …"):
 * its numbers are read back so the screens can say it in either language.
 */
export function alertFacts(detail: string): AlertFacts {
  if (detail.startsWith('{')) return JSON.parse(detail) as AlertFacts;
  const minute = /local minute (\d+)/.exec(detail);
  if (minute) return { minute: Number(minute[1]) };
  const counted = /^(\d+)\D.*?(\d+)$/.exec(detail);
  return counted ? { count: Number(counted[1]), limit: Number(counted[2]) } : {};
}

const toAlert = (r: AlertRow): AnomalyAlert => ({
  id: r.id,
  rule: r.rule,
  username: r.username,
  createdAt: r.created_at,
  facts: alertFacts(r.detail),
  reviewedAt: r.reviewed_at,
  reviewNote: r.review_note,
});

const SQL = {
  insert: 'INSERT INTO anomaly_alerts (rule, user_id, username, created_at, detail, audit_seq) VALUES (?, ?, ?, ?, ?, ?) RETURNING id',
  byId: 'SELECT * FROM anomaly_alerts WHERE id = ?',
  all: 'SELECT * FROM anomaly_alerts ORDER BY id DESC LIMIT 500',
  open: 'SELECT * FROM anomaly_alerts WHERE reviewed_at IS NULL ORDER BY id DESC LIMIT 500',
  openCount: 'SELECT count(*) FROM anomaly_alerts WHERE reviewed_at IS NULL',
  review: 'UPDATE anomaly_alerts SET reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?',
};

export class Oversight {
  private readonly rules: AnomalyRules;
  /** Read from the store before each observation; the pure rules ask for them synchronously. */
  private thresholds: AnomalyThresholds | null = null;

  constructor(
    readonly audit: AuditLog,
    private readonly sessions: Sessions,
    private readonly settings: Settings,
    private readonly now: () => Date,
  ) {
    this.rules = new AnomalyRules(() => this.thresholds!);
  }

  private async observe(q: Queryable, o: Observation): Promise<AnomalyHit | null> {
    const { settings } = this;
    const [t, counter] = await Promise.all([settings.many(q, ANOMALY_SETTINGS), settings.counter(q)]);
    this.thresholds = {
      lookupsPerMinute: t['anomaly.lookupsPerMinute'],
      distinctTailsWithoutHandover: t['anomaly.distinctTailsWithoutHandover'],
      unmasksPerShift: t['anomaly.unmasksPerShift'],
      failedLoginsPer10Minutes: t['anomaly.failedLoginsPer10Minutes'],
      exportsPerHour: t['anomaly.exportsPerHour'],
      ...parseOpeningHours(t['anomaly.openingHours']),
      timeZone: counter.timeZone,
    };
    return this.rules.observe(o);
  }

  /**
   * Audits `event` in the caller's transaction; with a signal, also runs the
   * anomaly rules. When a rule fires for a clerk, their shift is locked and
   * AnomalyLockError refuses the request that tripped it; a supervisor's
   * alert is only recorded.
   */
  async record(tx: Tx, event: AuditEvent, signal?: Signal): Promise<void> {
    await this.audit.record(tx, event);
    if (!signal) return;
    const key = event.actor ? `user:${event.actor.userId}` : `name:${event.username ?? ''}`;
    const hit = await this.observe(tx, { ...signal, key, at: this.now().getTime() } as Observation);
    if (!hit) return;
    const alert = await this.raise(tx, event.actor, event.username ?? null, hit);
    if (event.actor && event.actor.role !== 'supervisor') throw new AnomalyLockError(alert);
  }

  /** Runs the rules that watch any activity (opening hours) before a request is served. */
  async check(tx: Tx, actor: Actor): Promise<void> {
    const hit = await this.observe(tx, { kind: 'activity', key: `user:${actor.userId}`, at: this.now().getTime() });
    if (!hit) return;
    const alert = await this.raise(tx, actor, null, hit);
    if (actor.role !== 'supervisor') throw new AnomalyLockError(alert);
  }

  /** The browsing rule's count for this person and the limit it locks above; read after their lookup was recorded. */
  tailsWithoutHandover(actor: Actor): { count: number; limit: number } {
    return { count: this.rules.tailsWithoutHandover(`user:${actor.userId}`), limit: this.thresholds?.distinctTailsWithoutHandover ?? Infinity };
  }

  shiftStarted(actor: Actor): void {
    this.rules.shiftStarted(`user:${actor.userId}`);
  }

  private async raise(tx: Tx, actor: Actor | null, username: string | null, hit: AnomalyHit): Promise<AnomalyAlert> {
    const at = this.now().toISOString();
    const entry = await this.audit.record(tx, {
      action: 'anomaly.alert',
      actor,
      username: username ?? undefined,
      detail: { rule: hit.rule, ...hit.facts },
    });
    const id = (await tx.value<number>(SQL.insert, hit.rule, actor?.userId ?? null, actor?.username ?? username, at, JSON.stringify(hit.facts), entry.seq))!;
    // A supervisor is not locked (they may be the only one who can review);
    // their alerts stay open for the auditor and for any other supervisor.
    if (actor && actor.role !== 'supervisor') this.sessions.lockForAnomaly(actor.userId, id, hit);
    return this.alert(tx, id);
  }

  private async alert(q: Queryable, id: number): Promise<AnomalyAlert> {
    const r = await q.get<AlertRow>(SQL.byId, id);
    if (!r) throw new AppError('ALERT_NOT_FOUND');
    return toAlert(r);
  }

  async alerts(q: Queryable, openOnly: boolean): Promise<AnomalyAlert[]> {
    return (await q.all<AlertRow>(openOnly ? SQL.open : SQL.all)).map(toAlert);
  }

  async openAlertCount(q: Queryable): Promise<number> {
    return Number(await q.value<number>(SQL.openCount));
  }

  async review(tx: Tx, alertId: number, reviewer: Actor, note: string): Promise<AnomalyAlert> {
    const a = await tx.get<AlertRow>(SQL.byId, alertId);
    if (!a) throw new AppError('ALERT_NOT_FOUND');
    if (a.reviewed_at) throw new AppError('ALERT_ALREADY_REVIEWED');
    if (a.user_id === reviewer.userId) throw new AppError('OWN_ACCOUNT');
    // The note goes into the audit chain in clear.
    assertNoPersonalData(note, 'note');
    await tx.run(SQL.review, reviewer.userId, this.now().toISOString(), note, alertId);
    await this.audit.record(tx, { action: 'anomaly.review', actor: reviewer, detail: { alertId, rule: a.rule, note } });
    if (a.user_id !== null) {
      this.sessions.clearAnomalyLock(a.user_id);
      this.rules.reviewed(`user:${a.user_id}`);
    }
    return this.alert(tx, alertId);
  }
}
