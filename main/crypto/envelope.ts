// Authenticated encryption: SM4-CBC then HMAC-SM3 over everything, including
// an associated context string (e.g. "parcels.phone#42") that is bound in but
// not stored. A ciphertext moved to another row or column, or altered by one
// bit, fails the MAC and is never decrypted.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { randomIvInto } from './random';
import type { HmacSm3 } from './sm3';
import { paddedLength, sm4CbcDecrypt, sm4CbcEncryptInto, type Sm4Key } from './sm4';
import { freshArray, utf8Scratch, type Allocate } from './slab';

const VERSION = 1;
const HEADER = 2; // version, key generation
const IV_LEN = 16;
const TAG_LEN = 16;
const encoder = new TextEncoder();

export interface EnvelopeKeys {
  /** Key generation, stored in the header so a key rotation can tell old from new. */
  readonly generation: number;
  readonly cipher: Sm4Key;
  readonly mac: HmacSm3;
  /** During a key rotation: the generation being replaced, still opened (never used to seal). */
  readonly previous?: EnvelopeKeys;
}

// Sealing and opening lay out `body | context | length(context)` here and MAC
// it in place. Single-threaded and never held across calls; each worker
// thread has its own.
let work = new Uint8Array(1024);

/** Makes room for a body of `bodyLen` bytes, `context` and a tag, dropping what `work` held. */
function reserve(bodyLen: number, context: string): void {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  const need = bodyLen + context.length * 3 + 2 + TAG_LEN;
  if (work.length < need) work = new Uint8Array(Math.max(need, work.length * 2));
}

/** Writes the context and its length after the body; returns where the MAC input ends. */
function appendContext(bodyLen: number, context: string): number {
  const { written } = encoder.encodeInto(context, work.subarray(bodyLen));
  // The length suffix keeps (body, context) splits unambiguous.
  work[bodyLen + written] = written >>> 8;
  work[bodyLen + written + 1] = written & 0xff;
  return bodyLen + written + 2;
}

function sealedLength(plaintextLength: number): number {
  return HEADER + IV_LEN + paddedLength(plaintextLength) + TAG_LEN;
}

/** `allocate` gives the array the sealed value is written to (a slab view when sealing in bulk). */
export function seal(keys: EnvelopeKeys, plaintext: Uint8Array, context: string, allocate: Allocate = freshArray): Uint8Array {
  const total = sealedLength(plaintext.length);
  const bodyLen = total - TAG_LEN;
  reserve(bodyLen, context);
  work[0] = VERSION;
  work[1] = keys.generation;
  const iv = work.subarray(HEADER, HEADER + IV_LEN);
  randomIvInto(iv);
  sm4CbcEncryptInto(keys.cipher, iv, plaintext, work, HEADER + IV_LEN);
  keys.mac.macInto(work, 0, appendContext(bodyLen, context), work, bodyLen, TAG_LEN);
  const out = allocate(total);
  out.set(work.subarray(0, total));
  return out;
}

export function envelopeGeneration(blob: Uint8Array): number {
  return blob[1];
}

/** The keys of `blob`'s generation once its MAC verifies; TAMPERED otherwise. */
function verified(keys: EnvelopeKeys, blob: Uint8Array, context: string): EnvelopeKeys {
  if (blob.length < HEADER + IV_LEN + 16 + TAG_LEN || (blob.length - HEADER - IV_LEN - TAG_LEN) % 16 !== 0) {
    throw new AppError('TAMPERED', context.split('#')[0]);
  }
  // The header's generation picks the key, so rows of both generations open while a rotation runs.
  const k = blob[1] === keys.generation ? keys : blob[1] === keys.previous?.generation ? keys.previous : null;
  if (blob[0] !== VERSION || !k) throw new AppError('TAMPERED', context.split('#')[0]);
  const bodyLen = blob.length - TAG_LEN;
  reserve(bodyLen, context);
  work.set(blob.subarray(0, bodyLen));
  const end = appendContext(bodyLen, context);
  k.mac.macInto(work, 0, end, work, end, TAG_LEN);
  if (!timingSafeEqual(work.subarray(end, end + TAG_LEN), blob.subarray(bodyLen))) throw new AppError('TAMPERED', context.split('#')[0]);
  return k;
}

/** Throws AppError('TAMPERED') on any mismatch; never returns unauthenticated bytes. */
export function open(keys: EnvelopeKeys, blob: Uint8Array, context: string): Uint8Array {
  const k = verified(keys, blob, context);
  return sm4CbcDecrypt(k.cipher, blob.subarray(HEADER, HEADER + IV_LEN), blob.subarray(HEADER + IV_LEN, blob.length - TAG_LEN));
}

/** Whether `blob` passes its MAC under `context`, without decrypting it (integrity scans). */
export function authentic(keys: EnvelopeKeys, blob: Uint8Array, context: string): boolean {
  try {
    verified(keys, blob, context);
    return true;
  } catch (e) {
    if (e instanceof AppError && e.code === 'TAMPERED') return false;
    throw e;
  }
}

export function sealText(keys: EnvelopeKeys, text: string, context: string, allocate: Allocate = freshArray): Uint8Array {
  // seal() copies the plaintext before anything else encodes.
  return seal(keys, utf8Scratch(text), context, allocate);
}

const decoder = new TextDecoder();
export const openText = (keys: EnvelopeKeys, blob: Uint8Array, context: string): string =>
  decoder.decode(open(keys, blob, context));
