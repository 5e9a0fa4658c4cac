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
// a bigger buffer into a caller's buffer without allocating anything.

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

/**
 * SM3 of data[start, end) written to out[outOff, outOff + 32), allocating
 * nothing: for hashing many inputs that sit in one big buffer. Runs on the
 * WebAssembly engine below (inputs in `sm3Workspace()` are not even copied),
 * or on the JavaScript one where WebAssembly is not available.
 */
export function sm3Into(data: Uint8Array, start: number, end: number, out: Uint8Array, outOff = 0): void {
  if (!(start >= 0 && start <= end && end <= data.length && outOff >= 0 && outOff + 32 <= out.length)) {
    throw new RangeError('sm3Into: range outside its buffer');
  }
  if (wasm) wasmHash(wasm, data, start, end, out, outOff);
  else finish(IV, 0, data, start, end, out, outOff);
}

/**
 * A buffer of `size` bytes that sm3Into hashes in place, without copying: it
 * lives in the WebAssembly engine's memory. It stays valid until the next call,
 * which may move it (a view of the old one then has length 0).
 */
export function sm3Workspace(size: number): Uint8Array {
  if (!wasm) {
    if (jsWorkspace.length < size) jsWorkspace = new Uint8Array(size);
    return jsWorkspace.subarray(0, size);
  }
  const need = WORKSPACE + size;
  const have = wasm.memory.buffer.byteLength;
  if (need > have) {
    wasm.memory.grow(Math.ceil((need - have) / 65536));
    wasm.heap = new Uint8Array(wasm.memory.buffer);
  }
  return wasm.heap.subarray(WORKSPACE, need);
}

/** Which engine sm3Into runs on (for the bench and tests to report). */
export const sm3IntoEngine = (): 'wasm' | 'js' => (wasm ? 'wasm' : 'js');

// ---- The WebAssembly engine ----
//
// Verifying a million-entry hash chain is ~4 million compressions back to
// back, and V8 runs the very same compression about twice as fast from
// WebAssembly (the 68 message words and 8 registers all in locals, no bounds
// checks) as from JavaScript. The module is written out below, instruction by
// instruction, so no toolchain or binary file is involved. It exports
//
//   blocks(p, n)   compresses the n 64-byte blocks at p into the state at STATE
//                  (rounds fully unrolled, registers renamed as in compress(),
//                  the T_j constants inline);
//   hash(p, len)   SM3 of the len bytes at p: IV, blocks, padding at TAIL, and
//                  the digest, big-endian, at DIGEST.
//
// Memory: STATE (8 words), DIGEST (32 bytes), TAIL (the last one or two padded
// blocks), SCRATCH (where an input from outside the memory is copied), then
// sm3Workspace() to the end of the memory. Inputs from outside that are longer
// than SCRATCH go to the JavaScript engine. PRIVACY_COUNTER_SM3=js in the
// environment selects the JavaScript engine throughout.
const STATE = 0;
const DIGEST = 32;
const TAIL = 64;
const SCRATCH = 256;
const SCRATCH_LEN = 32 * 1024;
const WORKSPACE = SCRATCH + SCRATCH_LEN;

interface WasmEngine {
  hash: (p: number, len: number) => void;
  memory: WebAssembly.Memory;
  heap: Uint8Array;
}

let jsWorkspace = new Uint8Array(0);
const wasm = startWasm();

