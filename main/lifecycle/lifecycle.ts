// The data lifecycle of one unlocked station: retention purge,
// data-subject requests, the incident register and its access restriction,
// backups, key rotation and passphrase change. Every step is audited (action
// 'lifecycle', references and counts, never personal data). Jobs that walk
// the whole store (purge, VACUUM, backup, rotation) run one at a time,
// whether a supervisor or the scheduler started them, and stop between
// batches when the station closes.
import type { Actor } from '../../shared/actor';
import { AppError } from '../../shared/errors';
import type {
  AffectedParcels,
  AffectedSelection,
  BackupInfo,
  DsrErasure,
  DsrKind,
  DsrRequest,
  Incident,
  IncidentSummary,
  LifecycleEvents,
  LifecycleStatus,
  PurgeResult,
  RetentionSettings,
  RotationProgress,
  SubjectReport,
} from '../../shared/ipc/lifecycle';
import type { SignedExport } from '../../shared/ipc/ledger';
import type { AuditEvent, AuditLog } from '../audit/audit-log';
import { loadSigningKey } from '../chain/signing-key';
import type { KeyProtector } from '../crypto/key-protector';
import { systemTimers, type Timers } from '../time/timers';
import { staffLabel, stationTimeZone } from '../exports/format';
import type { Settings } from '../settings/settings';
import type { Station } from '../store/station';
import { backupToFolder, checkBackupFolder, listBackups, writeBackup } from './backup';
import { DataSubjectRequests } from './dsr';
import { exportSubjectReport } from './dsr-export';
import { exportIncident } from './incident-report';
import { IncidentRegister, type NewIncident, type NewStep } from './incidents';
import { RetentionPurge, retentionPolicy } from './retention';
import { changePassphrase, KeyRotation } from './rotation';
import { LifecycleScheduler } from './scheduler';

const DAY_MS = 86_400_000;
/** A purge that erased this many rows since the last VACUUM compacts the file at once; otherwise weekly. */
const VACUUM_AFTER_ROWS = 5000;
const VACUUM_EVERY_MS = 7 * DAY_MS;

type Progress = (done: number, total: number) => void;
type Detail = Record<string, string | number | boolean | null>;
type Job = LifecycleEvents['lifecycle.progress']['job'];

export interface LifecycleOptions {
  settings: Settings;
  audit: AuditLog;
  /** Where steps are audited: through the oversight in the app, straight to the log in the CLI. */
  record: (event: AuditEvent) => void;
  now: () => Date;
  workstation: string;
  keyProtector?: KeyProtector;
  /** Progress of the scheduler's jobs, which nobody's request is waiting for. */
  emit?: (payload: LifecycleEvents['lifecycle.progress']) => void;
  warn?: (message: string) => void;
  timers?: Timers;
}

interface Run {
  at: string;
  detail: string;
}

export class Lifecycle {
  readonly dsr: DataSubjectRequests;
  readonly incidents: IncidentRegister;
  readonly rotation: KeyRotation;
  private readonly retention: RetentionPurge;
  private readonly scheduler: LifecycleScheduler;
  private queue: Promise<unknown> = Promise.resolve();
  private closing = false;
  /** The last purge this session, also when it found nothing (those are not recorded). */
  private lastPurge: { at: string; eligible: number; erased: number } | null = null;

  constructor(
    private readonly station: Station,
    private readonly opts: LifecycleOptions,
  ) {
    this.dsr = new DataSubjectRequests(station, opts.audit, opts.now);
    this.incidents = new IncidentRegister(station, opts.now);
    this.rotation = new KeyRotation(station, opts.keyProtector);
    this.retention = new RetentionPurge(station.db, () => retentionPolicy(opts.settings), opts.now);
    this.scheduler = new LifecycleScheduler(() => this.due(), opts.timers ?? systemTimers, opts.warn ?? (() => {}));
  }

  /** Scheduled work from now on: at start, then hourly checks of what is due. */
  start(): void {
    this.scheduler.start();
  }

  /** Stops the scheduler; a job under way stops at its next batch and resumes at the next unlock. */
  async close(): Promise<void> {
    this.closing = true;
    await this.scheduler.stop();
    await this.queue;
  }

  restricted(): boolean {
    return this.opts.settings.get('lifecycle.restricted');
  }

  // ——— status and settings ———

