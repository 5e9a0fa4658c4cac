// Channels: the data lifecycle — retention purge, data-subject
// requests (PIPL arts. 44–47), the incident register with its 1-hour and
// 48-hour deadlines, the access restriction, encrypted backups, key rotation
// and passphrase change.
import { z } from 'zod';
import type { MaskedParcel, ParcelStatus } from '../parcel';
import { empty, totpCode } from './common';
import type { SignedExport } from './ledger';
import { lookupQuery } from './station';

export const DSR_KINDS = ['access', 'erasure'] as const;
export type DsrKind = (typeof DSR_KINDS)[number];
export type DsrStatus = 'open' | 'scheduled' | 'done';

export const INCIDENT_TYPES = ['internal', 'external_attack', 'physical_loss', 'compliance'] as const;
export type IncidentType = (typeof INCIDENT_TYPES)[number];

export const INCIDENT_STEP_KINDS = ['assessed', 'access_restricted', 'access_restored', 'evidence_preserved', 'notified', 'other'] as const;
export type IncidentStepKind = (typeof INCIDENT_STEP_KINDS)[number];

export const NOTIFIED_PARTIES = ['authority', 'subjects', 'management', 'other'] as const;
export type NotifiedParty = (typeof NOTIFIED_PARTIES)[number];

/** The limits a supervisor may set for retention (days) and backups. */
export const RETENTION_DAYS_MAX = 3650;
export const BACKUP_INTERVAL_HOURS_MAX = 24 * 30;
export const BACKUP_KEEP_MAX = 365;

const id = z.number().int().positive();
const instant = z.iso.datetime({ offset: true });
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const text = (max: number) => z.string().trim().min(2).max(max);
const reference = z.string().regex(/^DSR-\d{8}-\d{3,}$/);
const passphrase = z.string().min(1).max(256);
const days = z.number().int().min(1).max(RETENTION_DAYS_MAX);

/** How the parcels an incident touched are chosen: by arrival/import date, by shelf slot, or by a counter search. */
export const affectedSelection = z.discriminatedUnion('by', [
  z.object({ by: z.literal('dates'), from: day, to: day }).strict().refine((v) => v.from <= v.to, { path: ['to'] }),
  z.object({ by: z.literal('shelf'), shelf: z.number().int().min(1).max(999), layer: z.number().int().min(1).max(99).optional() }).strict(),
  z.object({ by: z.literal('search'), query: lookupQuery }).strict(),
]);
export type AffectedSelection = z.infer<typeof affectedSelection>;

