// Authenticated encryption: SM4-CBC then HMAC-SM3 over everything, including
// an associated context string (e.g. "parcels.phone#42") that is bound in but
// not stored. A ciphertext moved to another row or column, or altered by one
// bit, fails the MAC and is never decrypted.
import { timingSafeEqual } from 'node:crypto';
import { AppError } from '../../shared/errors';
import { randomIvInto } from './random';
import { HmacSm3 } from './sm3';
import { paddedLength, sm4CbcDecrypt, sm4CbcEncryptInto, type Sm4Key } from './sm4';

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

function tag(mac: HmacSm3, body: Uint8Array, context: string): Uint8Array {
  const ctx = encoder.encode(context);
  // Length suffix keeps (body, context) splits unambiguous.
  const len = Uint8Array.of(ctx.length >>> 8, ctx.length & 0xff);
  return mac.macParts(body, ctx, len).subarray(0, TAG_LEN);
}

export function seal(keys: EnvelopeKeys, plaintext: Uint8Array, context: string): Uint8Array {
  const out = new Uint8Array(HEADER + IV_LEN + paddedLength(plaintext.length) + TAG_LEN);
  out[0] = VERSION;
  out[1] = keys.generation;
  const iv = out.subarray(HEADER, HEADER + IV_LEN);
  randomIvInto(iv);
  sm4CbcEncryptInto(keys.cipher, iv, plaintext, out, HEADER + IV_LEN);
  const body = out.subarray(0, out.length - TAG_LEN);
  out.set(tag(keys.mac, body, context), body.length);
  return out;
}

export function envelopeGeneration(blob: Uint8Array): number {
  return blob[1];
}

/** Throws AppError('TAMPERED') on any mismatch; never returns unauthenticated bytes. */
export function open(keys: EnvelopeKeys, blob: Uint8Array, context: string): Uint8Array {
  if (blob.length < HEADER + IV_LEN + 16 + TAG_LEN || (blob.length - HEADER - IV_LEN - TAG_LEN) % 16 !== 0) {
    throw new AppError('TAMPERED', context.split('#')[0]);
  }
  // The header's generation picks the key, so rows of both generations open while a rotation runs.
  const k = blob[1] === keys.generation ? keys : blob[1] === keys.previous?.generation ? keys.previous : null;
  if (blob[0] !== VERSION || !k) throw new AppError('TAMPERED', context.split('#')[0]);
  const body = blob.subarray(0, blob.length - TAG_LEN);
  const expected = tag(k.mac, body, context);
  if (!timingSafeEqual(expected, blob.subarray(blob.length - TAG_LEN))) throw new AppError('TAMPERED', context.split('#')[0]);
  return sm4CbcDecrypt(k.cipher, blob.subarray(HEADER, HEADER + IV_LEN), blob.subarray(HEADER + IV_LEN, body.length));
}

/** Reused for encoding text before sealing (seal copies it; never held across calls). */
let textScratch = new Uint8Array(256);

export function sealText(keys: EnvelopeKeys, text: string, context: string): Uint8Array {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit.
  if (textScratch.length < text.length * 3) textScratch = new Uint8Array(text.length * 3);
  const { written } = encoder.encodeInto(text, textScratch);
  return seal(keys, textScratch.subarray(0, written), context);
}

const decoder = new TextDecoder();
export const openText = (keys: EnvelopeKeys, blob: Uint8Array, context: string): string =>
  decoder.decode(open(keys, blob, context));
