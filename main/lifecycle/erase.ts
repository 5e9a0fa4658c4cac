// Erasing a parcel's personal data, for the retention purge and for erasure
// requests alike: the sealed name, phone, address and masked projection, its
// blind indexes (live and, during a key rotation, the pending ones), and the
// notes typed about it at the counter. The facts the statistics need stay:
// dates, status, carrier, category, weight, waybill and pickup code.
// secure_delete is on, so the freed bytes are overwritten, not left in pages.
import type { RowMacKey } from '../crypto/keyring';
import type { Tx } from '../store/engine/store';
import { ParcelWriter } from '../store/parcel-writer';
import { eraseHandoverPhotos } from '../counter/handover-photos';
import { eraseHandoverNotes } from '../counter/pickup';
import { eraseFlagNotes } from '../counter/problems';
import { LabelPayloadEraser } from '../devices/print-jobs';
import { DsrRequestRows } from './dsr-requests';
import { dropPendingIndex } from './rotation';

export interface ErasedBatch {
  erased: number;
  /** Erasure requests whose last scheduled parcel was erased in this batch. */
  completedRequests: string[];
}

/** Every method runs in the transaction it is given. */
export class ParcelEraser {
  private readonly parcels = new ParcelWriter();

  /** The row MAC key: an erased row gets a new MAC over what is left of it. */
  constructor(private readonly keys: { readonly rowMac: RowMacKey }) {}
  private readonly labels = new LabelPayloadEraser();
  private readonly requests = new DsrRequestRows();

  /** Parcels on the shelf or already erased are left as they are. */
  async erase(tx: Tx, ids: readonly number[], at: string): Promise<ErasedBatch> {
    let erased = 0;
    for (const id of ids) {
      if (!(await this.parcels.erase(tx, this.keys.rowMac, id, at))) continue;
      erased++;
      await eraseHandoverNotes(tx, id);
      await eraseHandoverPhotos(tx, id, at);
      await eraseFlagNotes(tx, id);
      await dropPendingIndex(tx, id);
      const request = await tx.value<number>('SELECT request_id FROM erasure_schedule WHERE parcel_id = ?', id);
      if (request !== undefined) {
        await this.requests.countErased(tx, request);
        await tx.run('DELETE FROM erasure_schedule WHERE parcel_id = ?', id);
      }
    }
    const completedRequests = erased ? await this.requests.complete(tx, at) : [];
    return { erased, completedRequests };
  }

  /** Parcels still at the station wait for the erasure request until they leave; how many now wait for it. */
  async schedule(tx: Tx, ids: readonly number[], requestId: number): Promise<number> {
    let n = 0;
    // A parcel an earlier request already waits for stays that request's.
    for (const id of ids) n += (await tx.run('INSERT INTO erasure_schedule (parcel_id, request_id) VALUES (?, ?) ON CONFLICT DO NOTHING', id, requestId)).changes;
    return n;
  }

  /** The label bytes of every print job of these parcels that is no longer queued; how many were erased. */
  async eraseLabelsOf(tx: Tx, ids: readonly number[]): Promise<number> {
    let n = 0;
    for (const id of ids) n += await this.labels.ofParcel(tx, id);
    return n;
  }

  /**
   * The retention sweep over label bytes: done jobs printed before
   * `doneBefore`, failed ones created before `failedBefore` (a supervisor may
   * still reprint those until then). Queued jobs are never touched.
   */
  eraseOldLabels(tx: Tx, doneBefore: string, failedBefore: string): Promise<number> {
    return this.labels.older(tx, doneBefore, failedBefore);
  }
}