export const lifecycleChannels = {
  /** The home screen's view: no step-up (read by supervisors and auditors). */
  'lifecycle.status': empty,
  'lifecycle.settings': z
    .object({
      pickedUpDays: days.optional(),
      returnedDays: days.optional(),
      expectedDays: days.optional(),
      /** Absolute path of a folder that exists; '' turns scheduled backups off. */
      backupFolder: z.string().max(1024).optional(),
      backupIntervalHours: z.number().int().min(1).max(BACKUP_INTERVAL_HOURS_MAX).optional(),
      backupKeep: z.number().int().min(1).max(BACKUP_KEEP_MAX).optional(),
      totp: totpCode,
    })
    .strict(),
  'lifecycle.purge': z.object({ dryRun: z.boolean(), totp: totpCode }).strict(),
  'lifecycle.dsr.find': z
    .object({ phone: z.string().min(3).max(32), kind: z.enum(DSR_KINDS), receivedAt: instant.optional(), totp: totpCode })
    .strict(),
  'lifecycle.dsr.export': z.object({ reference, totp: totpCode }).strict(),
  'lifecycle.dsr.erase': z.object({ reference, totp: totpCode }).strict(),
  'lifecycle.dsr.list': z.object({ totp: totpCode }).strict(),
  'lifecycle.incident.create': z
    .object({ type: z.enum(INCIDENT_TYPES), discoveredAt: instant, reporter: text(100), description: text(4000), totp: totpCode })
    .strict(),
  'lifecycle.incident.update': z
    .object({ incidentId: id, type: z.enum(INCIDENT_TYPES).optional(), discoveredAt: instant.optional(), description: text(4000).optional(), totp: totpCode })
    .strict()
    .refine((v) => v.type !== undefined || v.discoveredAt !== undefined || v.description !== undefined, { path: [], message: 'an update changes something' }),
  'lifecycle.incident.step': z
    .object({
      incidentId: id,
      kind: z.enum(INCIDENT_STEP_KINDS),
      /** When it was done, if not now (a step taken before it was recorded). */
      at: instant.optional(),
      /** 'assessed' only: whether the incident must be notified. */
      notificationRequired: z.boolean().optional(),
      /** 'notified' only. */
      whom: z.enum(NOTIFIED_PARTIES).optional(),
      note: text(2000).optional(),
      totp: totpCode,
    })
    .strict()
    .superRefine((v, ctx) => {
      if ((v.kind === 'assessed') !== (v.notificationRequired !== undefined)) ctx.addIssue({ code: 'custom', path: ['notificationRequired'], message: "with 'assessed', and only with it" });
      if ((v.kind === 'notified') !== (v.whom !== undefined)) ctx.addIssue({ code: 'custom', path: ['whom'], message: "with 'notified', and only with it" });
    }),
  'lifecycle.incident.affected': z.object({ incidentId: id, select: affectedSelection, totp: totpCode }).strict(),
  'lifecycle.incident.close': z.object({ incidentId: id, rootCause: text(2000), remediation: text(2000), totp: totpCode }).strict(),
  'lifecycle.incident.list': z.object({ openOnly: z.boolean(), totp: totpCode }).strict(),
  /** One incident in full (its description and steps), to read before changing it. */
  'lifecycle.incident.get': z.object({ incidentId: id, totp: totpCode }).strict(),
  'lifecycle.incident.export': z.object({ incidentId: id, totp: totpCode }).strict(),
  /** The incident switch: while on, clerks cannot unmask even with a supervisor's approval. */
  'lifecycle.restrict': z.object({ on: z.boolean(), incidentId: id.optional(), totp: totpCode }).strict(),
  'lifecycle.backup.now': z.object({ totp: totpCode }).strict(),
  'lifecycle.backup.list': z.object({ totp: totpCode }).strict(),
  /** Into a new store file (absolute paths); the passphrase the station had when the backup was made. */
  'lifecycle.backup.restore': z.object({ file: z.string().min(1).max(1024), target: z.string().min(1).max(1024), passphrase, totp: totpCode }).strict(),
  /** The OS folder dialog, where the shell has one: only opens it; the folder is saved by lifecycle.settings. */
  'lifecycle.backup.chooseFolder': empty,
  /** The station passphrase: the new root key is wrapped under it. */
  'lifecycle.rotate': z.object({ passphrase, totp: totpCode }).strict(),
  'lifecycle.passphrase': z.object({ passphrase, newPassphrase: z.string().min(8).max(256), totp: totpCode }).strict(),
} as const;

export interface RetentionSettings {
  pickedUpDays: number;
  returnedDays: number;
  expectedDays: number;
  backupFolder: string;
  backupIntervalHours: number;
  backupKeep: number;
}

export interface RestoredBackup {
  path: string;
  storeId: string;
  stationName: string;
  createdAt: string;
  parcels: number;
}

export interface PurgeResult {
  /** Parcels whose personal data is due for erasure (or was, before this run). */
  eligible: number;
  erased: number;
  dryRun: boolean;
  /** Done print jobs whose label bytes were erased. */
  labels: number;
  /** Erasure requests completed by this run (their parcels have left the station). */
  completedRequests: string[];
}

export interface DsrRequest {
  reference: string;
  receivedAt: string;
  kind: DsrKind;
  status: DsrStatus;
  handledBy: string;
  /** Parcels found for the phone number. */
  parcels: number;
  erased: number;
  /** Still at the station: erased by the purge once they leave. */
  scheduled: number;
  exportedAt: string | null;
  doneAt: string | null;
}

export interface SubjectParcel {
  waybillNo: string;
  carrier: string;
  status: ParcelStatus;
  item: string;
  importedAt: string;
  arrivedAt: string | null;
  pickedUpAt: string | null;
  returnedAt: string | null;
  /** Full values: this is the person's own copy. Empty once erased. */
  name: string;
  phone: string;
  address: string;
  handovers: { handedAt: string; proxy: boolean; proxyNote: string | null; undoneAt: string | null; undoReason: string | null }[];
  problems: { kind: string; flaggedAt: string; note: string | null }[];
  labelsPrinted: number;
}

