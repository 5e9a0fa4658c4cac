// Verifying a log from the store alone, with only the station's public key.
//
// One pass over the entries in seq order recomputes every hash and checks
// every link and every checkpoint's head on the way. Only the *latest*
// checkpoint's SM2 signature is checked by default: each checkpoint carries
// the digest (body and signature) of the one before it, so the latest
// signature vouches for all earlier checkpoints, as a CT signed tree head
// vouches for the whole tree. An SM2 verification costs ~20 ms in sm-crypto,
// so checking all of a million-entry log's 1000 checkpoints would take 20 s;
// `allSignatures` does it for an audit. Checkpoints that break the digest
// chain are always signature-checked, to say which one is forged.
//
// The fast pass only finds where the chain first breaks; `classify` then
// looks around that entry to say how (changed, removed, inserted, reordered).
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { lazyWorkerScript } from '../workers/worker-script';
import type { Db } from '../store/database';
import { AppError } from '../../shared/errors';
import {
  assertLogName,
  CHECKPOINT_COLUMNS,
  checkpointBody,
  checkpointFromRow,
  type ChainHead,
  type Checkpoint,
  type CheckpointRow,
} from './chain-log';
import { checkpointDigest, EntryHasher, equalBytes, genesisHash } from './hash';
import { scanRange, type HeadAt, type RangeScan } from './scan';
import { fingerprintOf, isValidPublicKey, verifySignature } from '../crypto/sm2';
import type { VerifyJob } from './verify-worker';

export type ChainProblem =
  | 'changed'
  | 'removed'
  | 'inserted'
  | 'reordered'
  | 'bad-signature'
  | 'checkpoint-mismatch'
  | 'checkpoint-missing'
  | 'truncated';

export type VerifyResult =
  | {
      ok: true;
      log: string;
      entries: number;
      checkpoints: number;
      head: ChainHead;
      /** The entries up to this seq are vouched for by a signature; later ones only by the hash chain. */
      signedSeq: number;
      fingerprint: string;
    }
  | {
      ok: false;
      log: string;
      /** The first entry that can no longer be trusted. */
      firstBadSeq: number;
      problem: ChainProblem;
      /** The checkpoint concerned, for checkpoint problems. */
      checkpointSeq?: number;
      /** English, for logs and support; ids and seqs only. */
      detail: string;
    };

type Failure = Extract<VerifyResult, { ok: false }>;
type Finding = Omit<Failure, 'ok' | 'log'>;
type Row = [seq: number, createdAt: string, payload: string, prevHash: Uint8Array, hash: Uint8Array];

export interface VerifyOptions {
  /** Check every checkpoint's SM2 signature, not just the latest (~20 ms each). */
  allSignatures?: boolean;
  /** Threads for the hash pass, the calling thread included; default: one per core, at most 4. */
  threads?: number;
}

interface Prepared {
  storeId: string;
  genesis: Uint8Array;
  checkpoints: Checkpoint[];
  maxSeq: number;
  minSeq: number;
}

