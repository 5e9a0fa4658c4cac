// The hot loop of verification, shared by the main thread and the verify
// workers: walk a seq range once, recomputing each hash and checking each
// link and each checkpoint head on the way. It only finds where the range
// first breaks; verify.ts works out what happened there.
//
// Speed: reading five columns a row through better-sqlite3 and re-encoding the
// strings to UTF-8 cost more than the SM3 itself. So SQLite assembles, in C,
// each entry's exact hash input (hash.ts) plus its stored hash, and returns a
// few thousand entries as one blob; JavaScript only hashes and compares.
// Record layout: inputLen(u32 BE) || hashLen(u32 BE) || input || stored hash.
import type { Db } from '../store/database';
import { sm3 } from '../crypto/sm3';
import { equalBytes, HASH_LEN, PREV_OFFSET } from './hash';

export interface HeadAt {
  readonly seq: number;
  readonly headHash: Uint8Array;
}

export interface RangeScan {
  /** Entries from `fromSeq` on that checked out, contiguously. */
  count: number;
  /** Stored prev_hash of the entry at `fromSeq`: the caller checks it against the range before. */
  firstPrev: Uint8Array | null;
  /** Hash of the last entry that checked out. */
  lastHash: Uint8Array | null;
  /** First entry whose seq, link or hash is wrong. */
  badSeq: number | null;
  /** Seq of the first checkpoint whose head differs from a chain consistent up to it. */
  badCheckpointSeq: number | null;
}

/** Entries per blob: ~2 MB at typical sizes. */
const BLOB_ENTRIES = 8192;

// A NULL record (e.g. a header that will not unhex) is skipped by group_concat
// and so shows as a missing seq: reported, never passed.
const RECORDS = `
SELECT CAST(group_concat(
  unhex(printf('%08x%08x00%016x%04x',
    11 + length(prev_hash) + octet_length(created_at) + octet_length(payload), length(hash), seq, octet_length(created_at)))
  || prev_hash || created_at || payload || hash, '' ORDER BY seq) AS BLOB)
FROM chain_entries WHERE log = ? AND seq BETWEEN ? AND ?`;

const u32 = (b: Uint8Array, o: number): number => ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;

/**
 * `start` is the hash the first entry must link to; null lets a worker take
 * the stored prev_hash (each hash depends only on stored values, so ranges
 * verify independently and the seams are checked afterwards).
 */
export function scanRange(
  db: Db,
  log: string,
  fromSeq: number,
  toSeq: number,
  start: Uint8Array | null,
  checkpoints: readonly HeadAt[],
): RangeScan {
  const records = db.prepare(RECORDS).pluck();
  let ci = 0;
  while (ci < checkpoints.length && checkpoints[ci].seq < fromSeq) ci++;
  let prev = start;
  let firstPrev: Uint8Array | null = null;
  let expected = fromSeq;
  let badSeq: number | null = null;
  let badCheckpointSeq: number | null = null;
  scan: for (let from = fromSeq; from <= toSeq; from += BLOB_ENTRIES) {
    const blob = records.get(log, from, Math.min(toSeq, from + BLOB_ENTRIES - 1)) as Uint8Array | null;
    if (!blob) break;
    for (let off = 0; off < blob.length; ) {
      const inputLen = off + 8 <= blob.length ? u32(blob, off) : 0;
      const hashLen = off + 8 <= blob.length ? u32(blob, off + 4) : 0;
      const input = blob.subarray(off + 8, off + 8 + inputLen);
      const stored = blob.subarray(off + 8 + inputLen, off + 8 + inputLen + hashLen);
      off += 8 + inputLen + hashLen;
      const seq = input.length >= PREV_OFFSET ? u32(input, 1) * 0x100000000 + u32(input, 5) : -1;
      if (seq !== expected) {
        badSeq = expected;
        break scan;
      }
      const prevHash = input.subarray(PREV_OFFSET, PREV_OFFSET + HASH_LEN);
      if (firstPrev === null) firstPrev = prevHash.slice();
      if (
        hashLen !== HASH_LEN ||
        prevHash.length !== HASH_LEN ||
        (prev !== null && !equalBytes(prevHash, prev)) ||
        !equalBytes(sm3(input), stored)
      ) {
        badSeq = seq;
        break scan;
      }
      if (ci < checkpoints.length && checkpoints[ci].seq === seq) {
        if (!equalBytes(checkpoints[ci].headHash, stored)) {
          badCheckpointSeq = seq;
          break scan;
        }
        ci++;
      }
      prev = stored;
      expected++;
    }
  }
  // Copies: a view would keep (and, posted from a worker, clone) the whole blob.
  return { count: expected - fromSeq, firstPrev, lastHash: expected > fromSeq && prev ? prev.slice() : null, badSeq, badCheckpointSeq };
}
