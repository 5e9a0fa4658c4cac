// SM3 (GB/T 32905-2016) and HMAC-SM3 on typed arrays.
//
// Why not sm-crypto's sm3 here: it works on number[] and hex strings and
// re-derives the HMAC pads on every call, ~10 µs per short MAC. Every stored
// field and every blind index needs one, so import speed hinges on it. This
// version precomputes the HMAC inner/outer states once per key (~1 µs per MAC).
// Known-answer tests cross-check it against sm-crypto and OpenSSL.
//
// Speed (verifying a million-entry hash chain is ~4 million compressions):
// the compression keeps all state in int32 locals, runs the 64 rounds as two
// branch-free loops of four rounds each, and renames the registers from round
// to round instead of shuffling them (as OpenSSL's ROUND macro does); the
// working buffers are module-level and reused, and `sm3Into` hashes a slice of
// a bigger buffer into a caller's buffer without allocating anything, on
// WebAssembly where it can (sm3-wasm.ts).
import { Sm3Wasm } from './sm3-wasm';

const IV = new Int32Array([
  0x7380166f, 0x4914b2b9, 0x172442d7, 0xda8a0600, 0xa96f30bc, 0x163138aa, 0xe38dee4d, 0xb0fb0e4e,
]);

/** T_j rotated left by j mod 32, precomputed for the 64 rounds. */
const T_ROT = new Int32Array(64);
for (let j = 0; j < 64; j++) {
  const t = j < 16 ? 0x79cc4519 : 0x7a879d8a;
  T_ROT[j] = j % 32 === 0 ? t : (t << j % 32) | (t >>> (32 - (j % 32)));
}

/** Expanded message W_0..W_67 (W'_j = W_j ^ W_j+4 is formed in the round). */
const W = new Int32Array(68);

