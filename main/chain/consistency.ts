// Whether the store still holds each chain up to a head signed elsewhere: in
// an export's signature file, or in the anchor file beside the store. This is
// RFC 6962's consistency check for a hash chain: verify.ts has already
// checked every link from the genesis on, so if the entry at the signed seq
// still has the signed hash, the store's chain extends the signed one, and
// nothing up to that head was cut off or rewritten.
import type { Db } from '../store/database';
import { AppError } from '../../shared/errors';
import { readAnchors } from './anchor';
import { CHECKPOINT_COLUMNS, checkpointBody, checkpointFromRow, type Checkpoint, type CheckpointRow } from './chain-log';
import { equalBytes, genesisHash } from './hash';
import { fingerprintOf, verifySignature } from '../crypto/sm2';

export interface SignedHead {
  log: string;
  seq: number;
  hash: Uint8Array;
}

export type HeadCheck =
  | { ok: true; log: string; seq: number }
  | { ok: false; log: string; seq: number; problem: 'missing' | 'different'; storeSeq: number; detail: string };

export function storeIdOf(db: Db): string {
  const id = db.prepare("SELECT value FROM meta WHERE key = 'store_id'").pluck().get() as string | undefined;
  if (!id) throw new AppError('NOT_A_STORE', 'store_id');
  return id;
}

/** One answer per head: present with the signed hash, missing (cut off), or different (rewritten). */
export function checkHeads(db: Db, heads: readonly SignedHead[]): HeadCheck[] {
  const storeId = storeIdOf(db);
  const hashAt = db.prepare('SELECT hash FROM chain_entries WHERE log = ? AND seq = ?').pluck();
  const maxSeq = db.prepare('SELECT MAX(seq) FROM chain_entries WHERE log = ?').pluck();
  return heads.map(({ log, seq, hash }): HeadCheck => {
    const stored = seq === 0 ? genesisHash(log, storeId) : (hashAt.get(log, seq) as Uint8Array | undefined);
    if (stored && equalBytes(stored, hash)) return { ok: true, log, seq };
    const storeSeq = (maxSeq.get(log) as number | null) ?? 0;
    if (!stored) {
      const from = Math.min(storeSeq + 1, seq);
      return { ok: false, log, seq, storeSeq, problem: 'missing', detail: `${log}: entries ${from}–${seq} are missing (the store's chain ends at ${storeSeq})` };
    }
    return { ok: false, log, seq, storeSeq, problem: 'different', detail: `${log}: entry ${seq} is not the one that was signed` };
  });
}

export type AnchorCheck =
  | { ok: true; anchors: number; heads: Record<string, number> }
  | { ok: false; problem: 'malformed' | 'bad-signature' | 'missing' | 'different'; line?: number; detail: string };

/**
 * The anchor file against the store: every line signed by the station key
 * for this store, and every anchored head still in the store's chain. A
 * missing file is no anchor at all (an older store, or one copied without it).
 *
 * A line identical to a checkpoint still in the store is not signature-checked
 * again (~20 ms each, a thousand lines for a million entries): the store's
 * checkpoints are vouched for by verify.ts (digest chain and newest
 * signature), which `verify` runs beside this. The lines the store no longer
 * has, the ones that matter, are always checked.
 */
export function checkAnchors(db: Db, publicKey: string, path: string): AnchorCheck {
  const read = readAnchors(path);
  if (!read.ok) return { ok: false, problem: 'malformed', line: read.line, detail: read.detail };
  const storeId = storeIdOf(db);
  const fingerprint = fingerprintOf(publicKey);
  const stored = db.prepare(`SELECT ${CHECKPOINT_COLUMNS} FROM chain_checkpoints WHERE log = ? AND seq = ?`);
  const inStore = (c: Checkpoint): boolean => {
    const row = stored.get(c.log, c.seq) as CheckpointRow | undefined;
    return !!row && row.signature === c.signature && checkpointBody(storeId, c.log, checkpointFromRow(c.log, row)) === checkpointBody(storeId, c.log, c);
  };
  const newest = new Map<string, { seq: number; hash: Uint8Array; line: number }>();
  for (const [i, c] of read.anchors.entries()) {
    if (c.fingerprint !== fingerprint || (!inStore(c) && !verifySignature(publicKey, checkpointBody(storeId, c.log, c), c.signature))) {
      return { ok: false, problem: 'bad-signature', line: i + 1, detail: `line ${i + 1} of the anchor file is not signed by this station for this store` };
    }
    if ((newest.get(c.log)?.seq ?? -1) < c.seq) newest.set(c.log, { seq: c.seq, hash: c.headHash, line: i + 1 });
  }
  const heads = [...newest].map(([log, h]) => ({ log, seq: h.seq, hash: h.hash }));
  const bad = checkHeads(db, heads).find((h) => !h.ok);
  if (bad && !bad.ok) return { ok: false, problem: bad.problem, line: newest.get(bad.log)!.line, detail: `${bad.detail}, anchored on line ${newest.get(bad.log)!.line}` };
  return { ok: true, anchors: read.anchors.length, heads: Object.fromEntries(heads.map((h) => [h.log, h.seq])) };
}