  status(): LifecycleStatus {
    const settings = this.settings();
    const purge = this.latest('purge');
    const persisted = purge && { at: purge.at, ...(JSON.parse(purge.detail) as { eligible: number; erased: number }) };
    const lastPurge = [persisted, this.lastPurge].filter((p) => p !== null).sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
    const backup = this.latest('backup');
    const due = this.backupDueAt();
    return {
      restricted: this.restricted(),
      openIncidents: this.incidents.list(true),
      lastPurge: lastPurge && { at: lastPurge.at, eligible: lastPurge.eligible, erased: lastPurge.erased },
      lastBackup: backup && { at: backup.at, ...(JSON.parse(backup.detail) as { fileName: string; bytes: number }) },
      backupDueAt: due === null ? null : new Date(due).toISOString(),
      rotation: this.rotation.progress(),
      settings,
    };
  }

  settings(): RetentionSettings {
    const s = this.opts.settings;
    return {
      pickedUpDays: s.get('retention.pickedUpDays'),
      returnedDays: s.get('retention.returnedDays'),
      expectedDays: s.get('retention.expectedDays'),
      backupFolder: s.get('backup.folder'),
      backupIntervalHours: s.get('backup.intervalHours'),
      backupKeep: s.get('backup.keep'),
    };
  }

  updateSettings(actor: Actor, patch: Partial<RetentionSettings>): RetentionSettings {
    if (patch.backupFolder) checkBackupFolder(patch.backupFolder);
    const s = this.opts.settings;
    const keys = {
      pickedUpDays: 'retention.pickedUpDays',
      returnedDays: 'retention.returnedDays',
      expectedDays: 'retention.expectedDays',
      backupFolder: 'backup.folder',
      backupIntervalHours: 'backup.intervalHours',
      backupKeep: 'backup.keep',
    } as const;
    const changed: Detail = {};
    this.station.db.transaction(() => {
      for (const [k, key] of Object.entries(keys) as [keyof RetentionSettings, (typeof keys)[keyof RetentionSettings]][]) {
        const value = patch[k];
        if (value === undefined) continue;
        s.set(key, value as never);
        // A folder path may name a Windows user: the log only says whether one is set.
        changed[k] = k === 'backupFolder' ? value !== '' : value;
      }
    })();
    if (Object.keys(changed).length) this.opts.record({ action: 'settings.change', actor, detail: { scope: 'lifecycle', ...changed } });
    return this.settings();
  }

  // ——— retention ———

  purge(actor: Actor | null, dryRun: boolean, onProgress?: Progress): Promise<PurgeResult> {
    return this.exclusive(async () => {
      const result = await this.retention.run({ dryRun, onProgress, shouldStop: () => this.closing });
      const at = this.opts.now().toISOString();
      if (!dryRun) this.lastPurge = { at, eligible: result.eligible, erased: result.erased };
      // A scheduled purge that found nothing leaves no trace; a supervisor's always does.
      if (actor || result.erased > 0 || result.labels > 0) {
        this.record(actor, {
          step: dryRun ? 'purge.dry_run' : 'purge',
          eligible: result.eligible,
          erased: result.erased,
          labels: result.labels,
          trigger: actor ? 'manual' : 'schedule',
        });
      }
      for (const reference of result.completedRequests) this.record(actor, { step: 'dsr.erasure_completed', reference });
      if (result.erased > 0) {
        this.addRun('purge', { eligible: result.eligible, erased: result.erased, labels: result.labels });
        this.compact();
      }
      return result;
    });
  }

  /**
   * Erased values are overwritten in place (secure_delete), but older page
   * images may linger in the WAL until it is checkpointed; and the file keeps
   * its size until a VACUUM, after a large purge or weekly. Both need no
   * transaction open, which holds between jobs.
   */
  private compact(): void {
    const { db } = this.station;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const lastVacuum = this.latest('vacuum');
    const since = db
      .prepare(
        `SELECT COALESCE(SUM(json_extract(detail, '$.erased')), 0) FROM lifecycle_runs
         WHERE kind = 'purge' AND id > COALESCE((SELECT MAX(id) FROM lifecycle_runs WHERE kind = 'vacuum'), 0)`,
      )
      .pluck()
      .get() as number;
    const weekly = !lastVacuum || this.opts.now().getTime() - Date.parse(lastVacuum.at) >= VACUUM_EVERY_MS;
    if (since < VACUUM_AFTER_ROWS && !weekly) return;
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    this.addRun('vacuum', { erasedSince: since });
  }

  // ——— data-subject requests ———

  dsrFind(actor: Actor, phone: string, kind: DsrKind, receivedAt?: string): SubjectReport {
    const report = this.dsr.find(actor, phone, kind, receivedAt);
    this.record(actor, { step: 'dsr.find', reference: report.request.reference, kind, parcels: report.parcels.length });
    return report;
  }

