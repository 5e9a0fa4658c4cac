// The hot loop of verification, shared by the main thread and the verify
// workers: walk a seq range once, recomputing each hash and checking each
// link and each checkpoint head on the way. It only finds where the range
// first breaks; verify.ts works out what happened there.
//
// Speed: reading five columns a row through better-sqlite3 (a JS array, two
// strings and two Buffers per row) and re-encoding the strings to UTF-8 cost
// more than the SM3 itself. So SQLite lays out, in C, each entry's hash input
// (hash.ts) and stored hash, a few thousand entries to one blob; JavaScript
// copies it into SM3's workspace (WebAssembly memory), fills in the fixed
// header of each input and hashes it there (sm3Into, no allocation).
// A record:
//
//   char(len(payload), seq >> 32, seq >> 16 & 0xffff, seq & 0xffff)   UTF-8, 1-4 bytes each
//   11 zero bytes, overwritten with 0x00 || seq(u64 BE) || 24(u16 BE)  \
//   || prev_hash(32) || created_at(24) || payload                       > the entry-hash input
//   || hash(32)                                                        the stored hash
//
// Every length is exact: char() encodes each value below 0x110000 in a UTF-8
// sequence of its own, and a row whose hashes are not 32 bytes, whose time is
// not 24 bytes or whose payload is 1 MiB or more (append allows 64 KiB) is left
// out of the blob, so that its seq is missing: the range breaks there. The
// header is built this way because printf() and unhex() cost more than all the
// rest of the reading.
//
// The blob is read in index order, which for this primary-key range is seq
// order, without asking SQLite to sort it: an aggregate ORDER BY copies every
// row through a sorter and doubled the read. Each record carries its seq, so
// anything out of place is seen; a blob that does not check out is read again
// with ORDER BY seq, and that reading says where the range breaks.
import type { Db } from '../store/database';
import * as sm3 from '../crypto/sm3';
import * as hash from './hash';

// Module-local copies of what the loop uses from other modules. Run from the
// TypeScript sources (tsx: the tests, the bench, the CLI), every use of an
// imported binding is a getter call, and the loop made ~100 of them an entry
// (a third of its time); the bundled app would not notice.
const sm3Into = sm3.sm3Into;
const sm3Workspace = sm3.sm3Workspace;
const HASH_LEN = hash.HASH_LEN;
const writeEntryHeader = hash.writeEntryHeader;

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
/** 0x00 || seq(u64 BE) || len(created_at)(u16 BE): the start of the hash input, filled in here. */
const HEADER = hash.PREV_OFFSET;
const TIME_LEN = 24;
/** Payloads up to this many bytes are read this way; append allows 64 KiB. */
const MAX_PAYLOAD = 0x100000;
/** A record after its four char() values, less the payload: the input's header, prev_hash and time, and the stored hash. */
const RECORD_FIXED = HEADER + 2 * HASH_LEN + TIME_LEN;

const records = (sorted: boolean): string => `
SELECT CAST(group_concat(
  CASE WHEN length(prev_hash) = ${HASH_LEN} AND length(hash) = ${HASH_LEN} AND octet_length(created_at) = ${TIME_LEN}
         AND octet_length(payload) < ${MAX_PAYLOAD}
  THEN concat(char(octet_length(payload), seq >> 32, (seq >> 16) & 65535, seq & 65535), x'${'00'.repeat(HEADER)}',
              prev_hash, created_at, payload, hash) END,
  ''${sorted ? ' ORDER BY seq' : ''}) AS BLOB)
FROM chain_entries WHERE log = ? AND seq BETWEEN ? AND ?`;

/** End of the UTF-8 sequence that char() wrote at b[o], and its value in `charValue`. */
let charValue = 0;
function readChar(b: Uint8Array, o: number): number {
  const c = b[o];
  if (c < 0x80) {
    charValue = c;
    return o + 1;
  }
  if (c < 0xe0) {
    charValue = ((c & 0x1f) << 6) | (b[o + 1] & 0x3f);
    return o + 2;
  }
  if (c < 0xf0) {
    charValue = ((c & 0x0f) << 12) | ((b[o + 1] & 0x3f) << 6) | (b[o + 2] & 0x3f);
    return o + 3;
  }
  charValue = ((c & 0x07) << 18) | ((b[o + 1] & 0x3f) << 12) | ((b[o + 2] & 0x3f) << 6) | (b[o + 3] & 0x3f);
  return o + 4;
}

/**
 * Reads the four char() values that open the record at b[o], into
 * `recordPayloadLen` and `recordSeq`; returns where its hash input starts,
 * and the record ends RECORD_FIXED + recordPayloadLen bytes after that.
 */
let recordPayloadLen = 0;
let recordSeq = 0;
function readRecordHead(b: Uint8Array, o: number): number {
  o = readChar(b, o);
  recordPayloadLen = charValue;
  o = readChar(b, o);
  let seq = charValue * 0x100000000;
  o = readChar(b, o);
  seq += charValue * 0x10000;
  o = readChar(b, o);
  recordSeq = seq + charValue;
  return o;
}

