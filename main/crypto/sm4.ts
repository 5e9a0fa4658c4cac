// SM4 (GB/T 32907-2016) in CBC mode, on typed arrays with the round keys
// expanded once per key.
//
// Why not sm-crypto's sm4 here: it expands the key on every call and works on
// number[] (each call spreads its input and builds arrays), which made SM4 and
// the garbage it leaves the largest cost of import, backup and key rotation.
// Electron's BoringSSL has no SM4, so Node's crypto is not an option either.
// The known-answer tests cross-check this against sm-crypto and OpenSSL.

const SBOX = hexBytes(
  'd690e9fecce13db716b614c228fb2c052b679a762abe04c3aa44132649860699' +
    '9c4250f491ef987a33540b43edcfac62e4b31ca9c908e89580df94fa758f3fa6' +
    '4707a7fcf37317ba83593c19e6854fa8686b81b27164da8bf8eb0f4b70569d35' +
    '1e240e5e6358d1a225227c3b01217887d40046579fd327524c3602e7a0c4c89e' +
    'eabf8ad240c738b5a3f7f2cef96115a1e0ae5da49b341a55ad933230f58cb1e3' +
    '1df6e22e8266ca60c02923ab0d534e6fd5db3745defd8e2f03ff6a726d6c5b51' +
    '8d1baf92bbddbc7f11d95c411f105ad80ac13188a5cd7bbd2d74d012b8e5b4b0' +
    '8969974a0c96777e65b9f109c56ec68418f07dec3adc4d2079ee5f3ed7cb3948',
);
const FK = [0xa3b1bac6, 0x56aa3350, 0x677d9197, 0xb27022dc];
const BLOCK = 16;

function hexBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

const rotl = (x: number, n: number): number => (x << n) | (x >>> (32 - n));

/** τ (the S-box on each byte). */
const tau = (a: number): number =>
  (SBOX[a >>> 24] << 24) | (SBOX[(a >>> 16) & 0xff] << 16) | (SBOX[(a >>> 8) & 0xff] << 8) | SBOX[a & 0xff];

// The round function L(τ(x)) as four tables, one per input byte: a round
// becomes four lookups instead of an S-box pass and four rotations.
const T0 = new Int32Array(256);
const T1 = new Int32Array(256);
const T2 = new Int32Array(256);
const T3 = new Int32Array(256);
for (let x = 0; x < 256; x++) {
  const b = SBOX[x] << 24;
  const l = b ^ rotl(b, 2) ^ rotl(b, 10) ^ rotl(b, 18) ^ rotl(b, 24);
  T0[x] = l;
  T1[x] = rotl(l, 24);
  T2[x] = rotl(l, 16);
  T3[x] = rotl(l, 8);
}

const roundT = (a: number): number => T0[a >>> 24] ^ T1[(a >>> 16) & 0xff] ^ T2[(a >>> 8) & 0xff] ^ T3[a & 0xff];

function expandKey(key: Uint8Array): Int32Array {
  if (key.length !== BLOCK) throw new Error('SM4 key must be 16 bytes');
  const k = new Int32Array(36);
  for (let i = 0; i < 4; i++) k[i] = readWord(key, i * 4) ^ FK[i];
  const rk = new Int32Array(32);
  for (let i = 0; i < 32; i++) {
    // CK_i bytes are (4i + j) * 7 mod 256.
    const ck = ((((4 * i) * 7) & 0xff) << 24) | ((((4 * i + 1) * 7) & 0xff) << 16) | ((((4 * i + 2) * 7) & 0xff) << 8) | (((4 * i + 3) * 7) & 0xff);
    const t = tau(k[i + 1] ^ k[i + 2] ^ k[i + 3] ^ ck);
    k[i + 4] = k[i] ^ t ^ rotl(t, 13) ^ rotl(t, 23);
    rk[i] = k[i + 4];
  }
  k.fill(0);
  return rk;
}

const readWord = (b: Uint8Array, p: number): number => (b[p] << 24) | (b[p + 1] << 16) | (b[p + 2] << 8) | b[p + 3];

function writeWord(b: Uint8Array, p: number, w: number): void {
  b[p] = w >>> 24;
  b[p + 1] = w >>> 16;
  b[p + 2] = w >>> 8;
  b[p + 3] = w;
}

/** One block: `input` (already XORed with the chaining value by the caller) to `out`. */
function cryptBlock(rk: Int32Array, x0: number, x1: number, x2: number, x3: number, out: Uint8Array, p: number): void {
  for (let i = 0; i < 32; i += 4) {
    x0 ^= roundT(x1 ^ x2 ^ x3 ^ rk[i]);
    x1 ^= roundT(x2 ^ x3 ^ x0 ^ rk[i + 1]);
    x2 ^= roundT(x3 ^ x0 ^ x1 ^ rk[i + 2]);
    x3 ^= roundT(x0 ^ x1 ^ x2 ^ rk[i + 3]);
  }
  writeWord(out, p, x3);
  writeWord(out, p + 4, x2);
  writeWord(out, p + 8, x1);
  writeWord(out, p + 12, x0);
}

