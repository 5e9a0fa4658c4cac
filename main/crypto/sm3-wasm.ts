// The WebAssembly engine behind sm3Into (sm3.ts).
//
// Verifying a million-entry hash chain is ~4 million compressions back to
// back, and V8 runs the very same compression about twice as fast from
// WebAssembly (the 68 message words and 8 registers all in locals, no bounds
// checks) as from JavaScript. The module is written out below, instruction by
// instruction, so no toolchain or binary file is involved. It exports
//
//   blocks(p, n)   compresses the n 64-byte blocks at p into the state at STATE
//                  (rounds fully unrolled, registers renamed as in sm3.ts's
//                  compress(), the T_j constants inline);
//   hash(p, len)   SM3 of the len bytes at p: IV, blocks, padding at TAIL, and
//                  the digest, big-endian, at DIGEST.
//
// Memory: STATE (8 words), DIGEST (32 bytes), TAIL (the last one or two padded
// blocks), SCRATCH (where an input from outside the memory is copied), then
// the workspace to the end of the memory. Inputs from outside that are longer
// than SCRATCH are left to the JavaScript engine.
const STATE = 0;
const DIGEST = 32;
const TAIL = 64;
const SCRATCH = 256;
const SCRATCH_LEN = 32 * 1024;
const WORKSPACE = SCRATCH + SCRATCH_LEN;

export class Sm3Wasm {
  private heap: Uint8Array;

  private constructor(
    private readonly hash: (p: number, len: number) => void,
    private readonly memory: WebAssembly.Memory,
  ) {
    this.heap = new Uint8Array(memory.buffer);
  }

  /**
   * Compiles the module for SM3's `iv` and rotated round constants `tRot`;
   * null where WebAssembly is missing or the engine gets the standard's known
   * answers wrong ('abc', and 'abcd' × 16: two blocks).
   */
  static start(iv: Int32Array, tRot: Int32Array): Sm3Wasm | null {
    if (typeof WebAssembly !== 'object') return null;
    try {
      const exports = new WebAssembly.Instance(new WebAssembly.Module(compressModule(iv, tRot)), {}).exports;
      const engine = new Sm3Wasm(exports.hash as (p: number, len: number) => void, exports.memory as WebAssembly.Memory);
      const probe = new Uint8Array(32);
      const answer = (input: string): string => {
        const bytes = new Uint8Array(Buffer.from(input));
        engine.hashInto(bytes, 0, bytes.length, probe, 0);
        return Buffer.from(probe).toString('hex');
      };
      if (answer('abc') !== '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0') return null;
      if (answer('abcd'.repeat(16)) !== 'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732') return null;
      return engine;
    } catch {
      return null;
    }
  }

  /**
   * SM3 of data[start, end) into out[outOff, outOff + 32); false, with nothing
   * written, for an input from outside the memory longer than SCRATCH.
   */
  hashInto(data: Uint8Array, start: number, end: number, out: Uint8Array, outOff: number): boolean {
    const heap = this.heap;
    if (data.buffer === heap.buffer) {
      this.hash(data.byteOffset + start, end - start);
    } else if (end - start <= SCRATCH_LEN) {
      if (end - start > 256) heap.set(data.subarray(start, end), SCRATCH);
      else for (let i = start, o = SCRATCH; i < end; i++, o++) heap[o] = data[i];
      this.hash(SCRATCH, end - start);
    } else {
      return false;
    }
    for (let i = 0; i < 32; i++) out[outOff + i] = heap[DIGEST + i];
    return true;
  }

  /** `size` bytes of the memory that hashInto hashes in place; growing the memory detaches earlier views. */
  workspace(size: number): Uint8Array {
    const need = WORKSPACE + size;
    const have = this.memory.buffer.byteLength;
    if (need > have) {
      this.memory.grow(Math.ceil((need - have) / 65536));
      this.heap = new Uint8Array(this.memory.buffer);
    }
    return this.heap.subarray(WORKSPACE, need);
  }
}

function compressModule(iv: Int32Array, tRot: Int32Array): Uint8Array<ArrayBuffer> {
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
    // Round j with the registers named as in sm3.ts's compress(): (A..D) and (E..H) each turn by one a round.
    const r = (i: number): number => REG + (i & 4) + ((((i & 3) - j) % 4) + 4) % 4;
    const [a, b, cc, d, e, f, g, h] = [r(0), r(1), r(2), r(3), r(4), r(5), r(6), r(7)];
    get(a);
    rotl(12);
    tee(A12);
    get(e);
    op(ADD);
    i32(tRot[j]);
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
    i32(iv[i]);
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
