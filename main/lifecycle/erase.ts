// Erasing a parcel's personal data, for the retention purge and for erasure
// requests alike: the sealed name, phone, address and masked projection, its
// blind indexes (live and, during a key rotation, the pending ones), and the
// notes typed about it at the counter. The facts the statistics need stay:
// dates, status, carrier, category, weight, waybill and pickup code.
// secure_delete is on, so the freed bytes are overwritten, not left in pages.
import type { Db } from '../store/database';
import { ParcelWriter } from '../store/parcel-writer';
import { AUDIT_LOG } from '../audit/audit-log';

export interface ErasedBatch {
  erased: number;
  /** Erasure requests whose last scheduled parcel was erased in this batch. */
  completedRequests: string[];
}

export class ParcelEraser {
  private readonly parcels;
  private readonly handovers;
  private readonly flags;
  private readonly pendingIndex;
  private readonly scheduled;
  private readonly unschedule;
  private readonly countErased;
  private readonly completeRequests;
  private readonly labelsOf;
  private readonly oldLabels;

  constructor(db: Db) {
    this.parcels = new ParcelWriter(db);
    this.handovers = db.prepare(
      'UPDATE handovers SET proxy_note_ct = NULL, undo_reason_ct = NULL WHERE parcel_id = ? AND (proxy_note_ct IS NOT NULL OR undo_reason_ct IS NOT NULL)',
    );
    this.flags = db.prepare('UPDATE problem_flags SET note_ct = NULL WHERE parcel_id = ? AND note_ct IS NOT NULL');
    this.pendingIndex = db.prepare('DELETE FROM rotation_bidx WHERE parcel_id = ?');
    this.scheduled = db.prepare('SELECT request_id FROM erasure_schedule WHERE parcel_id = ?').pluck();
    this.unschedule = db.prepare('DELETE FROM erasure_schedule WHERE parcel_id = ?');
    this.countErased = db.prepare('UPDATE dsr_requests SET erased = erased + 1, scheduled = scheduled - 1 WHERE id = ?');
    this.completeRequests = db.prepare(
      `UPDATE dsr_requests SET status = 'done', done_at = ?, subject_ct = NULL
       WHERE status = 'scheduled' AND scheduled = 0 RETURNING reference`,
    ).pluck();
    // A label's bytes are found through the audit entry of its printing, and reprints through reprint_of.
    this.labelsOf = db.prepare(
      `WITH RECURSIVE jobs(id) AS (
         SELECT json_extract(e.payload, '$.detail.jobId')
         FROM audit_parcels ap
         JOIN audit_index i ON i.seq = ap.seq AND i.action = 'label.print'
         JOIN chain_entries e ON e.log = '${AUDIT_LOG}' AND e.seq = ap.seq
         WHERE ap.parcel_id = ?
         UNION SELECT p.id FROM print_jobs p JOIN jobs j ON p.reprint_of = j.id)
       UPDATE print_jobs SET payload = X'' WHERE id IN (SELECT id FROM jobs) AND status IN ('done', 'failed') AND length(payload) > 0`,
    );
    this.oldLabels = db.prepare(
      `UPDATE print_jobs SET payload = X''
       WHERE length(payload) > 0 AND ((status = 'done' AND printed_at < ?) OR (status = 'failed' AND created_at < ?))`,
    );
  }

  /** Call inside a transaction. Parcels on the shelf or already erased are left as they are. */
  erase(ids: readonly number[], at: string): ErasedBatch {
    let erased = 0;
    for (const id of ids) {
      if (!this.parcels.erase(id, at)) continue;
      erased++;
      this.handovers.run(id);
      this.flags.run(id);
      this.pendingIndex.run(id);
      const request = this.scheduled.get(id) as number | undefined;
      if (request !== undefined) {
        this.countErased.run(request);
        this.unschedule.run(id);
      }
    }
    const completedRequests = erased ? (this.completeRequests.all(at) as string[]) : [];
    return { erased, completedRequests };
  }

  /** The label bytes of every print job of these parcels that is no longer queued; how many were erased. */
  eraseLabelsOf(ids: readonly number[]): number {
    return ids.reduce((n, id) => n + this.labelsOf.run(id).changes, 0);
  }

  /**
   * The retention sweep over label bytes: done jobs printed before
   * `doneBefore`, failed ones created before `failedBefore` (a supervisor may
   * still reprint those until then). Queued jobs are never touched.
   */
  eraseOldLabels(doneBefore: string, failedBefore: string): number {
    return this.oldLabels.run(doneBefore, failedBefore).changes;
  }
}
