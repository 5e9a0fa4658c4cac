// An append-only, tamper-evident log in SQLite, after Certificate Transparency
// (RFC 6962): entries are hash-chained, and signed checkpoints (CT's signed
// tree heads) vouch for the head of the chain at a point in time. The shred
// ledger and the audit log each keep one log in the same tables.
//
// What it guarantees, and what it cannot:
// - An entry edited, deleted, inserted or moved directly in SQLite breaks the
//   chain at that entry (see verify.ts).
// - Someone who edits a row *and* recomputes every later hash produces a
//   consistent chain; the next signed checkpoint no longer matches it, and
//   without the private key (sealed under the root key) they cannot re-sign.
// - So entries after the latest checkpoint are protected against direct edits
//   only; cutting off that unsigned tail is undetectable from the store alone.
//   Checkpoints bound the window: one every `checkpointEvery` entries, one at
//   the first entry more than an hour after the last checkpoint, one at every
//   shift close and every export (an export carries the signed heads out of
//   reach).
// - Cutting off signed entries together with their checkpoints is caught
//   against a head kept elsewhere: the anchor file beside the store
//   (anchor.ts), or the heads an export signed (consistency.ts).
import type { Queryable, Store, Tx } from '../store/engine/store';
import type { Station } from '../store/station';
import { AppError } from '../../shared/errors';
import { canonicalJson, type CanonicalValue } from './canonical';
import { anchorCheckpoint, checkpointFields } from './anchor';
import { checkpointDigest, EntryHasher, equalBytes, genesisHash } from './hash';
import { loadSigningKey, type SigningKey } from './signing-key';

export const DEFAULT_CHECKPOINT_EVERY = 1000;
/** An entry this long after the last checkpoint gets one: a quiet log is still signed hourly. */
export const CHECKPOINT_MAX_AGE_MS = 3_600_000;
export const CHECKPOINT_TYPE = 'privacy-counter/chain-checkpoint/v1';
const MAX_PAYLOAD_BYTES = 64 * 1024;
/**
 * Per store, the logs whose newest committed checkpoint is known to be in the
 * anchor file: every action's commit asks to anchor, and only a checkpoint
 * written since (by any ChainLog on that store) makes it read again.
 */
const anchored = new WeakMap<Store, Set<string>>();
const LOG_NAME = /^[a-z][a-z0-9_-]{0,31}$/;
/** Machine words only ("auto", "export", "export:ledger"): a reason is stored in clear and signed. */
const REASON = /^[a-z][a-z0-9:_-]{0,63}$/;
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export interface ChainHead {
  readonly seq: number;
  readonly hash: Uint8Array;
}

export interface ChainEntry<T extends CanonicalValue = CanonicalValue> {
  readonly seq: number;
  readonly createdAt: string;
  readonly payload: T;
  readonly prevHash: Uint8Array;
  readonly hash: Uint8Array;
}

export interface Checkpoint {
  readonly log: string;
  readonly seq: number;
  readonly headHash: Uint8Array;
  readonly createdAt: string;
  readonly reason: string;
  /** The checkpoint interval in force; verify expects the next checkpoint within it. */
  readonly every: number;
  /** Links checkpoints into a chain of their own, so one cannot be dropped or swapped. */
  readonly prevSeq: number | null;
  readonly prevDigest: Uint8Array | null;
  readonly fingerprint: string;
  /** SM2-with-SM3 DER signature, hex, over `checkpointBody(...)`. */
  readonly signature: string;
}

export interface CheckpointRow {
  seq: number;
  head_hash: Uint8Array;
  created_at: string;
  reason: string;
  every: number;
  prev_seq: number | null;
  prev_digest: Uint8Array | null;
  public_key_fingerprint: string;
  signature: string;
}

export function assertLogName(log: string): void {
  if (!LOG_NAME.test(log)) throw new AppError('INVALID_INPUT', `chain log name ${JSON.stringify(log.slice(0, 40))}`);
}

/**
 * The exact text a checkpoint signature covers. The store id and log name are
 * taken from the verifier's side, never from the row, so a checkpoint copied
 * from another store or another log fails its signature.
 */
export function checkpointBody(storeId: string, log: string, c: Omit<Checkpoint, 'log' | 'signature'>): string {
  return canonicalJson({ type: CHECKPOINT_TYPE, store_id: storeId, log, ...checkpointFields(c) });
}

export function checkpointFromRow(log: string, r: CheckpointRow): Checkpoint {
  return {
    log,
    seq: r.seq,
    headHash: r.head_hash,
    createdAt: r.created_at,
    reason: r.reason,
    every: r.every,
    prevSeq: r.prev_seq,
    prevDigest: r.prev_digest,
    fingerprint: r.public_key_fingerprint,
    signature: r.signature,
  };
}

