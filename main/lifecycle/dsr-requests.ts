// The dsr_requests table: the one module that writes it, for the requests
// themselves (dsr.ts) and for the erasures that settle them (erase.ts).
import type { Queryable } from '../store/engine/store';

export interface NewRequest {
  reference: string;
  receivedAt: string;
  kind: string;
  handledBy: number;
  parcels: number;
}

/** Every method runs on the transaction it is given. */
export class DsrRequestRows {
  async insert(tx: Queryable, r: NewRequest): Promise<number> {
    return Number(
      await tx.value(
        `INSERT INTO dsr_requests (reference, received_at, kind, status, handled_by, parcels)
         VALUES (?, ?, ?, 'open', ?, ?) RETURNING id`,
        r.reference, r.receivedAt, r.kind, r.handledBy, r.parcels,
      ),
    );
  }

  async setSubject(tx: Queryable, id: number, subjectCt: Uint8Array): Promise<void> {
    await tx.run('UPDATE dsr_requests SET subject_ct = ? WHERE id = ?', subjectCt, id);
  }

  /** The copy was made: an access request is done with it, an erasure request waits for its erasure. */
  async markExported(tx: Queryable, reference: string, at: string): Promise<void> {
    await tx.run(
      `UPDATE dsr_requests SET exported_at = ?,
         status = CASE kind WHEN 'access' THEN 'done' ELSE status END,
         done_at = CASE kind WHEN 'access' THEN ? ELSE done_at END,
         subject_ct = CASE kind WHEN 'access' THEN NULL ELSE subject_ct END
       WHERE reference = ? AND status = 'open'`,
      at, at, reference,
    );
  }

  /** An erasure carried out: done, or waiting for `scheduled` parcels still at the station. */
  async settle(tx: Queryable, id: number, erased: number, scheduled: number, at: string): Promise<void> {
    if (scheduled === 0) {
      await tx.run("UPDATE dsr_requests SET erased = ?, scheduled = 0, status = 'done', done_at = ?, subject_ct = NULL WHERE id = ?", erased, at, id);
    } else {
      await tx.run("UPDATE dsr_requests SET erased = ?, scheduled = ?, status = 'scheduled' WHERE id = ?", erased, scheduled, id);
    }
  }

  /** Counts one of a request's scheduled parcels as erased. */
  async countErased(tx: Queryable, id: number): Promise<void> {
    await tx.run('UPDATE dsr_requests SET erased = erased + 1, scheduled = scheduled - 1 WHERE id = ?', id);
  }

  /** Closes the requests with nothing left scheduled, giving their references. */
  async complete(tx: Queryable, at: string): Promise<string[]> {
    const rows = await tx.all<{ reference: string }>(
      `UPDATE dsr_requests SET status = 'done', done_at = ?, subject_ct = NULL
       WHERE status = 'scheduled' AND scheduled = 0 RETURNING reference`,
      at,
    );
    return rows.map((r) => r.reference);
  }
}
