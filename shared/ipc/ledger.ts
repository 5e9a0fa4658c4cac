// Channels: the shred ledger for paper waybills and the signed
// exports of the ledger and of the audit log.
import { z } from 'zod';
import { AUDIT_ACTIONS } from './audit';
import { empty, pin, totpCode, username } from './common';

export const SHRED_METHODS = ['shredder', 'outsourced', 'burn'] as const;
export type ShredMethod = (typeof SHRED_METHODS)[number];

export const DETACH_REASONS = ['label_applied', 'left_at_pickup'] as const;
export type DetachReason = (typeof DETACH_REASONS)[number];

export const EXPORT_FORMATS = ['pdf', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** The outstanding-paper threshold a supervisor may set. */
export const OUTSTANDING_DAYS_MAX = 90;

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
const id = z.number().int().positive();
const waybill = z.string().trim().min(4).max(40);
/** Free text typed at the counter; the service also refuses phone numbers in it. */
const note = z.string().trim().min(2).max(200);
const deviceId = z.string().trim().min(1).max(40);
const certificate = z.string().trim().min(1).max(60);
const period = { from: day, to: day };
const fromNotAfterTo = (p: { from: string; to: string }) => p.from <= p.to;

/** A shredder names its device, outsourced destruction its certificate; burning needs neither. */
function methodDetail(v: { method?: ShredMethod; deviceId?: string; certificate?: string }, ctx: z.RefinementCtx): void {
  if (v.method === 'shredder' && !v.deviceId) ctx.addIssue({ code: 'custom', path: ['deviceId'], message: 'required for a shredder' });
  if (v.method === 'outsourced' && !v.certificate) ctx.addIssue({ code: 'custom', path: ['certificate'], message: 'required for outsourced destruction' });
  if (v.method !== 'shredder' && v.deviceId) ctx.addIssue({ code: 'custom', path: ['deviceId'], message: 'only for a shredder' });
  if (v.method !== 'outsourced' && v.certificate) ctx.addIssue({ code: 'custom', path: ['certificate'], message: 'only for outsourced destruction' });
}

export const ledgerChannels = {
  'ledger.batch.open': empty,
  'ledger.batch.list': empty,
  'ledger.batch.scan': z.object({ batchId: id, waybill }).strict(),
  /** Papers whose barcode cannot be read go in by count, with a note saying why. */
  'ledger.batch.addCount': z.object({ batchId: id, count: z.number().int().min(1).max(10_000), note }).strict(),
  'ledger.batch.remove': z.object({ batchId: id, waybill }).strict(),
  'ledger.destroy': z
    .object({
      batchId: id,
      method: z.enum(SHRED_METHODS),
      deviceId: deviceId.optional(),
      certificate: certificate.optional(),
      /** The second person, authenticating on the spot. */
      witness: z.object({ username, pin, totp: totpCode }).strict(),
      notes: note.optional(),
    })
    .strict()
    .superRefine(methodDetail),
  'ledger.signoff': z.object({ entryId: id, totp: totpCode }).strict(),
  'ledger.correct': z
    .object({
      entryId: id,
      reason: note,
      method: z.enum(SHRED_METHODS).optional(),
      deviceId: deviceId.optional(),
      certificate: certificate.optional(),
      notes: note.optional(),
      /** Waybills the entry lists that were not in fact destroyed: they become outstanding again. */
      withdraw: z.array(waybill).min(1).max(1500).optional(),
      /** The right total of papers that went in by count. */
      countedSheets: z.number().int().min(0).max(10_000).optional(),
      totp: totpCode,
    })
    .strict()
    .superRefine((v, ctx) => {
      if (v.method) methodDetail(v, ctx);
      else if (v.deviceId || v.certificate) ctx.addIssue({ code: 'custom', path: ['method'], message: 'give the method with its detail' });
      const changes = [v.method, v.notes, v.withdraw, v.countedSheets].filter((x) => x !== undefined);
      if (changes.length === 0) ctx.addIssue({ code: 'custom', path: [], message: 'a correction changes something' });
    }),
  'ledger.list': z.object(period).strict().refine(fromNotAfterTo, { path: ['to'] }),
  'ledger.outstanding': empty,
  'ledger.settings': z.object({ outstandingDays: z.number().int().min(1).max(OUTSTANDING_DAYS_MAX), totp: totpCode }).strict(),
  'ledger.export': z
    .object({ format: z.enum(EXPORT_FORMATS), ...period, totp: totpCode })
    .strict()
    .refine(fromNotAfterTo, { path: ['to'] }),
  'audit.export': z
    .object({
      format: z.enum(EXPORT_FORMATS),
      ...period,
      totp: totpCode,
      userId: id.optional(),
      action: z.enum(AUDIT_ACTIONS).optional(),
      parcelId: id.optional(),
    })
    .strict()
    .refine(fromNotAfterTo, { path: ['to'] }),
} as const;

export interface StaffRef {
  username: string;
  displayName: string;
}

export interface CountedPapers {
  sheets: number;
  note: string;
}

/** An open destruction batch (a bag or box being filled). */
export interface ShredBatch {
  id: number;
  openedAt: string;
  openedBy: StaffRef;
  waybills: string[];
  /** Scanned numbers that match no parcel in the store. */
  unknownWaybills: string[];
  counts: CountedPapers[];
  /** Papers in the batch: scanned plus counted. */
  sheets: number;
}

export interface BatchScanResult {
  batch: ShredBatch;
  waybill: string;
  /** detached: as recorded; on_parcel: the store still has this paper on its parcel (was the parcel itself scanned?); unknown: in no manifest. */
  custody: 'detached' | 'on_parcel' | 'unknown';
}

export interface ShredDestruction {
  kind: 'destroyed';
  /** The entry's seq in the 'shred' chain. */
  id: number;
  at: string;
  batchId: number;
  method: ShredMethod;
  deviceId: string | null;
  certificate: string | null;
  operator: StaffRef;
  witness: StaffRef;
  waybills: string[];
  unknownWaybills: string[];
  counts: CountedPapers[];
  sheets: number;
  notes: string | null;
  signoff: { by: StaffRef; at: string; id: number } | null;
  /** Ids of the corrections made to this entry. */
  correctedBy: number[];
  /** The values in force once those corrections are applied; null when there are none. */
  corrected: {
    method: ShredMethod;
    deviceId: string | null;
    certificate: string | null;
    notes: string | null;
    /** Listed papers that were not destroyed after all. */
    withdrawn: string[];
    sheets: number;
  } | null;
}

export interface ShredCorrection {
  kind: 'correction';
  id: number;
  at: string;
  /** The destruction entry this corrects. */
  corrects: number;
  batchId: number;
  by: StaffRef;
  reason: string;
  method: ShredMethod | null;
  deviceId: string | null;
  certificate: string | null;
  notes: string | null;
  withdraw: string[];
  countedSheets: number | null;
}

export type LedgerEntry = ShredDestruction | ShredCorrection;

export interface OutstandingPaper {
  parcelId: number;
  waybill: string;
  reason: DetachReason;
  detachedAt: string;
  /** Whole days since the paper came off its parcel. */
  days: number;
  /** Set while the paper sits in a batch that has not been destroyed yet. */
  batchId: number | null;
  /** Kept past the station's number of days: the alarm. */
  overdue: boolean;
}

export interface OutstandingReport {
  days: number;
  /** For the home screen's warning: all papers kept past `days`, not just those listed. */
  count: number;
  /** Every paper off its parcel and not destroyed yet, overdue or not. */
  total: number;
  /** Every paper not destroyed yet, overdue or not, oldest first, at most 500. */
  papers: OutstandingPaper[];
}

export interface SignedExport {
  fileName: string;
  bytes: Uint8Array;
  /** Detached SM2 signature file (JSON) for `verify-export`. */
  signature: string;
}

export interface LedgerOutputs {
  'ledger.batch.open': ShredBatch;
  'ledger.batch.list': ShredBatch[];
  'ledger.batch.scan': BatchScanResult;
  'ledger.batch.addCount': ShredBatch;
  'ledger.batch.remove': ShredBatch;
  'ledger.destroy': ShredDestruction;
  'ledger.signoff': ShredDestruction;
  'ledger.correct': ShredCorrection;
  'ledger.list': LedgerEntry[];
  'ledger.outstanding': OutstandingReport;
  'ledger.settings': { outstandingDays: number };
  'ledger.export': SignedExport;
  'audit.export': SignedExport;
}

export interface LedgerEvents {
  'ledger.export.progress': { kind: 'ledger' | 'audit'; format: ExportFormat; done: number; total: number };
}