function prepareVerify(db: Db, log: string, publicKey: string): Prepared {
  assertLogName(log);
  if (!isValidPublicKey(publicKey)) throw new AppError('INVALID_INPUT', 'public key');
  const meta = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").get() as { value: string } | undefined;
  if (!meta) throw new AppError('NOT_A_STORE', 'store_id');
  const checkpoints = (
    db.prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE log = ? ORDER BY seq`).all(log) as CheckpointRow[]
  ).map((r) => checkpointFromRow(log, r));
  // Two queries: SQLite answers a lone MIN or MAX from the index, both together by a full scan.
  const minSeq = db.prepare('SELECT MIN(seq) FROM chain_entries WHERE log = ?').pluck().get(log) as number | null;
  const maxSeq = db.prepare('SELECT MAX(seq) FROM chain_entries WHERE log = ?').pluck().get(log) as number | null;
  return { storeId: meta.value, genesis: genesisHash(log, meta.value), checkpoints, maxSeq: maxSeq ?? 0, minSeq: minSeq ?? 1 };
}

/** One thread, synchronous: fine for everyday logs; `verifyChainAsync` for a million entries. */
export function verifyChain(db: Db, log: string, publicKey: string, opts: VerifyOptions = {}): VerifyResult {
  const p = prepareVerify(db, log, publicKey);
  const scan = earlyScan(p) ?? combine(p, [{ fromSeq: 1, toSeq: p.maxSeq }], [scanRange(db, log, 1, p.maxSeq, p.genesis, heads(p))]);
  return conclude(db, log, publicKey, p, scan, opts);
}

/**
 * Splits the hash pass across worker threads for big logs (each entry's hash
 * depends only on stored values, so ranges verify independently and the seams
 * are checked after), and yields between ranges so the event loop keeps
 * running. Falls back to one thread for in-memory stores, inside an open
 * transaction (workers would not see it) or where no worker script exists.
 */
export async function verifyChainAsync(db: Db, log: string, publicKey: string, opts: VerifyOptions = {}): Promise<VerifyResult> {
  const p = prepareVerify(db, log, publicKey);
  const threads = Math.max(1, Math.min(opts.threads ?? Math.min(availableParallelism(), 4), Math.ceil(p.maxSeq / CHUNK)));
  let scan = earlyScan(p);
  if (!scan) {
    const chunks: SeqRange[] = [];
    for (let from = 1; from <= p.maxSeq; from += CHUNK) chunks.push({ fromSeq: from, toSeq: Math.min(p.maxSeq, from + CHUNK - 1) });
    const canFork = threads > 1 && p.maxSeq >= PARALLEL_MIN && !db.memory && !db.inTransaction && workerScript() !== null;
    scan = combine(p, chunks, await scanChunks(db, log, p, chunks, canFork ? threads - 1 : 0));
  }
  return conclude(db, log, publicKey, p, scan, opts);
}

type AllOptions = VerifyOptions & {
  /** Logs to report on even while empty. */
  logs?: readonly string[];
};

const logsToCheck = (db: Db, opts: AllOptions): string[] => [...new Set([...listLogs(db), ...(opts.logs ?? [])])].sort();

/** Every log in the store (the audit log, the shred ledger, …), each on its own. */
export function verifyAllChains(db: Db, publicKey: string, opts: AllOptions = {}): { ok: boolean; results: VerifyResult[] } {
  const results = logsToCheck(db, opts).map((log) => verifyChain(db, log, publicKey, opts));
  return { ok: results.every((r) => r.ok), results };
}

export async function verifyAllChainsAsync(db: Db, publicKey: string, opts: AllOptions = {}): Promise<{ ok: boolean; results: VerifyResult[] }> {
  const results: VerifyResult[] = [];
  for (const log of logsToCheck(db, opts)) results.push(await verifyChainAsync(db, log, publicKey, opts));
  return { ok: results.every((r) => r.ok), results };
}

/** Distinct log names by skipping through the primary key, not scanning every entry. */
export function listLogs(db: Db): string[] {
  const out = new Set<string>();
  for (const table of ['chain_entries', 'chain_checkpoints']) {
    const next = db.prepare(`SELECT MIN(log) AS log FROM ${table} WHERE log > ?`);
    for (let log = ''; ; ) {
      const row = next.get(log) as { log: string | null };
      if (row.log === null) break;
      out.add(row.log);
      log = row.log;
    }
  }
  return [...out];
}

interface Scan {
  count: number;
  /** The last entry that checked out. */
  head: ChainHead;
  /** First entry whose seq, link or hash is wrong. */
  badSeq: number | null;
  /** Index of the first checkpoint whose head differs from a chain that is consistent up to it. */
  badCheckpoint: number | null;
}

interface SeqRange {
  fromSeq: number;
  toSeq: number;
}

/** Entries per unit of work: small enough to balance threads that start late, big enough to amortise a message. */
const CHUNK = 16_384;
/** Below this, starting a worker costs more than it saves. */
const PARALLEL_MIN = 100_000;

const heads = (p: Prepared): HeadAt[] => p.checkpoints.map((c) => ({ seq: c.seq, headHash: c.headHash }));

/** Problems visible before reading any entry: an entry numbered below 1, a genesis checkpoint from elsewhere. */
function earlyScan(p: Prepared): Scan | null {
  const empty = { count: 0, head: { seq: 0, hash: p.genesis } };
  if (p.minSeq < 1) return { ...empty, badSeq: p.minSeq, badCheckpoint: null };
  if (p.checkpoints[0]?.seq === 0 && !equalBytes(p.checkpoints[0].headHash, p.genesis)) return { ...empty, badSeq: null, badCheckpoint: 0 };
  return null;
}

/** Joins range results in seq order; the first range that breaks decides. */
function combine(p: Prepared, ranges: readonly SeqRange[], results: readonly RangeScan[]): Scan {
  let prev = p.genesis;
  let count = 0;
  const at = (badSeq: number | null, badCheckpointSeq: number | null = null): Scan => ({
    count,
    head: { seq: count, hash: prev },
    badSeq,
    badCheckpoint: badCheckpointSeq === null ? null : p.checkpoints.findIndex((c) => c.seq === badCheckpointSeq),
  });
  for (let k = 0; k < ranges.length; k++) {
    const r = results[k];
    if (r.firstPrev !== null && !equalBytes(r.firstPrev, prev)) return at(ranges[k].fromSeq);
    count += r.count;
    if (r.lastHash) prev = r.lastHash;
    if (r.badSeq !== null || r.badCheckpointSeq !== null) return at(r.badSeq, r.badCheckpointSeq);
    if (r.count < ranges[k].toSeq - ranges[k].fromSeq + 1) return at(ranges[k].fromSeq + r.count);
  }
  return at(null);
}

/**
 * The calling thread and `workers` worker threads take chunks from a shared
 * counter until none are left, so a worker that starts slowly simply takes
 * fewer. Chunks still unanswered then (a worker slow to start, starved on a
 * busy machine, or failed) are scanned here rather than waited for; the first
 * answer wins. So going parallel costs at most a thread start.
 */
async function scanChunks(db: Db, log: string, p: Prepared, chunks: readonly SeqRange[], workers: number): Promise<RangeScan[]> {
  const results: (RangeScan | undefined)[] = new Array(chunks.length);
  const next = new Int32Array(new SharedArrayBuffer(4));
  const cps = heads(p);
  const pool = Array.from({ length: workers }, () => startWorker({ path: db.name, log, chunks, next, checkpoints: cps }, results));
  const yieldToEvents = (): Promise<unknown> | undefined => (workers ? new Promise((resolve) => setImmediate(resolve)) : undefined);
  for (let k = Atomics.add(next, 0, 1); k < chunks.length; k = Atomics.add(next, 0, 1)) {
    results[k] = scanRange(db, log, chunks[k].fromSeq, chunks[k].toSeq, null, cps);
    await yieldToEvents();
  }
  for (let k = 0; k < chunks.length; k++) {
    if (results[k]) continue;
    results[k] = scanRange(db, log, chunks[k].fromSeq, chunks[k].toSeq, null, cps);
    await yieldToEvents();
  }
  await Promise.all(pool.map((w) => w.terminate()));
  return results as RangeScan[];
}

function startWorker(job: VerifyJob, results: (RangeScan | undefined)[]): Worker {
  const script = workerScript()!;
  const worker = new Worker(script.code, { eval: script.eval, workerData: job });
  worker.on('message', (m: { index: number; scan: RangeScan }) => (results[m.index] ??= m.scan));
  // A worker that fails leaves its chunks unanswered; scanChunks scans them itself.
  worker.on('error', () => undefined);
  return worker;
}

const workerScript = lazyWorkerScript(__dirname, 'chain-verify-worker.js', 'verify-worker.ts');

/** Whether verifyChainAsync can use worker threads here (for the bench and tests to report). */
export const canVerifyInParallel = (): boolean => workerScript() !== null;

function conclude(db: Db, log: string, publicKey: string, p: Prepared, scan: Scan, opts: VerifyOptions): VerifyResult {
  const { storeId, genesis, checkpoints } = p;
  const findings: Finding[] = [];
  if (scan.badSeq !== null) findings.push(classify(db, log, genesis, scan.badSeq));
  const cpFinding = checkCheckpoints({ storeId, log, publicKey, checkpoints, scan, opts });
  if (cpFinding) findings.push(cpFinding);
  if (findings.length) {
    // Ties go to the entry finding: it says more precisely what happened.
    const first = findings.reduce((a, b) => (b.firstBadSeq < a.firstBadSeq ? b : a));
    return { ok: false, log, ...first };
  }
  return {
    ok: true,
    log,
    entries: scan.count,
    checkpoints: checkpoints.length,
    // A plain copy: worker results arrive as Uint8Array, main-thread ones as Buffer.
    head: { seq: scan.head.seq, hash: new Uint8Array(scan.head.hash) },
    signedSeq: checkpoints.length ? checkpoints[checkpoints.length - 1].seq : 0,
    fingerprint: fingerprintOf(publicKey),
  };
}

/** Names what happened at `j`, the first entry the scan rejected. */
function classify(db: Db, log: string, genesis: Uint8Array, j: number): Finding {
  const get = db.prepare('SELECT seq, created_at, payload, prev_hash, hash FROM chain_entries WHERE log = ? AND seq = ?').raw(true);
  const row = (seq: number): Row | undefined => get.get(log, seq) as Row | undefined;
  // Entries before j were verified, so their stored hashes can be trusted.
  const trusted = (seq: number): Uint8Array => (seq === 0 ? genesis : row(seq)![4]);
  const hasher = new EntryHasher();
  if (j < 1) return { firstBadSeq: j, problem: 'inserted', detail: `an entry with seq ${j} was added before the first` };
  const r = row(j);
  if (!r) return { firstBadSeq: j, problem: 'removed', detail: `entry ${j} is missing` };
  const [, createdAt, payload, prevHash, hash] = r;
  const prevExpected = trusted(j - 1);
  const linked = equalBytes(prevHash, prevExpected);
  const selfOk = hasher.matches(prevHash, j, createdAt, payload, hash);

  if (!linked) {
    const later = db
      .prepare('SELECT seq FROM chain_entries WHERE log = ? AND seq > ? AND hash = ? LIMIT 1')
      .get(log, j, prevHash) as { seq: number } | undefined;
    if (later) return { firstBadSeq: j, problem: 'reordered', detail: `entry ${j} follows entry ${later.seq}, which now comes after it` };
  }
  const next = row(j + 1);
  if (next && equalBytes(next[3], prevExpected)) {
    return { firstBadSeq: j, problem: 'inserted', detail: `entry ${j} was inserted: entry ${j + 1} links straight to entry ${j - 1}` };
  }
  if (!linked && j >= 2 && equalBytes(prevHash, trusted(j - 2))) {
    return { firstBadSeq: j - 1, problem: 'inserted', detail: `entry ${j - 1} was inserted: entry ${j} links straight to entry ${j - 2}` };
  }
  if (linked && !selfOk) {
    const swapped = findContentFor(db, log, j, prevHash, hash);
    if (swapped !== null) {
      return { firstBadSeq: j, problem: 'reordered', detail: `entry ${j} holds the content of entry ${swapped}` };
    }
    return { firstBadSeq: j, problem: 'changed', detail: `entry ${j} does not match its hash` };
  }
  if (!linked && hasher.matches(prevHash, j + 1, createdAt, payload, hash)) {
    return { firstBadSeq: j, problem: 'removed', detail: `entry ${j} was removed and later entries renumbered` };
  }
  if (!linked && selfOk && j >= 2) {
    return { firstBadSeq: j - 1, problem: 'changed', detail: `entry ${j - 1} was rewritten with a recomputed hash (entry ${j} still links to the original)` };
  }
  if (!linked && !selfOk && !next) {
    return { firstBadSeq: j, problem: 'inserted', detail: `entry ${j} was added at the end without a valid link or hash` };
  }
  return { firstBadSeq: j, problem: 'changed', detail: `entry ${j} does not match its hash or link` };
}

/** The later entry whose time and payload, at position j, give j's stored hash: a swap of contents. */
function findContentFor(db: Db, log: string, j: number, prevHash: Uint8Array, hash: Uint8Array): number | null {
  const hasher = new EntryHasher();
  const rows = db
    .prepare('SELECT seq, created_at, payload FROM chain_entries WHERE log = ? AND seq > ? ORDER BY seq')
    .raw(true)
    .iterate(log, j) as IterableIterator<[number, string, string]>;
  for (const [seq, createdAt, payload] of rows) {
    if (hasher.matches(prevHash, j, createdAt, payload, hash)) return seq;
  }
  return null;
}

function checkCheckpoints(args: {
  storeId: string;
  log: string;
  publicKey: string;
  checkpoints: readonly Checkpoint[];
  scan: Scan;
  opts: VerifyOptions;
}): Finding | null {
  const { storeId, log, publicKey, checkpoints: cps, scan, opts } = args;
  const fingerprint = fingerprintOf(publicKey);
  const signed = (c: Checkpoint): boolean => verifySignature(publicKey, checkpointBody(storeId, log, c), c.signature);
  const after = (i: number): number => (i > 0 ? cps[i - 1].seq + 1 : 1);
  const badSignature = (i: number, why: string): Finding => ({
    firstBadSeq: after(i),
    problem: 'bad-signature',
    checkpointSeq: cps[i].seq,
    detail: `checkpoint ${cps[i].seq} ${why}`,
  });

  if (!cps.length) {
    return scan.count > 0 || scan.badSeq !== null
      ? { firstBadSeq: 1, problem: 'checkpoint-missing', detail: 'the log has entries but no checkpoint (the genesis checkpoint is missing)' }
      : null;
  }
  if (cps[0].seq !== 0 || cps[0].prevSeq !== null || cps[0].prevDigest !== null) {
    return { firstBadSeq: 1, problem: 'checkpoint-missing', checkpointSeq: cps[0].seq, detail: 'the genesis checkpoint (seq 0) is missing' };
  }
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (c.fingerprint !== fingerprint) return badSignature(i, `names key ${c.fingerprint.slice(0, 9)}…, not the station key`);
    if (scan.badCheckpoint === i) {
      return {
        firstBadSeq: after(i),
        problem: 'checkpoint-mismatch',
        checkpointSeq: c.seq,
        detail: `checkpoint ${c.seq} does not match the chain: entries ${after(i)}–${c.seq} were rewritten with recomputed hashes`,
      };
    }
    if (i === 0) continue;
    const p = cps[i - 1];
    if (c.prevSeq !== p.seq || !c.prevDigest || !equalBytes(c.prevDigest, checkpointDigest(checkpointBody(storeId, log, p), p.signature))) {
      if (!signed(p)) return badSignature(i - 1, 'has a bad signature');
      if (!signed(c)) return badSignature(i, 'has a bad signature');
      if (c.prevSeq !== p.seq) {
        return { firstBadSeq: p.seq + 1, problem: 'checkpoint-missing', checkpointSeq: c.prevSeq ?? 0, detail: `checkpoint ${c.prevSeq} was removed` };
      }
      return { firstBadSeq: p.seq + 1, problem: 'checkpoint-mismatch', checkpointSeq: c.seq, detail: `checkpoint ${c.seq} does not follow checkpoint ${p.seq}` };
    }
    if (c.seq - p.seq > p.every) {
      return { firstBadSeq: p.seq + 1, problem: 'checkpoint-missing', checkpointSeq: p.seq, detail: `no checkpoint within ${p.every} entries after ${p.seq}` };
    }
  }
  const lastIndex = cps.length - 1;
  const last = cps[lastIndex];
  if (scan.badSeq === null && last.seq > scan.head.seq) {
    return {
      firstBadSeq: scan.head.seq + 1,
      problem: 'truncated',
      checkpointSeq: last.seq,
      detail: `entries ${scan.head.seq + 1}–${last.seq} are missing from the end`,
    };
  }
  if (scan.badSeq === null && scan.head.seq - last.seq >= last.every) {
    return { firstBadSeq: last.seq + 1, problem: 'checkpoint-missing', checkpointSeq: last.seq, detail: `no checkpoint within ${last.every} entries after ${last.seq}` };
  }
  if (opts.allSignatures) {
    for (let i = 0; i < lastIndex; i++) if (!signed(cps[i])) return badSignature(i, 'has a bad signature');
  }
  return signed(last) ? null : badSignature(lastIndex, 'has a bad signature');
}
