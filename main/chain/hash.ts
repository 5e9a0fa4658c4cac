// The hashes that make a log tamper-evident. Each input starts with a domain
// byte, so an entry hash can never be passed off as a checkpoint digest (the
// same separation RFC 6962 makes between leaves and nodes).
//
//   genesis(log, store) = SM3("privacy-counter/chain/" log "/" store_id)
//   entry hash          = SM3(0x00 || seq(u64 BE) || len(created_at)(u16 BE) || prev_hash(32)
//                             || created_at || canonical payload)     all text UTF-8
//   checkpoint digest   = SM3(0x01 || len(body)(u32 BE) || body || signature)
//
// seq and time are inside the entry hash, so moving a row, renumbering rows or
// back-dating one changes its hash; the genesis binds the store id, so a chain
// cannot be transplanted into another station's store. The fixed-size fields
// come first, so that verify (scan.ts) can have SQLite lay out the columns and
// fill in the 11 bytes before them itself.
import { sm3 } from '../crypto/sm3';

export const HASH_LEN = 32;
const ENTRY_DOMAIN = 0x00;
const CHECKPOINT_DOMAIN = 0x01;
const FIXED = 1 + 8 + 2 + HASH_LEN;
/** Offset of prev_hash in the entry-hash input. */
export const PREV_OFFSET = 11;
const encoder = new TextEncoder();

export function genesisHash(log: string, storeId: string): Uint8Array {
  return sm3(encoder.encode(`privacy-counter/chain/${log}/${storeId}`));
}

/**
 * Reuses one buffer for every entry: verifying a million entries must not
 * allocate a million inputs.
 */
export class EntryHasher {
  private buf = new Uint8Array(4096);

  hash(prevHash: Uint8Array, seq: number, createdAt: string, payload: string): Uint8Array {
    // The input holds exactly HASH_LEN bytes of prev_hash: a longer one would hash like its first 32.
    if (prevHash.length !== HASH_LEN) throw new RangeError(`prev hash of ${prevHash.length} bytes`);
    // UTF-16 → UTF-8 grows by at most 3 bytes per code unit.
    const need = FIXED + 3 * (createdAt.length + payload.length);
    if (need > this.buf.length) this.buf = new Uint8Array(need * 2);
    const b = this.buf;
    b.set(prevHash, PREV_OFFSET);
    const t = encoder.encodeInto(createdAt, b.subarray(FIXED)).written;
    writeEntryHeader(b, 0, seq, t);
    const p = encoder.encodeInto(payload, b.subarray(FIXED + t)).written;
    return sm3(b.subarray(0, FIXED + t + p));
  }

  /** Whether `stored` is this entry's hash; a stored prev_hash of the wrong length never matches. */
  matches(prevHash: Uint8Array, seq: number, createdAt: string, payload: string, stored: Uint8Array): boolean {
    return prevHash.length === HASH_LEN && equalBytes(this.hash(prevHash, seq, createdAt, payload), stored);
  }
}

/** The first PREV_OFFSET bytes of an entry-hash input, at b[at]: 0x00 || seq(u64 BE) || timeLen(u16 BE). */
export function writeEntryHeader(b: Uint8Array, at: number, seq: number, timeLen: number): void {
  b[at] = ENTRY_DOMAIN;
  const hi = Math.floor(seq / 0x100000000);
  b[at + 1] = hi >>> 24; b[at + 2] = hi >>> 16; b[at + 3] = hi >>> 8; b[at + 4] = hi;
  b[at + 5] = seq >>> 24; b[at + 6] = seq >>> 16; b[at + 7] = seq >>> 8; b[at + 8] = seq;
  b[at + 9] = timeLen >>> 8;
  b[at + 10] = timeLen;
}

export function checkpointDigest(body: string, signature: string): Uint8Array {
  const bodyBytes = encoder.encode(body);
  const sigBytes = encoder.encode(signature);
  const input = new Uint8Array(5 + bodyBytes.length + sigBytes.length);
  input[0] = CHECKPOINT_DOMAIN;
  new DataView(input.buffer).setUint32(1, bodyBytes.length);
  input.set(bodyBytes, 5);
  input.set(sigBytes, 5 + bodyBytes.length);
  return sm3(input);
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export const toHex = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');
