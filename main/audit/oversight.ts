// Oversight: every recorded access goes to the audit log and through the
// anomaly rules. A hit locks the person's shift, raises an alert for the
// supervisor and is itself audited; a supervisor's review clears it.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type { AnomalyAlert } from '../../shared/ipc/contract';
import type { Sessions } from '../auth/sessions';
import type { Settings } from '../settings/settings';
import type { Station } from '../store/station';
import { assertNoPersonalData } from './personal-text';
import { AnomalyRules, parseOpeningHours, type AnomalyHit, type Observation } from './anomaly-rules';
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

const toAlert = (r: AlertRow): AnomalyAlert => ({
  id: r.id,
  rule: r.rule,
  username: r.username,
  createdAt: r.created_at,
  detail: r.detail,
  reviewedAt: r.reviewed_at,
  reviewNote: r.review_note,
});

export class Oversight {
  private readonly rules: AnomalyRules;

  constructor(
    private readonly station: Station,
    readonly audit: AuditLog,
    private readonly sessions: Sessions,
    settings: Settings,
    private readonly now: () => Date,
  ) {
    this.rules = new AnomalyRules(() => ({
      lookupsPerMinute: settings.get('anomaly.lookupsPerMinute'),
      distinctTailsWithoutHandover: settings.get('anomaly.distinctTailsWithoutHandover'),
      unmasksPerShift: settings.get('anomaly.unmasksPerShift'),
      failedLoginsPer10Minutes: settings.get('anomaly.failedLoginsPer10Minutes'),
      exportsPerHour: settings.get('anomaly.exportsPerHour'),
      ...parseOpeningHours(settings.get('anomaly.openingHours')),
      timeZone: settings.counter().timeZone,
    }));
  }

  /**
   * Audits `event`; with a signal, also runs the anomaly rules. When a rule
   * fires for a clerk, their shift is locked and AnomalyLockError refuses the
   * request that tripped it; a supervisor's alert is only recorded.
   */
  record(event: AuditEvent, signal?: Signal): void {
    this.audit.record(event);
    if (!signal) return;
    const key = event.actor ? `user:${event.actor.userId}` : `name:${event.username ?? ''}`;
    const hit = this.rules.observe({ ...signal, key, at: this.now().getTime() } as Observation);
    if (!hit) return;
    const alert = this.raise(event.actor, event.username ?? null, hit);
    if (event.actor && event.actor.role !== 'supervisor') throw new AnomalyLockError(alert);
  }

  /** Runs the rules that watch any activity (opening hours) before a request is served. */
  check(actor: Actor): void {
    const hit = this.rules.observe({ kind: 'activity', key: `user:${actor.userId}`, at: this.now().getTime() });
    if (!hit) return;
    const alert = this.raise(actor, null, hit);
    if (actor.role !== 'supervisor') throw new AnomalyLockError(alert);
  }

  shiftStarted(actor: Actor): void {
    this.rules.shiftStarted(`user:${actor.userId}`);
  }

  private raise(actor: Actor | null, username: string | null, hit: AnomalyHit): AnomalyAlert {
    const at = this.now().toISOString();
    const entry = this.audit.record({
      action: 'anomaly.alert',
      actor,
      username: username ?? undefined,
      detail: { rule: hit.rule, detail: hit.detail },
    });
    const id = this.station.db
      .prepare('INSERT INTO anomaly_alerts (rule, user_id, username, created_at, detail, audit_seq) VALUES (?, ?, ?, ?, ?, ?)')
      .run(hit.rule, actor?.userId ?? null, actor?.username ?? username, at, hit.detail, entry.seq).lastInsertRowid as number;
    // A supervisor is not locked (they may be the only one who can review);
    // their alerts stay open for the auditor and for any other supervisor.
    if (actor && actor.role !== 'supervisor') this.sessions.lockForAnomaly(actor.userId, id);
    return this.alert(id);
  }

  private alert(id: number): AnomalyAlert {
    const r = this.station.db.prepare('SELECT * FROM anomaly_alerts WHERE id = ?').get(id) as AlertRow | undefined;
    if (!r) throw new AppError('ALERT_NOT_FOUND');
    return toAlert(r);
  }

  alerts(openOnly: boolean): AnomalyAlert[] {
    const rows = this.station.db
      .prepare(`SELECT * FROM anomaly_alerts ${openOnly ? 'WHERE reviewed_at IS NULL' : ''} ORDER BY id DESC LIMIT 500`)
      .all() as AlertRow[];
    return rows.map(toAlert);
  }

  openAlertCount(): number {
    return (this.station.db.prepare('SELECT count(*) AS n FROM anomaly_alerts WHERE reviewed_at IS NULL').get() as { n: number }).n;
  }

  review(alertId: number, reviewer: Actor, note: string): AnomalyAlert {
    const a = this.station.db.prepare('SELECT * FROM anomaly_alerts WHERE id = ?').get(alertId) as AlertRow | undefined;
    if (!a) throw new AppError('ALERT_NOT_FOUND');
    if (a.reviewed_at) throw new AppError('ALERT_ALREADY_REVIEWED');
    if (a.user_id === reviewer.userId) throw new AppError('OWN_ACCOUNT');
    // The note goes into the audit chain in clear.
    assertNoPersonalData(note, 'note');
    this.station.db.transaction(() => {
      this.station.db
        .prepare('UPDATE anomaly_alerts SET reviewed_by = ?, reviewed_at = ?, review_note = ? WHERE id = ?')
        .run(reviewer.userId, this.now().toISOString(), note, alertId);
      this.audit.record({ action: 'anomaly.review', actor: reviewer, detail: { alertId, rule: a.rule, note } });
    })();
    if (a.user_id !== null) {
      this.sessions.clearAnomalyLock(a.user_id);
      this.rules.reviewed(`user:${a.user_id}`);
    }
    return this.alert(alertId);
  }
}
