// Erasing a parcel's personal data, for the retention purge and for erasure
// requests alike: the sealed name, phone, address and masked projection, its
// blind indexes (live and, during a key rotation, the pending ones), and the
// notes typed about it at the counter. The facts the statistics need stay:
// dates, status, carrier, category, weight, waybill and pickup code.
// secure_delete is on, so the freed bytes are overwritten, not left in pages.
import type { Db } from '../store/database';
import { ParcelWriter } from '../store/parcel-writer';
import { handoverPhotoEraser } from '../counter/handover-photos';
import { handoverNoteEraser } from '../counter/pickup';
import { flagNoteEraser } from '../counter/problems';
import { LabelPayloadEraser } from '../devices/print-jobs';
import { DsrRequestRows } from './dsr-requests';
import { pendingIndexDropper } from './rotation';

export interface ErasedBatch {
  erased: number;
  /** Erasure requests whose last scheduled parcel was erased in this batch. */
  completedRequests: string[];
}

export class ParcelEraser {
  private readonly parcels;
  private readonly handoverNotes;
  private readonly handoverPhotos;
  private readonly flagNotes;
  private readonly pendingIndex;
  private readonly labels;
  private readonly scheduleOne;
  private readonly scheduled;
  private readonly unschedule;
  private readonly countErased;
  private readonly completeRequests;

  constructor(db: Db) {
    this.parcels = new ParcelWriter(db);
    this.handoverNotes = handoverNoteEraser(db);
    this.handoverPhotos = handoverPhotoEraser(db);
    this.flagNotes = flagNoteEraser(db);
    this.pendingIndex = pendingIndexDropper(db);
    this.labels = new LabelPayloadEraser(db);
    // A parcel an earlier request already waits for stays that request's.
    this.scheduleOne = db.prepare('INSERT OR IGNORE INTO erasure_schedule (parcel_id, request_id) VALUES (?, ?)');
    this.scheduled = db.prepare('SELECT request_id FROM erasure_schedule WHERE parcel_id = ?').pluck();
    this.unschedule = db.prepare('DELETE FROM erasure_schedule WHERE parcel_id = ?');
    const requests = new DsrRequestRows(db);
    this.countErased = requests.scheduledErasure();
    this.completeRequests = requests.completion();
  }

  /** Call inside a transaction. Parcels on the shelf or already erased are left as they are. */
  erase(ids: readonly number[], at: string): ErasedBatch {
    let erased = 0;
    for (const id of ids) {
      if (!this.parcels.erase(id, at)) continue;
      erased++;
      this.handoverNotes(id);
      this.handoverPhotos(id, at);
      this.flagNotes(id);
      this.pendingIndex(id);
      const request = this.scheduled.get(id) as number | undefined;
      if (request !== undefined) {
        this.countErased(request);
        this.unschedule.run(id);
      }
    }
    const completedRequests = erased ? this.completeRequests(at) : [];
    return { erased, completedRequests };
  }

  /** Parcels still at the station wait for the erasure request until they leave; how many now wait for it. */
  schedule(ids: readonly number[], requestId: number): number {
    return ids.reduce((n, id) => n + this.scheduleOne.run(id, requestId).changes, 0);
  }

  /** The label bytes of every print job of these parcels that is no longer queued; how many were erased. */
  eraseLabelsOf(ids: readonly number[]): number {
    return ids.reduce((n, id) => n + this.labels.ofParcel(id), 0);
  }

  /**
   * The retention sweep over label bytes: done jobs printed before
   * `doneBefore`, failed ones created before `failedBefore` (a supervisor may
   * still reprint those until then). Queued jobs are never touched.
   */
  eraseOldLabels(doneBefore: string, failedBefore: string): number {
    return this.labels.older(doneBefore, failedBefore);
  }
}
