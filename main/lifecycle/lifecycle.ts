// The data lifecycle of one unlocked station: retention purge,
// data-subject requests, the incident register and its access restriction,
// backups, key rotation and passphrase change. Every step is audited (action
// 'lifecycle', references and counts, never personal data). Jobs that walk
// the whole store (purge, VACUUM, backup, rotation) run one at a time,
// whether a supervisor or the scheduler started them, and stop between
// batches when the station closes.
import { basename, isAbsolute } from 'node:path';
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
  RestoredBackup,
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
import type { Tx } from '../store/engine/store';
import { isEmbedded, type Station } from '../store/station';
import { backupToFolder, checkBackupFolder, listBackups, restoreBackup, writeBackup } from './backup';
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
  /** Where steps are audited, in the step's transaction: through the oversight in the app, straight to the log in tests. */
  record: (tx: Tx, event: AuditEvent) => Promise<unknown>;
  /** Runs a step's transaction (the application service's, which anchors the chains after it); default: the store's. */
  transaction?: <T>(fn: (tx: Tx) => Promise<T>) => Promise<T>;
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
    // A file store's OS-keystore copy is its one PC's; each counter of a server store keeps its own.
    this.rotation = new KeyRotation(station, opts.keyProtector, isEmbedded(station) ? '' : opts.workstation);
    this.retention = new RetentionPurge(station, (q) => retentionPolicy(opts.settings, q), opts.now);
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

  restricted(): Promise<boolean> {
    return this.opts.settings.get(this.station.store, 'lifecycle.restricted');
  }

  // ——— status and settings ———

  async status(): Promise<LifecycleStatus> {
    const settings = await this.settings();
    const purge = await this.latest('purge');
    const persisted = purge && { at: purge.at, ...(JSON.parse(purge.detail) as { eligible: number; erased: number }) };
    const lastPurge = [persisted, this.lastPurge].filter((p) => p !== null).sort((a, b) => b.at.localeCompare(a.at))[0] ?? null;
    const backup = await this.latest('backup');
    const due = await this.backupDueAt();
    return {
      restricted: await this.restricted(),
      openIncidents: await this.incidents.list(true),
      lastPurge: lastPurge && { at: lastPurge.at, eligible: lastPurge.eligible, erased: lastPurge.erased },
      lastBackup: backup && { at: backup.at, ...(JSON.parse(backup.detail) as { fileName: string; bytes: number }) },
      backupDueAt: due === null ? null : new Date(due).toISOString(),
      backupStale: !backup || this.opts.now().getTime() - Date.parse(backup.at) > DAY_MS,
      rotation: await this.rotation.progress(),
      settings,
    };
  }

  async settings(): Promise<RetentionSettings> {
    const s = this.opts.settings;
    const q = this.station.store;
    return {
      pickedUpDays: await s.get(q, 'retention.pickedUpDays'),
      returnedDays: await s.get(q, 'retention.returnedDays'),
      expectedDays: await s.get(q, 'retention.expectedDays'),
      backupFolder: await s.get(q, 'backup.folder'),
      backupIntervalHours: await s.get(q, 'backup.intervalHours'),
      backupKeep: await s.get(q, 'backup.keep'),
    };
  }

  async updateSettings(actor: Actor, patch: Partial<RetentionSettings>): Promise<RetentionSettings> {
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
    await this.transaction(async (tx) => {
      const changed: Detail = {};
      for (const [k, key] of Object.entries(keys) as [keyof RetentionSettings, (typeof keys)[keyof RetentionSettings]][]) {
        const value = patch[k];
        if (value === undefined) continue;
        await s.set(tx, key, value as never);
        // A folder path may name a Windows user: the log only says whether one is set.
        changed[k] = k === 'backupFolder' ? value !== '' : value;
      }
      if (Object.keys(changed).length) await this.opts.record(tx, { action: 'settings.change', actor, detail: { scope: 'lifecycle', ...changed } });
    });
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
        await this.record(actor, {
          step: dryRun ? 'purge.dry_run' : 'purge',
          eligible: result.eligible,
          erased: result.erased,
          labels: result.labels,
          trigger: actor ? 'manual' : 'schedule',
        });
      }
      for (const reference of result.completedRequests) await this.record(actor, { step: 'dsr.erasure_completed', reference });
      if (result.erased > 0) {
        await this.addRun('purge', { eligible: result.eligible, erased: result.erased, labels: result.labels });
        await this.compact();
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
  private async compact(): Promise<void> {
    const { station } = this;
    const { store } = station;
    // The WAL and VACUUM are the embedded engine's; a server compacts itself.
    if (!isEmbedded(station)) return;
    const { db } = station;
    db.pragma('wal_checkpoint(TRUNCATE)');
    const lastVacuum = await this.latest('vacuum');
    const runs = await store.all<{ detail: string }>(
      `SELECT detail FROM lifecycle_runs
       WHERE kind = 'purge' AND id > COALESCE((SELECT MAX(id) FROM lifecycle_runs WHERE kind = 'vacuum'), 0)`,
    );
    const since = runs.reduce((n, r) => n + ((JSON.parse(r.detail) as { erased?: number }).erased ?? 0), 0);
    const weekly = !lastVacuum || this.opts.now().getTime() - Date.parse(lastVacuum.at) >= VACUUM_EVERY_MS;
    if (since < VACUUM_AFTER_ROWS && !weekly) return;
    db.exec('VACUUM');
    db.pragma('wal_checkpoint(TRUNCATE)');
    await this.addRun('vacuum', { erasedSince: since });
  }

  // ——— data-subject requests ———

  async dsrFind(actor: Actor, phone: string, kind: DsrKind, receivedAt?: string): Promise<SubjectReport> {
    const report = await this.dsr.find(actor, phone, kind, receivedAt);
    await this.record(actor, { step: 'dsr.find', reference: report.request.reference, kind, parcels: report.parcels.length });
    return report;
  }

  /** The person's copy, PDF and JSON, signed; an access request is done with it. */
  async dsrExport(actor: Actor, reference: string): Promise<{ request: DsrRequest; pdf: SignedExport; json: SignedExport }> {
    const report = await this.dsr.reportFor(reference);
    await this.record(actor, { step: 'dsr.export', reference, parcels: report.parcels.length });
    const files = await exportSubjectReport(report, {
      ...(await this.exportContext(actor)),
      seal: await this.opts.audit.checkpoint('export:dsr'),
    });
    return { request: await this.dsr.exported(reference), ...files };
  }

  dsrErase(actor: Actor, reference: string): Promise<DsrErasure> {
    return this.exclusive(async () => {
      const result = await this.dsr.erase(reference);
      await this.record(actor, { step: 'dsr.erase', reference, erased: result.erased, scheduled: result.scheduled });
      if (result.erased > 0) await this.compact();
      return result;
    });
  }

  // ——— incidents ———

  async incidentCreate(actor: Actor, input: NewIncident): Promise<Incident> {
    const incident = await this.incidents.create(actor, input);
    await this.record(actor, { step: 'incident.create', reference: incident.reference, type: incident.type });
    return incident;
  }

  async incidentUpdate(actor: Actor, id: number, patch: { type?: Incident['type']; discoveredAt?: string; description?: string }): Promise<Incident> {
    const incident = await this.incidents.update(id, patch);
    await this.record(actor, {
      step: 'incident.update',
      reference: incident.reference,
      type: patch.type ?? null,
      discoveredAt: patch.discoveredAt ?? null,
      description: patch.description !== undefined,
    });
    return incident;
  }

  /** A step; restricting or restoring access also flips the station's switch. */
  async incidentStep(actor: Actor, id: number, step: NewStep): Promise<Incident> {
    if (step.kind === 'access_restricted' || step.kind === 'access_restored') {
      await this.restrict(actor, step.kind === 'access_restricted', id, step);
      return this.incidents.get(id);
    }
    await this.station.store.transaction((tx) => this.incidents.step(tx, actor, id, step));
    const incident = await this.incidents.get(id);
    await this.record(actor, { step: `incident.${step.kind}`, reference: incident.reference, whom: step.whom ?? null, notificationRequired: step.notificationRequired ?? null });
    return incident;
  }

  async incidentAffected(actor: Actor, id: number, select: AffectedSelection): Promise<AffectedParcels> {
    const result = await this.incidents.affected(id, select);
    const shown = result.parcels.map((p) => p.id);
    await this.record(actor, { step: 'incident.affected', reference: result.incident.reference, by: select.by, added: result.added, total: result.incident.affected }, shown);
    return result;
  }

  async incidentClose(actor: Actor, id: number, rootCause: string, remediation: string): Promise<Incident> {
    const incident = await this.incidents.close(actor, id, rootCause, remediation);
    await this.record(actor, { step: 'incident.close', reference: incident.reference });
    return incident;
  }

  incidentList(openOnly: boolean): Promise<IncidentSummary[]> {
    return this.incidents.list(openOnly);
  }

  async incidentExport(actor: Actor, id: number): Promise<SignedExport> {
    const incident = await this.incidents.get(id);
    await this.record(actor, { step: 'incident.export', reference: incident.reference });
    return exportIncident(incident, { ...(await this.exportContext(actor)), seal: await this.opts.audit.checkpoint('export:incident') });
  }

  /**
   * The incident switch. While on, parcels.unmask refuses clerks even with a
   * supervisor's approval. With an incident, the step is recorded on it.
   */
  async restrict(actor: Actor, on: boolean, incidentId?: number, step: { at?: string; note?: string } = {}): Promise<LifecycleStatus> {
    const reference = incidentId === undefined ? null : (await this.incidents.get(incidentId)).reference;
    await this.transaction(async (tx) => {
      if (incidentId !== undefined) await this.incidents.step(tx, actor, incidentId, { kind: on ? 'access_restricted' : 'access_restored', ...step });
      await this.opts.settings.set(tx, 'lifecycle.restricted', on);
      await this.recordIn(tx, actor, { step: on ? 'restrict.on' : 'restrict.off', reference });
    });
    return this.status();
  }

  // ——— backups ———

  backupNow(actor: Actor | null, onProgress?: Progress): Promise<BackupInfo> {
    return this.exclusive(async () => {
      const folder = await this.opts.settings.get(this.station.store, 'backup.folder');
      if (!folder) throw new AppError('BACKUP_FOLDER_NOT_SET');
      const info = await backupToFolder(this.station, folder, await this.opts.settings.get(this.station.store, 'backup.keep'), this.backupOptions(onProgress));
      await this.backedUp(actor, info);
      return info;
    });
  }

  /** The CLI's backup: to a file of its choosing. */
  backupTo(actor: Actor, outFile: string): Promise<BackupInfo> {
    return this.exclusive(async () => {
      const info = await writeBackup(this.station, outFile, this.backupOptions());
      await this.backedUp(actor, info);
      return info;
    });
  }

  /**
   * A backup restored into a new store file with the CLI restore's checks
   * (target not there yet, passphrase, integrity); the open station is not
   * touched. Audited by the backup's file name and the parcels restored.
   */
  async restore(actor: Actor, file: string, target: string, passphrase: string): Promise<RestoredBackup> {
    if (!isAbsolute(file) || !isAbsolute(target)) throw new AppError('INVALID_INPUT', 'path');
    const restored = await restoreBackup(file, target, passphrase);
    await this.record(actor, { step: 'restore', fileName: basename(file), parcels: restored.parcels });
    return restored;
  }

  async backups(): Promise<BackupInfo[]> {
    const folder = await this.opts.settings.get(this.station.store, 'backup.folder');
    return folder ? listBackups(folder, this.station.storeId) : [];
  }

  private backupOptions(onProgress?: Progress) {
    return { now: this.opts.now(), onProgress, shouldStop: () => this.closing };
  }

  private async backedUp(actor: Actor | null, info: BackupInfo): Promise<void> {
    await this.addRun('backup', { fileName: info.fileName, bytes: info.bytes });
    await this.record(actor, { step: 'backup', fileName: info.fileName, bytes: info.bytes, trigger: actor ? 'manual' : 'schedule' });
  }

  /** Epoch ms when a scheduled backup is due; null without a folder. */
  private async backupDueAt(): Promise<number | null> {
    const q = this.station.store;
    if (!(await this.opts.settings.get(q, 'backup.folder'))) return null;
    const last = await this.latest('backup');
    return last ? Date.parse(last.at) + (await this.opts.settings.get(q, 'backup.intervalHours')) * 3_600_000 : this.opts.now().getTime();
  }

  // ——— keys ———

  /** Starts (or resumes) a key rotation and runs it to the end, unless the station closes first. */
  rotate(actor: Actor, passphrase: string, onProgress?: Progress): Promise<RotationProgress> {
    return this.exclusive(async () => {
      const resuming = this.rotation.inProgress();
      const generation = await this.rotation.begin(passphrase);
      await this.record(actor, { step: resuming ? 'rotation.resume' : 'rotation.start', generation });
      return (await this.finishRotation(actor, onProgress)) ?? (await this.rotation.progress())!;
    });
  }

  async changePassphrase(actor: Actor, current: string, next: string): Promise<void> {
    await changePassphrase(this.station.store, current, next);
    await this.record(actor, { step: 'passphrase.change' });
  }

  private async finishRotation(actor: Actor | null, onProgress?: Progress): Promise<RotationProgress | null> {
    const done = await this.rotation.run({ onProgress, shouldStop: () => this.closing });
    if (!done) return null;
    await this.addRun('rotation', { generation: done.generation, rows: done.total, caughtUp: done.rows });
    await this.record(actor, { step: 'rotation.done', generation: done.generation, rows: done.total, caughtUp: done.rows });
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
    const backupDue = await this.backupDueAt();
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

  private transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    return this.opts.transaction ? this.opts.transaction(fn) : this.station.store.transaction(fn);
  }

  /** A step audited in its own transaction. */
  private record(actor: Actor | null, detail: Detail, parcelIds?: readonly number[]): Promise<void> {
    return this.transaction((tx) => this.recordIn(tx, actor, detail, parcelIds));
  }

  /** With `parcelIds` when the step showed parcel cards, so the log says whose. */
  private async recordIn(tx: Tx, actor: Actor | null, detail: Detail, parcelIds?: readonly number[]): Promise<void> {
    await this.opts.record(tx, { action: 'lifecycle', actor, workstation: this.opts.workstation, detail, parcelIds });
  }

  private async addRun(kind: 'purge' | 'vacuum' | 'backup' | 'rotation', detail: Detail): Promise<void> {
    await this.station.store.run('INSERT INTO lifecycle_runs (kind, at, detail) VALUES (?, ?, ?)', kind, this.opts.now().toISOString(), JSON.stringify(detail));
  }

  private async latest(kind: 'purge' | 'vacuum' | 'backup'): Promise<Run | null> {
    return (await this.station.store.get<Run>('SELECT at, detail FROM lifecycle_runs WHERE kind = ? ORDER BY id DESC LIMIT 1', kind)) ?? null;
  }

  private async exportContext(actor: Actor) {
    return {
      stationName: this.station.name,
      timeZone: await stationTimeZone(this.station.store),
      now: this.opts.now(),
      exportedBy: staffLabel(actor),
      signer: loadSigningKey(this.station),
    };
  }
}