function startWasm(): WasmEngine | null {
  if (typeof WebAssembly !== 'object' || process.env.PRIVACY_COUNTER_SM3 === 'js') return null;
  try {
    const exports = new WebAssembly.Instance(new WebAssembly.Module(compressModule()), {}).exports;
    const memory = exports.memory as WebAssembly.Memory;
    const engine = { hash: exports.hash as WasmEngine['hash'], memory, heap: new Uint8Array(memory.buffer) };
    // Refuse an engine that gets the standard's known answers wrong ('abc', and 'abcd' × 16: two blocks).
    const probe = new Uint8Array(32);
    wasmHash(engine, new Uint8Array([0x61, 0x62, 0x63]), 0, 3, probe, 0);
    if (Buffer.from(probe).toString('hex') !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') return null;
    wasmHash(engine, new Uint8Array(Buffer.from('abcd'.repeat(16))), 0, 64, probe, 0);
    if (Buffer.from(probe).toString('hex') !== 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732') return null;
    return engine;
  } catch {
    return null;
  }
}

function wasmHash(e: WasmEngine, data: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number): void {
  const heap = e.heap;
  if (data.buffer === heap.buffer) {
    e.hash(data.byteOffset + start, end - start);
  } else if (end - start <= SCRATCH_LEN) {
    if (end - start > 256) heap.set(data.subarray(start, end), SCRATCH);
    else for (let i = start, o = SCRATCH; i < end; i++, o++) heap[o] = data[i];
    e.hash(SCRATCH, end - start);
  } else {
    finish(IV, 0, data, start, end, out, outOff);
    return;
  }
  for (let i = 0; i < 32; i++) out[outOff + i] = heap[DIGEST + i];
}

/** The WebAssembly module: binary format 1.0, see the WebAssembly core specification, chapter 5. */
function compressModule(): Uint8Array<ArrayBuffer> {
  const uleb = (n: number): number[] => {
    const o: number[] = [];
    do {
      const b = n & 0x7f;
      n >>>= 7;
      o.push(n ? b | 0x80 : b);
    } while (n);
    return o;
  };
  const sleb = (n: number): number[] => {
    const o: number[] = [];
    for (n |= 0; ; ) {
      const b = n & 0x7f;
      n >>= 7;
      if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...o, b];
      o.push(b | 0x80);
    }
  };
  const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
  const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
  const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
  const I32 = 0x7f;

  const c: number[] = [];
  const get = (l: number): void => void c.push(0x20, l);
  const set = (l: number): void => void c.push(0x21, l);
  const tee = (l: number): void => void c.push(0x22, l);
  const i32 = (v: number): void => void c.push(0x41, ...sleb(v));
  const load = (align: number, offset: number): void => void c.push(0x28, align, ...uleb(offset));
  const store = (offset: number): void => void c.push(0x36, 2, ...uleb(offset));
  const [ADD, SUB, AND, OR, XOR, ROTL, EQZ] = [0x6a, 0x6b, 0x71, 0x72, 0x73, 0x77, 0x45];
  const op = (...ops: number[]): void => void c.push(...ops);
  const rotl = (n: number): void => {
    i32(n);
    op(ROTL);
  };
  // Locals: 0 p, 1 n (the parameters), 2-9 the registers, 10-77 W_0..W_67, then three temporaries.
  const P = 0, N = 1, REG = 2, W = 10, A12 = 78, SS1 = 79, X = 80;

  for (let i = 0; i < 8; i++) {
    i32(STATE);
    load(2, 4 * i);
    set(REG + i);
  }
  op(0x02, 0x40, 0x03, 0x40); // block, loop
  get(N);
  op(EQZ, 0x0d, 1); // br_if 1: no blocks left
  for (let i = 0; i < 16; i++) {
    // W_i: the big-endian word at p + 4i, byte-swapped with two rotations.
    get(P);
    load(0, 4 * i);
    tee(X);
    rotl(8);
    i32(0x00ff00ff);
    op(AND);
    get(X);
    rotl(24);
    i32(0xff00ff00 | 0);
    op(AND, OR);
    set(W + i);
  }
  for (let j = 16; j < 68; j++) {
    // x = W_j-16 ^ W_j-9 ^ (W_j-3 <<< 15); W_j = P1(x) ^ (W_j-13 <<< 7) ^ W_j-6
    get(W + j - 16);
    get(W + j - 9);
    op(XOR);
    get(W + j - 3);
    rotl(15);
    op(XOR);
    tee(X);
    get(X);
    rotl(15);
    op(XOR);
    get(X);
    rotl(23);
    op(XOR);
    get(W + j - 13);
    rotl(7);
    op(XOR);
    get(W + j - 6);
    op(XOR);
    set(W + j);
  }
  for (let j = 0; j < 64; j++) {
    // Round j with the registers named as in compress() above: (A..D) and (E..H) each turn by one a round.
    const r = (i: number): number => REG + (i & 4) + ((((i & 3) - j) % 4) + 4) % 4;
    const [a, b, cc, d, e, f, g, h] = [r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)];
    get(a);
    rotl(12);
    tee(A12);
    get(e);
    op(ADD);
    i32(T_ROT[j]);
    op(ADD);
    rotl(7);
    set(SS1);
    // D ← FF(A, B, C) + D + (SS1 ^ A12) + (W_j ^ W_j+4)
    if (j < 16) {
      get(a); get(b); op(XOR); get(cc); op(XOR);
    } else {
      get(a); get(b); op(AND); get(cc); get(a); get(b); op(OR, AND, OR);
    }
    get(d);
    op(ADD);
    get(SS1);
    get(A12);
    op(XOR, ADD);
    get(W + j);
    get(W + j + 4);
    op(XOR, ADD);
    set(d);
    // B ← B <<< 9
    get(b);
    rotl(9);
    set(b);
    // H ← P0(GG(E, F, G) + H + SS1 + W_j)
    if (j < 16) {
      get(e); get(f); op(XOR); get(g); op(XOR);
    } else {
      get(g); get(e); get(f); get(g); op(XOR, AND, XOR);
    }
    get(h);
    op(ADD);
    get(SS1);
    op(ADD);
    get(W + j);
    op(ADD);
    tee(X);
    get(X);
    rotl(9);
    op(XOR);
    get(X);
    rotl(17);
    op(XOR);
    set(h);
    // F ← F <<< 19
    get(f);
    rotl(19);
    set(f);
  }
  for (let i = 0; i < 8; i++) {
    // state_i ^= register i, kept in the local for the next block
    i32(STATE);
    i32(STATE);
    load(2, 4 * i);
    get(REG + i);
    op(XOR);
    tee(REG + i);
    store(4 * i);
  }
  get(P);
  i32(64);
  op(ADD);
  set(P);
  get(N);
  i32(1);
  op(SUB);
  set(N);
  op(0x0c, 0, 0x0b, 0x0b, 0x0b); // br 0 (next block), end loop, end block, end function
  const blocksBody = [...vec([[...uleb(X + 1 - 2), I32]]), ...c.splice(0)];

  // hash(p, len); locals: 0 p, 1 len, 2 the number of whole blocks, 3 the bytes after them, 4 where the bit length goes.
  const LEN = 1, FULL = 2, REST = 3, AT = 4, T = 5;
  const bswap = (): void => {
    tee(T);
    rotl(8);
    i32(0x00ff00ff);
    op(AND);
    get(T);
    rotl(24);
    i32(0xff00ff00 | 0);
    op(AND, OR);
  };
  for (let i = 0; i < 8; i++) {
    i32(STATE);
    i32(IV[i]);
    store(4 * i);
  }
  get(LEN);
  i32(6);
  op(0x76); // i32.shr_u
  set(FULL);
  get(P);
  get(FULL);
  op(0x10, 0); // call blocks
  get(LEN);
  i32(63);
  op(AND);
  set(REST);
  i32(TAIL);
  i32(0);
  i32(128);
  op(0xfc, 11, 0); // memory.fill
  i32(TAIL);
  get(P);
  get(FULL);
  i32(6);
  op(0x74, ADD); // i32.shl, p + 64 × FULL
  get(REST);
  op(0xfc, 10, 0, 0); // memory.copy
  i32(TAIL);
  get(REST);
  op(ADD);
  i32(0x80);
  op(0x3a, 0, 0); // i32.store8
  // One padded block if the 0x80 and the 8-byte length fit after the rest, else two: (rest + 72) >> 6.
  get(REST);
  i32(72);
  op(ADD);
  i32(6);
  op(0x76);
  set(FULL);
  i32(TAIL - 8);
  get(FULL);
  i32(6);
  op(0x74, ADD);
  set(AT);
  // The bit length, a 64-bit big-endian integer: len >>> 29, then len << 3.
  get(AT);
  get(LEN);
  i32(29);
  op(0x76);
  bswap();
  store(0);
  get(AT);
  get(LEN);
  i32(3);
  op(0x74);
  bswap();
  store(4);
  i32(TAIL);
  get(FULL);
  op(0x10, 0); // call blocks
  for (let i = 0; i < 8; i++) {
    i32(DIGEST);
    i32(STATE);
    load(2, 4 * i);
    bswap();
    store(4 * i);
  }
  op(0x0b);
  const hashBody = [...vec([[...uleb(T + 1 - 2), I32]]), ...c.splice(0)];

  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([[0x60, ...vec([[I32], [I32]]), 0]])), // type 0: (i32, i32) → ()
    ...section(3, vec([[0], [0]])), // functions 0 (blocks) and 1 (hash), both of type 0
    ...section(5, vec([[0x00, 1]])), // memory: 1 page to start
    ...section(7, vec([[...name('blocks'), 0x00, 0], [...name('hash'), 0x00, 1], [...name('memory'), 0x02, 0]])),
    ...section(10, vec([[...uleb(blocksBody.length), ...blocksBody], [...uleb(hashBody.length), ...hashBody]])),
  ]);
}

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
