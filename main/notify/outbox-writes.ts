// What a drain pass changes, as data: the outbox's moves and the audit entry
// that goes with each, applied in one short transaction by the connection
// that writes the station. A drain on a worker thread only reads and sends,
// and hands these to the main thread (drain-thread.ts), so the station keeps
// one writer and a scan-in never waits for another connection's lock.
import type { AuditEvent } from '../audit/audit-log';
import type { Store, Tx } from '../store/engine/store';
import { outbox, type Settlement } from './outbox';
import { enqueuePlanned, type Planned } from './planner';

export type OutboxWrite =
  /** Notices the planner found due; another sender may have covered some meanwhile. */
  | { op: 'enqueue'; notices: Planned[] }
  /** Claimed for a send ('sending'), or, with `settle`, claimed and settled at once without one. */
  | { op: 'claim'; id: number; provider: string; settle?: { settlement: Settlement; audit: AuditEvent } }
  | { op: 'requeue'; id: number; code: string; next: Date; audit?: AuditEvent }
  | { op: 'settle'; id: number; settlement: Settlement; audit: AuditEvent }
  | { op: 'receipt'; id: number; status: 'delivered' | 'failed'; code: string; audit: AuditEvent }
  | { op: 'askAgain'; id: number; next: Date };

/** Applies a list of writes together; one number per write: notices written, 1 for a claim taken, else 0. */
export interface OutboxWriter {
  apply(writes: readonly OutboxWrite[], now: Date): Promise<number[]>;
}

type RecordAudit = (tx: Tx, e: AuditEvent) => Promise<void>;

async function applyOne(tx: Tx, w: OutboxWrite, now: Date, record: RecordAudit): Promise<number> {
  switch (w.op) {
    case 'enqueue':
      return enqueuePlanned(tx, w.notices, now);
    case 'claim': {
      if (!(await outbox.claim(tx, w.id, w.provider, now))) return 0;
      if (w.settle) await settled(tx, w.id, w.settle.settlement, now, w.settle.audit, record);
      return 1;
    }
    case 'requeue':
      await outbox.requeue(tx, w.id, w.code, w.next, now);
      if (w.audit) await record(tx, w.audit);
      return 0;
    case 'settle':
      await settled(tx, w.id, w.settlement, now, w.audit, record);
      return 0;
    case 'receipt':
      await outbox.receipt(tx, w.id, w.status, w.code, now);
      await record(tx, w.audit);
      return 0;
    case 'askAgain':
      await outbox.askAgain(tx, w.id, w.next);
      return 0;
  }
}

async function settled(tx: Tx, id: number, s: Settlement, now: Date, audit: AuditEvent, record: RecordAudit): Promise<void> {
  await outbox.settle(tx, id, s, now);
  await record(tx, audit);
}

/** The writer of the connection that writes the station: `record` appends each audit entry in the same transaction. */
export function localWriter(store: Store, record: RecordAudit): OutboxWriter {
  return {
    async apply(writes, now) {
      if (!writes.length) return [];
      return store.transaction(async (tx) => {
        const results: number[] = [];
        for (const w of writes) results.push(await applyOne(tx, w, now, record));
        return results;
      });
    },
  };
}