// Rotations are written out as (x << n) | (x >>> 32 - n): V8 compiles that to one rotate instruction.
function compress(v: Int32Array, m: Uint8Array, off: number): void {
  const w = W;
  for (let i = 0; i < 16; i++, off += 4) w[i] = (m[off] << 24) | (m[off + 1] << 16) | (m[off + 2] << 8) | m[off + 3];
  for (let j = 16; j < 68; j++) {
    const r = w[j - 3];
    const x = w[j - 16] ^ w[j - 9] ^ ((r << 15) | (r >>> 17));
    const y = w[j - 13];
    w[j] = x ^ ((x << 15) | (x >>> 17)) ^ ((x << 23) | (x >>> 9)) ^ ((y << 7) | (y >>> 25)) ^ w[j - 6];
  }
  let a = v[0], b = v[1], c = v[2], d = v[3], e = v[4], f = v[5], g = v[6], h = v[7];
  let a12: number, ss1: number, tt2: number, wj: number;
  // One round with the registers named (A, B, C, D, E, F, G, H):
  //   A12 = A <<< 12, SS1 = (A12 + E + T_j) <<< 7, SS2 = SS1 ^ A12
  //   D ← FF(A, B, C) + D + SS2 + W'_j,  B ← B <<< 9
  //   H ← P0(GG(E, F, G) + H + SS1 + W_j), F ← F <<< 19
  // and the next round names them (D, A, B, C, H, E, F, G): four rounds bring the names back.
  // So each loop body below is that one round written four times, the names
  // turned by one each time, and the second loop repeats the first with FF and
  // GG changed. The repetition is deliberate, not a copy to factor out: a
  // helper function or a loop that shuffles the registers back was ~30% slower
  // per block (commit 347b840). A change to a round must go into all eight.
  for (let j = 0; j < 16; j += 4) {
    a12 = (a << 12) | (a >>> 20); ss1 = (a12 + e + T_ROT[j]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j];
    d = ((a ^ b ^ c) + d + (ss1 ^ a12) + (wj ^ w[j + 4])) | 0; b = (b << 9) | (b >>> 23);
    tt2 = ((e ^ f ^ g) + h + ss1 + wj) | 0; f = (f << 19) | (f >>> 13);
    h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (d << 12) | (d >>> 20); ss1 = (a12 + h + T_ROT[j + 1]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 1];
    c = ((d ^ a ^ b) + c + (ss1 ^ a12) + (wj ^ w[j + 5])) | 0; a = (a << 9) | (a >>> 23);
    tt2 = ((h ^ e ^ f) + g + ss1 + wj) | 0; e = (e << 19) | (e >>> 13);
    g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (c << 12) | (c >>> 20); ss1 = (a12 + g + T_ROT[j + 2]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 2];
    b = ((c ^ d ^ a) + b + (ss1 ^ a12) + (wj ^ w[j + 6])) | 0; d = (d << 9) | (d >>> 23);
    tt2 = ((g ^ h ^ e) + f + ss1 + wj) | 0; h = (h << 19) | (h >>> 13);
    f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (b << 12) | (b >>> 20); ss1 = (a12 + f + T_ROT[j + 3]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 3];
    a = ((b ^ c ^ d) + a + (ss1 ^ a12) + (wj ^ w[j + 7])) | 0; c = (c << 9) | (c >>> 23);
    tt2 = ((f ^ g ^ h) + e + ss1 + wj) | 0; g = (g << 19) | (g >>> 13);
    e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  }
  // From round 16 on: FF = majority, written (A & B) | (C & (A | B)); GG = choose, written G ^ (E & (F ^ G)).
  for (let j = 16; j < 64; j += 4) {
    a12 = (a << 12) | (a >>> 20); ss1 = (a12 + e + T_ROT[j]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j];
    d = (((a & b) | (c & (a | b))) + d + (ss1 ^ a12) + (wj ^ w[j + 4])) | 0; b = (b << 9) | (b >>> 23);
    tt2 = ((g ^ (e & (f ^ g))) + h + ss1 + wj) | 0; f = (f << 19) | (f >>> 13);
    h = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (d << 12) | (d >>> 20); ss1 = (a12 + h + T_ROT[j + 1]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 1];
    c = (((d & a) | (b & (d | a))) + c + (ss1 ^ a12) + (wj ^ w[j + 5])) | 0; a = (a << 9) | (a >>> 23);
    tt2 = ((f ^ (h & (e ^ f))) + g + ss1 + wj) | 0; e = (e << 19) | (e >>> 13);
    g = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (c << 12) | (c >>> 20); ss1 = (a12 + g + T_ROT[j + 2]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 2];
    b = (((c & d) | (a & (c | d))) + b + (ss1 ^ a12) + (wj ^ w[j + 6])) | 0; d = (d << 9) | (d >>> 23);
    tt2 = ((e ^ (g & (h ^ e))) + f + ss1 + wj) | 0; h = (h << 19) | (h >>> 13);
    f = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));

    a12 = (b << 12) | (b >>> 20); ss1 = (a12 + f + T_ROT[j + 3]) | 0; ss1 = (ss1 << 7) | (ss1 >>> 25); wj = w[j + 3];
    a = (((b & c) | (d & (b | c))) + a + (ss1 ^ a12) + (wj ^ w[j + 7])) | 0; c = (c << 9) | (c >>> 23);
    tt2 = ((h ^ (f & (g ^ h))) + e + ss1 + wj) | 0; g = (g << 19) | (g >>> 13);
    e = tt2 ^ ((tt2 << 9) | (tt2 >>> 23)) ^ ((tt2 << 17) | (tt2 >>> 15));
  }
  v[0] ^= a; v[1] ^= b; v[2] ^= c; v[3] ^= d;
  v[4] ^= e; v[5] ^= f; v[6] ^= g; v[7] ^= h;
}

// Working buffers, reused: JavaScript is single-threaded and nothing here
// calls out, so no call can see another's. Each worker thread has its own.
const state = new Int32Array(8);
const tail = new Uint8Array(128);
/** The inner hash of macInto, and then its result. */
const innerDigest = new Uint8Array(32);
/** Reused input buffer for macParts. */
let scratch = new Uint8Array(1024);

/**
 * Hashes data[start, end) continuing from `from`, a state that already
 * absorbed `prefixLen` bytes (a multiple of 64), into out[outOff, outOff + 32).
 */
function finish(from: Int32Array, prefixLen: number, data: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number): void {
  const v = state;
  v.set(from);
  const full = start + ((end - start) & ~63);
  for (let off = start; off < full; off += 64) compress(v, data, off);
  const rest = end - full;
  for (let i = 0; i < rest; i++) tail[i] = data[full + i];
  tail[rest] = 0x80;
  const blocks = rest + 9 > 64 ? 2 : 1;
  const last = blocks * 64;
  tail.fill(0, rest + 1, last - 8);
  // Bit length as a 64-bit big-endian integer; inputs stay far below 2^53 bits.
  const bitLen = (prefixLen + end - start) * 8;
  const hi = Math.floor(bitLen / 0x100000000);
  tail[last - 8] = hi >>> 24; tail[last - 7] = hi >>> 16; tail[last - 6] = hi >>> 8; tail[last - 5] = hi;
  tail[last - 4] = bitLen >>> 24; tail[last - 3] = bitLen >>> 16; tail[last - 2] = bitLen >>> 8; tail[last - 1] = bitLen;
  compress(v, tail, 0);
  if (blocks === 2) compress(v, tail, 64);
  for (let i = 0, o = outOff; i < 8; i++, o += 4) {
    const x = v[i];
    out[o] = x >>> 24; out[o + 1] = x >>> 16; out[o + 2] = x >>> 8; out[o + 3] = x;
  }
}

