// The audit events that the app and the admin CLI both record, built in one
// place so that both record the same facts for the same act.
import type { Actor } from '../../shared/actor';
import type { CounterQuery, HandoverResult } from '../../shared/counter';
import type { ImportReport } from '../../shared/import-report';
import type { ExportFormat, ShredDestruction } from '../../shared/ipc/ledger';
import type { ScanFacts } from '../inbound/scan-in';
import type { AuditEvent } from './audit-log';

export const manifestImported = (actor: Actor, report: ImportReport): AuditEvent => ({
  action: 'manifest.import',
  actor,
  detail: { imported: report.imported, skipped: report.skipped, errors: report.errors.length },
});

export const scannedIn = (actor: Actor, { parcelId, waybillNo, duplicate, created }: ScanFacts): AuditEvent => ({
  action: 'counter.scan_in',
  actor,
  // The scan shows the parcel's card: "who saw this parcel" must find it.
  parcelIds: [parcelId],
  detail: { waybillNo, duplicate, created },
});

/** How masked cards reached a screen: a counter search, or one of the lists and previews that show cards too. */
export type ViewedBy = CounterQuery['by'] | 'overdue' | 'label-preview' | 'return-batch' | 'problems';

/** Parcels shown on someone's screen (or printed by the CLI), and how they were found; never the value searched for. */
export const parcelsViewed = (actor: Actor, parcelIds: readonly number[], by: ViewedBy, second?: string | null): AuditEvent => ({
  action: 'parcels.view',
  actor,
  parcelIds,
  detail: second === undefined ? { by } : { by, second },
});

/** What a counter lookup showed, and whether a second factor narrowed it. */
export const lookupViewed = (actor: Actor, query: CounterQuery, parcelIds: readonly number[]): AuditEvent =>
  parcelsViewed(actor, parcelIds, query.by, query.second?.by ?? null);

/** A label made: printed (a print job, or a reprint of one) or, from the CLI, written to a file. */
export const labelPrinted = (actor: Actor, parcelIds: readonly number[], detail: Record<string, string | number | boolean>): AuditEvent => ({
  action: 'label.print',
  actor,
  parcelIds,
  detail,
});

/**
 * `photoFollows`: a photo was taken at the scan; its digest is recorded with it
 * in a `handover.photo` entry of its own, and a handover so marked without one
 * shows its photo as not stored.
 */
export const handedOver = (actor: Actor, result: HandoverResult, proxy: boolean, photoFollows = false): AuditEvent => ({
  action: 'counter.handover',
  actor,
  parcelIds: [result.parcel.id],
  detail: { handoverId: result.handoverId, proxy, ...(photoFollows ? { photoFollows } : {}) },
});

/** A destruction recorded on the shred ledger: who operated and who witnessed, also when the CLI records it for them. */
export const shredRecorded = (actor: Actor, entry: ShredDestruction): AuditEvent => ({
  action: 'ledger.record',
  actor,
  detail: { entry: entry.id, batch: entry.batchId, method: entry.method, sheets: entry.sheets, operator: entry.operator.username, witness: entry.witness.username },
});

/** A signed export written: what, in which format, for which days, and how many rows left the station. */
export const exported = (actor: Actor, what: 'shred-ledger' | 'audit-log' | 'stocktake' | 'daily-close' | 'settlement', format: ExportFormat, from: string, to: string, rows: number): AuditEvent => ({
  action: 'export',
  actor,
  detail: { what, format, from, to, rows },
});
