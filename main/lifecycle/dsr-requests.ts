// The dsr_requests table: the one module that writes it, for the requests
// themselves (dsr.ts) and for the erasures that settle them (erase.ts).
import type { Db } from '../store/database';

export interface NewRequest {
  reference: string;
  receivedAt: string;
  kind: string;
  handledBy: number;
  parcels: number;
}

export class DsrRequestRows {
  constructor(private readonly db: Db) {}

  insert(r: NewRequest): number {
    return Number(
      this.db
        .prepare(
          `INSERT INTO dsr_requests (reference, received_at, kind, status, handled_by, parcels)
           VALUES (?, ?, ?, 'open', ?, ?)`,
        )
        .run(r.reference, r.receivedAt, r.kind, r.handledBy, r.parcels).lastInsertRowid,
    );
  }

  setSubject(id: number, subjectCt: Uint8Array): void {
    this.db.prepare('UPDATE dsr_requests SET subject_ct = ? WHERE id = ?').run(subjectCt, id);
  }

  /** The copy was made: an access request is done with it, an erasure request waits for its erasure. */
  markExported(reference: string, at: string): void {
    this.db
      .prepare(
        `UPDATE dsr_requests SET exported_at = ?,
           status = CASE kind WHEN 'access' THEN 'done' ELSE status END,
           done_at = CASE kind WHEN 'access' THEN ? ELSE done_at END,
           subject_ct = CASE kind WHEN 'access' THEN NULL ELSE subject_ct END
         WHERE reference = ? AND status = 'open'`,
      )
      .run(at, at, reference);
  }

  /** An erasure carried out: done, or waiting for `scheduled` parcels still at the station. */
  settle(id: number, erased: number, scheduled: number, at: string): void {
    if (scheduled === 0) {
      this.db.prepare("UPDATE dsr_requests SET erased = ?, scheduled = 0, status = 'done', done_at = ?, subject_ct = NULL WHERE id = ?").run(erased, at, id);
    } else {
      this.db.prepare("UPDATE dsr_requests SET erased = ?, scheduled = ?, status = 'scheduled' WHERE id = ?").run(erased, scheduled, id);
    }
  }

  /** Returns a function that counts one of a request's scheduled parcels as erased. */
  scheduledErasure(): (id: number) => void {
    const count = this.db.prepare('UPDATE dsr_requests SET erased = erased + 1, scheduled = scheduled - 1 WHERE id = ?');
    return (id) => void count.run(id);
  }

  /** Returns a function that closes the requests with nothing left scheduled, giving their references. */
  completion(): (at: string) => string[] {
    const complete = this.db
      .prepare(
        `UPDATE dsr_requests SET status = 'done', done_at = ?, subject_ct = NULL
         WHERE status = 'scheduled' AND scheduled = 0 RETURNING reference`,
      )
      .pluck();
    return (at) => complete.all(at) as string[];
  }
}