export function sm3(data: Uint8Array): Uint8Array {
  const out = new Uint8Array(32);
  finish(IV, 0, data, 0, data.length, out, 0);
  return out;
}

// The WebAssembly engine (sm3-wasm.ts), compiled on first use rather than
// when this module loads: most processes that load SM3 (the app at start-up,
// every seal worker) only ever MAC and never call sm3Into.
// PRIVACY_COUNTER_SM3=js in the environment selects the JavaScript engine.
let wasm: Sm3Wasm | null | undefined;
let jsWorkspace = new Uint8Array(0);

function engine(): Sm3Wasm | null {
  if (wasm === undefined) wasm = process.env.PRIVACY_COUNTER_SM3 === 'js' ? null : Sm3Wasm.start(IV, T_ROT);
  return wasm;
}

/**
 * SM3 of data[start, end) written to out[outOff, outOff + 32), allocating
 * nothing: for hashing many inputs that sit in one big buffer. Runs on the
 * WebAssembly engine (inputs in `sm3Workspace()` are not even copied), or on
 * the JavaScript one where WebAssembly is not available.
 */
export function sm3Into(data: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  if (!(start >= 0 && start <= end && end <= data.length && outOff >= 0 && outOff + 32 <= out.length)) {
    throw new RangeError('sm3Into: range outside its buffer');
  }
  const e = wasm === undefined ? engine() : wasm;
  if (!e?.hashInto(data, start, end, out, outOff)) finish(IV, 0, data, start, end, out, outOff);
}

/**
 * A buffer of `size` bytes that sm3Into hashes in place, without copying: it
 * lives in the WebAssembly engine's memory. It stays valid until the next call,
 * which may move it (a view of the old one then has length 0).
 */
export function sm3Workspace(size: number): Uint8Array {
  const e = engine();
  if (e) return e.workspace(size);
  if (jsWorkspace.length < size) jsWorkspace = new Uint8Array(size);
  return jsWorkspace.subarray(0, size);
}

/** Which engine sm3Into runs on (for the bench and tests to report). */
export const sm3IntoEngine = (): 'wasm' | 'js' => (engine() ? 'wasm' : 'js');

/** HMAC-SM3 (RFC 2104 with SM3) with the key's pads absorbed once. */
export class HmacSm3 {
  private readonly inner = IV.slice();
  private readonly outer = IV.slice();

  constructor(key: Uint8Array) {
    const k = new Uint8Array(64);
    k.set(key.length > 64 ? sm3(key) : key);
    const pad = new Uint8Array(64);
    for (let i = 0; i < 64; i++) pad[i] = k[i] ^ 0x36;
    compress(this.inner, pad, 0);
    for (let i = 0; i < 64; i++) pad[i] = k[i] ^ 0x5c;
    compress(this.outer, pad, 0);
    k.fill(0);
    pad.fill(0);
  }

  mac(data: Uint8Array): Uint8Array {
    const out = new Uint8Array(32);
    finish(this.inner, 64, data, 0, data.length, out, 0);
    finish(this.outer, 64, out, 0, 32, out, 0);
    return out;
  }

  /**
   * The first `length` bytes of the MAC of data[start, end), written to
   * out[outOff…], allocating nothing. `out` may overlap the input.
   */
  macInto(data: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number, length = 32): void {
    finish(this.inner, 64, data, start, end, innerDigest, 0);
    finish(this.outer, 64, innerDigest, 0, 32, innerDigest, 0);
    for (let i = 0; i < length; i++) out[outOff + i] = innerDigest[i];
  }

  /** MAC of the concatenation of `parts`, without allocating it. */
  macParts(...parts: Uint8Array[]): Uint8Array {
    let length = 0;
    for (const p of parts) length += p.length;
    if (scratch.length < length) scratch = new Uint8Array(Math.max(length, scratch.length * 2));
    let off = 0;
    for (const p of parts) {
      scratch.set(p, off);
      off += p.length;
    }
    return this.mac(scratch.subarray(0, length));
  }
}

export function hmacSm3(key: Uint8Array, data: Uint8Array): Uint8Array {
  return new HmacSm3(key).mac(data);
}