/** An SM4 key with its encryption and decryption round keys expanded once. */
export class Sm4Key {
  private readonly enc: Int32Array;
  private readonly dec: Int32Array;

  constructor(key: Uint8Array) {
    this.enc = expandKey(key);
    this.dec = this.enc.slice().reverse();
  }

  /** One raw block, no chaining: used by the known-answer test. */
  encryptBlock(block: Uint8Array): Uint8Array {
    const out = new Uint8Array(BLOCK);
    cryptBlock(this.enc, readWord(block, 0), readWord(block, 4), readWord(block, 8), readWord(block, 12), out, 0);
    return out;
  }

  /**
   * CBC over whole blocks, no padding, written to `out` at `outOff`
   * (`out` may be `data` itself). Returns nothing; the next IV is the last
   * ciphertext block.
   */
  cbcEncryptBlocks(iv: Uint8Array, data: Uint8Array, out: Uint8Array, outOff = 0): void {
    let c0 = readWord(iv, 0), c1 = readWord(iv, 4), c2 = readWord(iv, 8), c3 = readWord(iv, 12);
    for (let p = 0; p < data.length; p += BLOCK) {
      const q = outOff + p;
      cryptBlock(this.enc, readWord(data, p) ^ c0, readWord(data, p + 4) ^ c1, readWord(data, p + 8) ^ c2, readWord(data, p + 12) ^ c3, out, q);
      c0 = readWord(out, q); c1 = readWord(out, q + 4); c2 = readWord(out, q + 8); c3 = readWord(out, q + 12);
    }
  }

  /** Inverse of cbcEncryptBlocks; `out` must not overlap `data`. */
  cbcDecryptBlocks(iv: Uint8Array, data: Uint8Array, out: Uint8Array): void {
    let c0 = readWord(iv, 0), c1 = readWord(iv, 4), c2 = readWord(iv, 8), c3 = readWord(iv, 12);
    for (let p = 0; p < data.length; p += BLOCK) {
      const d0 = readWord(data, p), d1 = readWord(data, p + 4), d2 = readWord(data, p + 8), d3 = readWord(data, p + 12);
      cryptBlock(this.dec, d0, d1, d2, d3, out, p);
      writeWord(out, p, readWord(out, p) ^ c0);
      writeWord(out, p + 4, readWord(out, p + 4) ^ c1);
      writeWord(out, p + 8, readWord(out, p + 8) ^ c2);
      writeWord(out, p + 12, readWord(out, p + 12) ^ c3);
      c0 = d0; c1 = d1; c2 = d2; c3 = d3;
    }
  }
}

/** Length of the PKCS#7-padded ciphertext of `n` plaintext bytes. */
export const paddedLength = (n: number): number => n + BLOCK - (n % BLOCK);

/** SM4-CBC with PKCS#7 padding into `out` at `outOff` (paddedLength bytes). */
export function sm4CbcEncryptInto(key: Sm4Key, iv: Uint8Array, plaintext: Uint8Array, out: Uint8Array, outOff: number): void {
  const total = paddedLength(plaintext.length);
  const pad = total - plaintext.length;
  out.set(plaintext, outOff);
  out.fill(pad, outOff + plaintext.length, outOff + total);
  const region = out.subarray(outOff, outOff + total);
  key.cbcEncryptBlocks(iv, region, region);
}

export function sm4CbcEncrypt(key: Sm4Key, iv: Uint8Array, plaintext: Uint8Array): Uint8Array {
  const out = new Uint8Array(paddedLength(plaintext.length));
  sm4CbcEncryptInto(key, iv, plaintext, out, 0);
  return out;
}

/** Throws on bad padding; callers verify the MAC first, so that never leaks. */
export function sm4CbcDecrypt(key: Sm4Key, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  if (ciphertext.length === 0 || ciphertext.length % BLOCK !== 0) throw new Error('SM4-CBC: bad ciphertext length');
  const out = new Uint8Array(ciphertext.length);
  key.cbcDecryptBlocks(iv, ciphertext, out);
  const pad = out[out.length - 1];
  if (pad < 1 || pad > BLOCK) throw new Error('SM4-CBC: bad padding');
  for (let i = out.length - pad; i < out.length; i++) if (out[i] !== pad) throw new Error('SM4-CBC: bad padding');
  return out.subarray(0, out.length - pad);
}