  /** The person's copy, PDF and JSON, signed; an access request is done with it. */
  async dsrExport(actor: Actor, reference: string): Promise<{ request: DsrRequest; pdf: SignedExport; json: SignedExport }> {
    const report = this.dsr.reportFor(reference);
    this.record(actor, { step: 'dsr.export', reference, parcels: report.parcels.length });
    const files = await exportSubjectReport(report, {
      ...this.exportContext(actor),
      seal: this.opts.audit.checkpoint('export:dsr'),
    });
    return { request: this.dsr.exported(reference), ...files };
  }

  dsrErase(actor: Actor, reference: string): Promise<DsrErasure> {
    return this.exclusive(() => {
      const result = this.dsr.erase(reference);
      this.record(actor, { step: 'dsr.erase', reference, erased: result.erased, scheduled: result.scheduled });
      if (result.erased > 0) this.compact();
      return result;
    });
  }

  // ——— incidents ———

  incidentCreate(actor: Actor, input: NewIncident): Incident {
    const incident = this.incidents.create(actor, input);
    this.record(actor, { step: 'incident.create', reference: incident.reference, type: incident.type });
    return incident;
  }

  incidentUpdate(actor: Actor, id: number, patch: { type?: Incident['type']; discoveredAt?: string; description?: string }): Incident {
    const incident = this.incidents.update(id, patch);
    this.record(actor, {
      step: 'incident.update',
      reference: incident.reference,
      type: patch.type ?? null,
      discoveredAt: patch.discoveredAt ?? null,
      description: patch.description !== undefined,
    });
    return incident;
  }

  /** A step; restricting or restoring access also flips the station's switch. */
  incidentStep(actor: Actor, id: number, step: NewStep): Incident {
    if (step.kind === 'access_restricted' || step.kind === 'access_restored') {
      this.restrict(actor, step.kind === 'access_restricted', id, step);
      return this.incidents.get(id);
    }
    const incident = this.incidents.step(actor, id, step);
    this.record(actor, { step: `incident.${step.kind}`, reference: incident.reference, whom: step.whom ?? null, notificationRequired: step.notificationRequired ?? null });
    return incident;
  }

  incidentAffected(actor: Actor, id: number, select: AffectedSelection): AffectedParcels {
    const result = this.incidents.affected(id, select);
    const shown = result.parcels.map((p) => p.id);
    this.record(actor, { step: 'incident.affected', reference: result.incident.reference, by: select.by, added: result.added, total: result.incident.affected }, shown);
    return result;
  }

  incidentClose(actor: Actor, id: number, rootCause: string, remediation: string): Incident {
    const incident = this.incidents.close(actor, id, rootCause, remediation);
    this.record(actor, { step: 'incident.close', reference: incident.reference });
    return incident;
  }

  incidentList(openOnly: boolean): IncidentSummary[] {
    return this.incidents.list(openOnly);
  }

  incidentExport(actor: Actor, id: number): Promise<SignedExport> {
    const incident = this.incidents.get(id);
    this.record(actor, { step: 'incident.export', reference: incident.reference });
    return exportIncident(incident, { ...this.exportContext(actor), seal: this.opts.audit.checkpoint('export:incident') });
  }

  /**
   * The incident switch. While on, parcels.unmask refuses clerks even with a
   * supervisor's approval. With an incident, the step is recorded on it.
   */
  restrict(actor: Actor, on: boolean, incidentId?: number, step: { at?: string; note?: string } = {}): LifecycleStatus {
    const reference = incidentId === undefined ? null : this.incidents.get(incidentId).reference;
    this.station.db.transaction(() => {
      if (incidentId !== undefined) this.incidents.step(actor, incidentId, { kind: on ? 'access_restricted' : 'access_restored', ...step });
      this.opts.settings.set('lifecycle.restricted', on);
    })();
    this.record(actor, { step: on ? 'restrict.on' : 'restrict.off', reference });
    return this.status();
  }

  // ——— backups ———

  backupNow(actor: Actor | null, onProgress?: Progress): Promise<BackupInfo> {
    return this.exclusive(async () => {
      const folder = this.opts.settings.get('backup.folder');
      if (!folder) throw new AppError('BACKUP_FOLDER_NOT_SET');
      const info = await backupToFolder(this.station, folder, this.opts.settings.get('backup.keep'), this.backupOptions(onProgress));
      this.backedUp(actor, info);
      return info;
    });
  }

