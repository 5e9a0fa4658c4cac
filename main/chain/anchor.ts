// The newest signed heads, kept outside the database file as well: every
// checkpoint, once committed, is appended as one JSON line to
// `<store>.anchors` beside the store. Someone who deletes the newest entries
// together with their checkpoints leaves a chain that verifies on its own;
// the anchor file still holds the signed head they cut off, and `verify`
// compares the two. A line is the checkpoint's signed body plus its
// signature, so it cannot be forged without the station key, and a line
// copied from another store or log fails its signature.
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import type { Checkpoint } from './chain-log';
import { toHex } from './hash';

export { ANCHOR_SUFFIX, anchorPath } from '../store/database';

/** A checkpoint's own signed fields, as JSON: in its signed body (chain-log.ts) and on its anchor line. */
export function checkpointFields(c: Omit<Checkpoint, 'log' | 'signature'>) {
  return {
    seq: c.seq,
    head_hash: toHex(c.headHash),
    created_at: c.createdAt,
    reason: c.reason,
    every: c.every,
    prev_seq: c.prevSeq,
    prev_digest: c.prevDigest ? toHex(c.prevDigest) : null,
    key: c.fingerprint,
  };
}

type AnchorJson = ReturnType<typeof checkpointFields> & { log: string; signature: string };

const toJson = (c: Checkpoint): AnchorJson => ({ log: c.log, ...checkpointFields(c), signature: c.signature });

const HEX = /^[0-9a-f]*$/;
const fromHex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));

function fromJson(v: unknown): Checkpoint | null {
  if (typeof v !== 'object' || v === null) return null;
  const a = v as Partial<Record<keyof AnchorJson, unknown>>;
  const str = (x: unknown): x is string => typeof x === 'string';
  const int = (x: unknown): x is number => Number.isSafeInteger(x);
  if (!str(a.log) || !int(a.seq) || !str(a.head_hash) || !HEX.test(a.head_hash) || !str(a.created_at) || !str(a.reason)) return null;
  if (!int(a.every) || !(a.prev_seq === null || int(a.prev_seq)) || !str(a.key) || !str(a.signature)) return null;
  if (!(a.prev_digest === null || (str(a.prev_digest) && HEX.test(a.prev_digest)))) return null;
  return {
    log: a.log,
    seq: a.seq,
    headHash: fromHex(a.head_hash),
    createdAt: a.created_at,
    reason: a.reason,
    every: a.every,
    prevSeq: a.prev_seq,
    prevDigest: a.prev_digest === null ? null : fromHex(a.prev_digest),
    fingerprint: a.key,
    signature: a.signature,
  };
}

export type AnchorRead =
  | { ok: true; anchors: Checkpoint[] }
  | { ok: false; line: number; detail: string };

/**
 * Every anchored checkpoint, in file order. A last line without its line end
 * is a write cut short (power loss) and is skipped; any other line that does
 * not parse is an edit and fails the read.
 */
export function readAnchors(path: string): AnchorRead {
  if (!existsSync(path)) return { ok: true, anchors: [] };
  const lines = readFileSync(path, 'utf8').split('\n');
  lines.pop();
  const anchors: Checkpoint[] = [];
  for (let i = 0; i < lines.length; i++) {
    let c: Checkpoint | null;
    try {
      c = fromJson(JSON.parse(lines[i]));
    } catch {
      c = null;
    }
    if (!c) return { ok: false, line: i + 1, detail: `line ${i + 1} of the anchor file is not an anchored checkpoint` };
    anchors.push(c);
  }
  return { ok: true, anchors };
}

/** Newest seq anchored per file and log, read from the file once per process. */
const anchored = new Map<string, Map<string, number>>();

function anchoredSeqs(path: string): Map<string, number> {
  let seqs = anchored.get(path);
  if (!seqs) {
    seqs = new Map();
    const read = readAnchors(path);
    if (read.ok) for (const c of read.anchors) seqs.set(c.log, Math.max(c.seq, seqs.get(c.log) ?? -1));
    anchored.set(path, seqs);
  }
  return seqs;
}

/**
 * Appends `c` unless a checkpoint at or past its seq is anchored already.
 * Only for committed checkpoints: a line naming a head that was rolled back
 * would look like a cut-off chain. Best effort: the store stays the record,
 * and a counter must not fail a committed action because the folder is
 * read-only.
 */
export function anchorCheckpoint(path: string, c: Checkpoint): void {
  const seqs = anchoredSeqs(path);
  if ((seqs.get(c.log) ?? -1) >= c.seq) return;
  try {
    appendFileSync(path, `${JSON.stringify(toJson(c))}\n`);
    seqs.set(c.log, c.seq);
  } catch {
    // See above: verify reports what the file holds; a missing line weakens it, never misleads it.
  }
}