/** Who looked at the person's parcels and why (staff roles, not names). */
export interface SubjectAccess {
  at: string;
  action: string;
  role: string | null;
  purpose: string | null;
}

export interface SubjectReport {
  request: DsrRequest;
  parcels: SubjectParcel[];
  accessLog: SubjectAccess[];
}

export interface DsrErasure {
  request: DsrRequest;
  erased: number;
  scheduled: number;
}

export type DeadlineState = 'pending' | 'met' | 'overdue' | 'not_required';

/** A countdown computed in main: the UI shows it until it is met. */
export interface Deadline {
  dueAt: string;
  metAt: string | null;
  state: DeadlineState;
  /** Milliseconds left (negative once overdue); null when met or not required. */
  remainingMs: number | null;
}

export interface IncidentSummary {
  id: number;
  reference: string;
  type: IncidentType;
  discoveredAt: string;
  recordedAt: string;
  closedAt: string | null;
  /** 1 hour from discovery to assessment. */
  assessment: Deadline;
  /** 48 hours from discovery to notification, unless the assessment found none needed. */
  notification: Deadline;
  affected: number;
}

export interface IncidentStep {
  id: number;
  kind: IncidentStepKind;
  at: string;
  recordedAt: string;
  recordedBy: string;
  notificationRequired: boolean | null;
  whom: NotifiedParty | null;
  note: string | null;
}

export interface Incident extends IncidentSummary {
  reporter: string;
  description: string;
  rootCause: string | null;
  remediation: string | null;
  steps: IncidentStep[];
  affectedByStatus: Record<ParcelStatus, number>;
}

export interface AffectedParcels {
  incident: Incident;
  /** Parcels this selection added (already listed ones are not counted twice). */
  added: number;
  /** The selection's parcels, masked, at most 200. */
  parcels: (MaskedParcel & { id: number })[];
  more: boolean;
}

export interface BackupInfo {
  fileName: string;
  createdAt: string;
  bytes: number;
  storeId: string;
}

export interface RotationProgress {
  generation: number;
  done: number;
  total: number;
}

export interface LifecycleStatus {
  /** Incident mode: only supervisors may open full personal data. */
  restricted: boolean;
  openIncidents: IncidentSummary[];
  lastPurge: { at: string; eligible: number; erased: number } | null;
  lastBackup: { at: string; fileName: string; bytes: number } | null;
  /** When the next scheduled backup is due; null without a backup folder. */
  backupDueAt: string | null;
  /** No backup at all, or none in the last 24 hours. */
  backupStale: boolean;
  /** Set while a key rotation is under way (it resumes by itself after a restart). */
  rotation: RotationProgress | null;
  settings: RetentionSettings;
}

export interface LifecycleOutputs {
  'lifecycle.status': LifecycleStatus;
  'lifecycle.settings': RetentionSettings;
  'lifecycle.purge': PurgeResult;
  'lifecycle.dsr.find': SubjectReport;
  'lifecycle.dsr.export': { request: DsrRequest; pdf: SignedExport; json: SignedExport };
  'lifecycle.dsr.erase': DsrErasure;
  'lifecycle.dsr.list': DsrRequest[];
  'lifecycle.incident.create': Incident;
  'lifecycle.incident.update': Incident;
  'lifecycle.incident.step': Incident;
  'lifecycle.incident.affected': AffectedParcels;
  'lifecycle.incident.close': Incident;
  'lifecycle.incident.list': IncidentSummary[];
  'lifecycle.incident.get': Incident;
  'lifecycle.incident.export': SignedExport;
  'lifecycle.restrict': LifecycleStatus;
  'lifecycle.backup.now': BackupInfo;
  'lifecycle.backup.list': BackupInfo[];
  'lifecycle.backup.restore': RestoredBackup;
  /** null: cancelled; `available` false: no dialog here (the folder is typed). */
  'lifecycle.backup.chooseFolder': { folder: string | null; available: boolean };
  'lifecycle.rotate': RotationProgress;
  'lifecycle.passphrase': { changed: true };
}

export interface LifecycleEvents {
  'lifecycle.progress': { job: 'purge' | 'backup' | 'rotation'; done: number; total: number };
}