  /** The CLI's backup: to a file of its choosing. */
  backupTo(actor: Actor, outFile: string): Promise<BackupInfo> {
    return this.exclusive(async () => {
      const info = await writeBackup(this.station, outFile, this.backupOptions());
      this.backedUp(actor, info);
      return info;
    });
  }

  backups(): BackupInfo[] {
    const folder = this.opts.settings.get('backup.folder');
    return folder ? listBackups(folder, this.station.storeId) : [];
  }

  private backupOptions(onProgress?: Progress) {
    return { now: this.opts.now(), onProgress, shouldStop: () => this.closing };
  }

  private backedUp(actor: Actor | null, info: BackupInfo): void {
    this.addRun('backup', { fileName: info.fileName, bytes: info.bytes });
    this.record(actor, { step: 'backup', fileName: info.fileName, bytes: info.bytes, trigger: actor ? 'manual' : 'schedule' });
  }

  /** Epoch ms when a scheduled backup is due; null without a folder. */
  private backupDueAt(): number | null {
    if (!this.opts.settings.get('backup.folder')) return null;
    const last = this.latest('backup');
    return last ? Date.parse(last.at) + this.opts.settings.get('backup.intervalHours') * 3_600_000 : this.opts.now().getTime();
  }

  // ——— keys ———

  /** Starts (or resumes) a key rotation and runs it to the end, unless the station closes first. */
  rotate(actor: Actor, passphrase: string, onProgress?: Progress): Promise<RotationProgress> {
    return this.exclusive(async () => {
      const resuming = this.rotation.inProgress();
      const generation = this.rotation.begin(passphrase);
      this.record(actor, { step: resuming ? 'rotation.resume' : 'rotation.start', generation });
      return (await this.finishRotation(actor, onProgress)) ?? this.rotation.progress()!;
    });
  }

  changePassphrase(actor: Actor, current: string, next: string): void {
    changePassphrase(this.station.db, current, next);
    this.record(actor, { step: 'passphrase.change' });
  }

  private async finishRotation(actor: Actor | null, onProgress?: Progress): Promise<RotationProgress | null> {
    const done = await this.rotation.run({ onProgress, shouldStop: () => this.closing });
    if (!done) return null;
    this.addRun('rotation', { generation: done.generation, rows: done.total, caughtUp: done.rows });
    this.record(actor, { step: 'rotation.done', generation: done.generation, rows: done.total, caughtUp: done.rows });
    return { generation: done.generation, done: done.done, total: done.total };
  }

  // ——— scheduling ———

  /** The scheduler's tick: an interrupted rotation, the daily purge, a due backup. */
  private async due(): Promise<void> {
    if (this.rotation.inProgress()) await this.exclusive(() => this.finishRotation(null, this.progressOf('rotation')));
    const now = this.opts.now().getTime();
    if (!this.closing && (!this.lastPurge || now - Date.parse(this.lastPurge.at) >= DAY_MS)) {
      await this.purge(null, false, this.progressOf('purge'));
    }
    const backupDue = this.backupDueAt();
    if (!this.closing && backupDue !== null && now >= backupDue) await this.backupNow(null, this.progressOf('backup'));
  }

  private progressOf(job: Job): Progress | undefined {
    const emit = this.opts.emit;
    return emit && ((done, total) => emit({ job, done, total }));
  }

  // ——— helpers ———

  /** One store-wide job at a time, in the order asked. */
  private exclusive<T>(job: () => Promise<T> | T): Promise<T> {
    const run = this.queue.then(job);
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** With `parcelIds` when the step showed parcel cards, so the log says whose. */
  private record(actor: Actor | null, detail: Detail, parcelIds?: readonly number[]): void {
    this.opts.record({ action: 'lifecycle', actor, workstation: this.opts.workstation, detail, parcelIds });
  }

  private addRun(kind: 'purge' | 'vacuum' | 'backup' | 'rotation', detail: Detail): void {
    this.station.db.prepare('INSERT INTO lifecycle_runs (kind, at, detail) VALUES (?, ?, ?)').run(kind, this.opts.now().toISOString(), JSON.stringify(detail));
  }

  private latest(kind: 'purge' | 'vacuum' | 'backup'): Run | null {
    return (this.station.db.prepare('SELECT at, detail FROM lifecycle_runs WHERE kind = ? ORDER BY id DESC LIMIT 1').get(kind) as Run | undefined) ?? null;
  }

  private exportContext(actor: Actor) {
    return {
      stationName: this.station.name,
      timeZone: stationTimeZone(this.station),
      now: this.opts.now(),
      exportedBy: staffLabel(actor),
      signer: loadSigningKey(this.station),
    };
  }
}