export const CHECKPOINT_COLUMNS =
  'seq, head_hash, created_at, reason, every, prev_seq, prev_digest, public_key_fingerprint, signature';

export interface ChainLogOptions {
  /** Entries between automatic checkpoints; default 1000. */
  checkpointEvery?: number;
}

const SQL = {
  head: 'SELECT seq, hash FROM chain_entries WHERE log = ? ORDER BY seq DESC LIMIT 1',
  insert: 'INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?)',
  range: 'SELECT seq, created_at, payload, prev_hash, hash FROM chain_entries WHERE log = ? AND seq BETWEEN ? AND ? ORDER BY seq LIMIT ?',
  latestCheckpoint: `SELECT ${CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE log = ? ORDER BY seq DESC LIMIT 1`,
  insertCheckpoint: `INSERT INTO chain_checkpoints (log, ${CHECKPOINT_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
};

interface EntryRow {
  seq: number;
  created_at: string;
  payload: string;
  prev_hash: Uint8Array;
  hash: Uint8Array;
}

export class ChainLog {
  private readonly hasher = new EntryHasher();
  private readonly genesis: Uint8Array;
  private readonly every: number;

  constructor(
    private readonly store: Store,
    readonly log: string,
    private readonly ctx: { storeId: string; signer: SigningKey; anchorFile: string | null },
    opts: ChainLogOptions = {},
  ) {
    assertLogName(log);
    if (!ctx.storeId) throw new AppError('INVALID_INPUT', 'chain log without a store id');
    this.every = opts.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
    if (!Number.isSafeInteger(this.every) || this.every < 1) throw new AppError('INVALID_INPUT', 'checkpointEvery');
    this.genesis = genesisHash(log, ctx.storeId);
  }

  async head(q: Queryable): Promise<ChainHead> {
    const row = await q.get<{ seq: number; hash: Uint8Array }>(SQL.head, this.log);
    return row ?? { seq: 0, hash: this.genesis };
  }

  /**
   * Appends one entry in the caller's transaction, so a domain write and its
   * entry commit or roll back together; the caller anchors after the commit.
   * The first entry of a log also writes the signed genesis checkpoint (seq 0),
   * and every `checkpointEvery` entries a checkpoint is signed in the same
   * transaction, so a store never holds a full interval without one.
   */
  async append(tx: Tx, payload: CanonicalValue, now: Date = new Date()): Promise<ChainHead> {
    const text = canonicalJson(payload);
    if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) throw new AppError('INVALID_INPUT', `chain payload larger than ${MAX_PAYLOAD_BYTES} bytes`);
    const createdAt = isoTime(now);
    const prev = await this.head(tx);
    let last = await this.latestCheckpoint(tx);
    if (!last) {
      // Entries without any checkpoint means checkpoints were deleted: signing now would launder that.
      if (prev.seq !== 0) throw new AppError('TAMPERED', `chain ${this.log} checkpoints`);
      last = await this.writeCheckpoint(tx, prev, 'genesis', createdAt, null);
    }
    // A head behind its own checkpoint means entries were cut off: appending would reuse their seqs.
    if (last.seq > prev.seq) throw new AppError('TAMPERED', `chain ${this.log} entry ${prev.seq + 1}`);
    const seq = prev.seq + 1;
    const hash = this.hasher.hash(prev.hash, seq, createdAt, text);
    await tx.run(SQL.insert, this.log, seq, createdAt, text, prev.hash, hash);
    // The interval of the previous checkpoint also counts, so verify can hold each one to its own promise.
    if (seq - last.seq >= Math.min(this.every, last.every)) await this.writeCheckpoint(tx, { seq, hash }, 'auto', createdAt, last);
    else if (Date.parse(createdAt) - Date.parse(last.createdAt) >= CHECKPOINT_MAX_AGE_MS) await this.writeCheckpoint(tx, { seq, hash }, 'hourly', createdAt, last);
    return { seq, hash };
  }

  /**
   * Copies the newest committed checkpoint to the anchor file. Call it only
   * after a commit, never inside a transaction (which may still roll back,
   * and which the store's own read would wait for).
   */
  async anchor(): Promise<void> {
    if (!this.ctx.anchorFile) return;
    let done = anchored.get(this.store);
    if (!done) anchored.set(this.store, (done = new Set()));
    if (done.has(this.log)) return;
    const last = await this.latestCheckpoint(this.store);
    if (last) anchorCheckpoint(this.ctx.anchorFile, last);
    done.add(this.log);
  }

  /** Entries in seq order, payloads parsed. Defaults: from seq 1, up to 1000 entries. */
  async entries<T extends CanonicalValue = CanonicalValue>(
    q: Queryable,
    range: { fromSeq?: number; toSeq?: number; limit?: number } = {},
  ): Promise<ChainEntry<T>[]> {
    const rows = await q.all<EntryRow>(SQL.range, this.log, range.fromSeq ?? 1, range.toSeq ?? Number.MAX_SAFE_INTEGER, range.limit ?? 1000);
    return rows.map((r) => ({
      seq: r.seq,
      createdAt: r.created_at,
      payload: JSON.parse(r.payload) as T,
      prevHash: r.prev_hash,
      hash: r.hash,
    }));
  }

  async latestCheckpoint(q: Queryable): Promise<Checkpoint | null> {
    const row = await q.get<CheckpointRow>(SQL.latestCheckpoint, this.log);
    return row ? checkpointFromRow(this.log, row) : null;
  }

  /**
   * Signs the current head in a transaction of its own, then anchors it.
   * Idempotent: if the head is already checkpointed, that checkpoint is
   * returned (one head has one checkpoint).
   */
  async checkpoint(reason: string, now: Date = new Date()): Promise<Checkpoint> {
    const cp = await this.store.transaction((tx) => this.checkpointIn(tx, reason, now));
    await this.anchor();
    return cp;
  }

  /**
   * The same in the caller's transaction (e.g. a daily close whose report
   * must vouch for its own entry); the caller anchors after the commit.
   */
  async checkpointIn(tx: Tx, reason: string, now: Date = new Date()): Promise<Checkpoint> {
    if (!REASON.test(reason)) throw new AppError('INVALID_INPUT', 'checkpoint reason');
    const createdAt = isoTime(now);
    const head = await this.head(tx);
    const last = await this.latestCheckpoint(tx);
    if (last && last.seq === head.seq) return last;
    return this.writeCheckpoint(tx, head, reason, createdAt, last);
  }

  private async writeCheckpoint(tx: Tx, head: ChainHead, reason: string, createdAt: string, prev: Checkpoint | null): Promise<Checkpoint> {
    anchored.get(this.store)?.delete(this.log);
    const { storeId, signer } = this.ctx;
    if (prev) await this.checkUnsignedTail(tx, prev, head.seq);
    const unsigned = {
      seq: head.seq,
      headHash: head.hash,
      createdAt,
      reason,
      every: this.every,
      prevSeq: prev ? prev.seq : null,
      prevDigest: prev ? checkpointDigest(checkpointBody(storeId, this.log, prev), prev.signature) : null,
      fingerprint: signer.fingerprint,
    };
    const signature = signer.sign(checkpointBody(storeId, this.log, unsigned));
    await tx.run(
      SQL.insertCheckpoint,
      this.log, unsigned.seq, unsigned.headHash, createdAt, reason, unsigned.every,
      unsigned.prevSeq, unsigned.prevDigest, unsigned.fingerprint, signature,
    );
    return { log: this.log, ...unsigned, signature };
  }

  /**
   * Never sign what has not been checked: the entries since the last
   * checkpoint are re-hashed (at most one interval, ~1 ms per 1000) before a
   * new checkpoint would vouch for them. A direct edit in that window stops
   * the log with TAMPERED instead of being laundered into a signed head.
   */
  private async checkUnsignedTail(tx: Tx, prev: Checkpoint, toSeq: number): Promise<void> {
    let expectedPrev = prev.headHash;
    let seq = prev.seq;
    for await (const r of tx.iterate<EntryRow>(SQL.range, this.log, prev.seq + 1, toSeq, toSeq - prev.seq)) {
      seq++;
      if (
        r.seq !== seq ||
        !equalBytes(r.prev_hash, expectedPrev) ||
        !this.hasher.matches(r.prev_hash, r.seq, r.created_at, r.payload, r.hash)
      ) {
        throw new AppError('TAMPERED', `chain ${this.log} entry ${seq}`);
      }
      expectedPrev = r.hash;
    }
    if (seq !== toSeq) throw new AppError('TAMPERED', `chain ${this.log} entry ${seq + 1}`);
  }
}

function isoTime(now: Date): string {
  if (Number.isNaN(now.getTime())) throw new AppError('INVALID_INPUT', 'chain entry time');
  const s = now.toISOString();
  if (!ISO_UTC.test(s)) throw new AppError('INVALID_INPUT', 'chain entry time out of range');
  return s;
}

/** The log as the unlocked station appends to it, signing with the station key. */
export function openChainLog(station: Station, log: string, opts?: ChainLogOptions): ChainLog {
  return new ChainLog(station.store, log, { storeId: station.storeId, signer: loadSigningKey(station), anchorFile: station.anchorFile }, opts);
}