function equal32(a: Uint8Array, ao: number, b: Uint8Array, bo: number): boolean {
  for (let i = 0; i < HASH_LEN; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** Where a walk through the range stands. */
interface Walk {
  /** The hash the next entry must link to, at buf[at]; null before the first entry of a worker's range. */
  prevBuf: Uint8Array | null;
  prevAt: number;
  firstPrev: Uint8Array | null;
  expected: number;
  /** Index of the next checkpoint at or after `expected`. */
  ci: number;
  badSeq: number | null;
  badCheckpointSeq: number | null;
}

const computed = new Uint8Array(HASH_LEN);

/**
 * Checks the records of one blob in order, stopping at the first that is wrong.
 * The blob is copied into SM3's workspace first, where it is hashed in place.
 */
function walk(read: Uint8Array | null, w: Walk, checkpoints: readonly HeadAt[]): void {
  if (!read) return;
  const blob = sm3Workspace(read.length);
  blob.set(read);
  const end = blob.length;
  for (let off = 0; off < end; ) {
    // Four header values of 1-4 bytes each, then the fixed part: anything shorter is not a record.
    if (off + 4 + RECORD_FIXED > end) {
      w.badSeq = w.expected;
      return;
    }
    const input = readRecordHead(blob, off);
    const seq = recordSeq;
    const prevAt = input + HEADER;
    const inputEnd = prevAt + HASH_LEN + TIME_LEN + recordPayloadLen;
    const next = inputEnd + HASH_LEN;
    if (seq !== w.expected || next > end) {
      w.badSeq = w.expected;
      return;
    }
    writeEntryHeader(blob, input, seq, TIME_LEN);
    if (w.firstPrev === null) w.firstPrev = blob.slice(prevAt, prevAt + HASH_LEN);
    if (w.prevBuf !== null && !equal32(blob, prevAt, w.prevBuf, w.prevAt)) {
      w.badSeq = seq;
      return;
    }
    sm3Into(blob, input, inputEnd, computed, 0);
    if (!equal32(blob, inputEnd, computed, 0)) {
      w.badSeq = seq;
      return;
    }
    if (w.ci < checkpoints.length && checkpoints[w.ci].seq === seq) {
      if (!equal32(blob, inputEnd, checkpoints[w.ci].headHash, 0)) {
        w.badCheckpointSeq = seq;
        return;
      }
      w.ci++;
    }
    w.prevBuf = blob;
    w.prevAt = inputEnd;
    w.expected++;
    off = next;
  }
}

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
  const inIndexOrder = db.prepare(records(false)).pluck();
  let ci = 0;
  while (ci < checkpoints.length && checkpoints[ci].seq < fromSeq) ci++;
  const w: Walk = { prevBuf: start, prevAt: 0, firstPrev: null, expected: fromSeq, ci, badSeq: null, badCheckpointSeq: null };
  const sorted = db.prepare(records(true)).pluck();
  const passed = (to: number): boolean => w.expected > to && w.badSeq === null && w.badCheckpointSeq === null;
  for (let from = fromSeq; from <= toSeq; from += BLOB_ENTRIES) {
    const to = Math.min(toSeq, from + BLOB_ENTRIES - 1);
    const before = { ...w };
    walk(inIndexOrder.get(log, from, to) as Uint8Array | null, w, checkpoints);
    if (!passed(to)) {
      // The range breaks in this blob, or SQLite returned it in an unexpected order: read it again, sorted.
      Object.assign(w, before);
      walk(sorted.get(log, from, to) as Uint8Array | null, w, checkpoints);
      if (!passed(to)) {
        // Entries missing at the end of the blob: the first of them is where the range breaks.
        if (w.badSeq === null && w.badCheckpointSeq === null) w.badSeq = w.expected;
        break;
      }
    }
    // Keep only the last hash, not the whole blob it sits in.
    w.prevBuf = w.prevBuf!.slice(w.prevAt, w.prevAt + HASH_LEN);
    w.prevAt = 0;
  }
  const lastHash = w.expected > fromSeq && w.prevBuf ? w.prevBuf.slice(w.prevAt, w.prevAt + HASH_LEN) : null;
  return { count: w.expected - fromSeq, firstPrev: w.firstPrev, lastHash, badSeq: w.badSeq, badCheckpointSeq: w.badCheckpointSeq };
}

/**
 * The read alone: the same queries and blobs as scanRange, each record framed
 * but nothing hashed or compared. The bench's baseline; returns the entries read.
 */
export function readRange(db: Db, log: string, fromSeq: number, toSeq: number): number {
  const inIndexOrder = db.prepare(records(false)).pluck();
  let entries = 0;
  for (let from = fromSeq; from <= toSeq; from += BLOB_ENTRIES) {
    const blob = inIndexOrder.get(log, from, Math.min(toSeq, from + BLOB_ENTRIES - 1)) as Uint8Array | null;
    for (let off = 0; blob && off < blob.length; entries++) off = readRecordHead(blob, off) + RECORD_FIXED + recordPayloadLen;
  }
  return entries;
}
