// Worker-thread entry for verify.ts: over its own read-only connection, takes
// chunks of one log from the shared counter and posts each RangeScan back.
import Database from 'better-sqlite3';
import { parentPort, workerData } from 'node:worker_threads';
import { withSqliteBinding } from '../store/sqlite-binding';
import { scanRange, type HeadAt } from './scan';

export interface VerifyJob {
  path: string;
  log: string;
  chunks: readonly { fromSeq: number; toSeq: number }[];
  /** Index of the next unclaimed chunk, shared with the other threads. */
  next: Int32Array;
  checkpoints: readonly HeadAt[];
}

const job = workerData as VerifyJob;
const db = new Database(job.path, withSqliteBinding({ readonly: true, fileMustExist: true }));
try {
  for (let k = Atomics.add(job.next, 0, 1); k < job.chunks.length; k = Atomics.add(job.next, 0, 1)) {
    const { fromSeq, toSeq } = job.chunks[k];
    parentPort!.postMessage({ index: k, scan: scanRange(db, job.log, fromSeq, toSeq, null, job.checkpoints) });
  }
} finally {
  db.close();
}
