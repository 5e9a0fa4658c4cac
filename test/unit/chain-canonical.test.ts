import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sm3 as smCryptoSm3 } from 'sm-crypto';
import { describe, expect, it, vi } from 'vitest';
import { canonicalJson } from '../../main/chain/canonical';
import { EntryHasher, genesisHash } from '../../main/chain/hash';
import { sm3, sm3Into, sm3IntoEngine, sm3Workspace } from '../../main/crypto/sm3';
import { AppError } from '../../shared/errors';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** JSON values the canonical form accepts: integers only, no floats. */
const canonicalArb = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value')),
    fc.dictionary(fc.string(), tie('value')),
  ),
})).value;

function shuffleKeys(v: unknown, rnd: () => number): unknown {
  if (Array.isArray(v)) return v.map((x) => shuffleKeys(x, rnd));
  if (v && typeof v === 'object') {
    const entries = Object.entries(v).sort(() => rnd() - 0.5);
    return Object.fromEntries(entries.map(([k, x]) => [k, shuffleKeys(x, rnd)]));
  }
  return v;
}

describe('canonicalJson', () => {
  it('sorts keys at every level and drops whitespace', () => {
    expect(canonicalJson({ b: 1, a: [true, null, { d: '驿站', c: -0 }] })).toBe('{"a":[true,null,{"c":0,"d":"驿站"}],"b":1}');
  });

  it('is stable under key order and survives a JSON round trip', () => {
    fc.assert(
      fc.property(canonicalArb, fc.integer(), (v, seed) => {
        let s = seed;
        const rnd = (): number => ((s = (s * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
        const text = canonicalJson(v);
        expect(canonicalJson(shuffleKeys(v, rnd))).toBe(text);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
      }),
    );
  });

  it.each([
    ['a float', { weight: 1.5 }, '$.weight'],
    ['NaN', { n: NaN }, '$.n'],
    ['Infinity', [Infinity], '$[0]'],
    ['an unsafe integer', { id: 2 ** 53 }, '$.id'],
    ['undefined', { staff: undefined }, '$.staff'],
    ['a bigint', { n: 1n }, '$.n'],
    ['a Date', { at: new Date(0) }, '$.at'],
    ['a Map', { m: new Map() }, '$.m'],
    ['a function', { f: () => 1 }, '$.f'],
    // eslint-disable-next-line no-sparse-arrays
    ['a sparse array', { a: [1, , 3] }, '$.a[1]'],
  ])('rejects %s, naming the path but not the value', (_what, value, path) => {
    try {
      canonicalJson(value);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).code).toBe('INVALID_INPUT');
      expect((e as AppError).detail).toContain(path);
      expect((e as AppError).detail).not.toContain('1.5');
    }
  });

  it('rejects cycles by depth instead of overflowing the stack', () => {
    const a: Record<string, unknown> = {};
    a.self = a;
    expect(() => canonicalJson(a)).toThrow(AppError);
  });
});

describe('entry hash', () => {
  const prev = sm3(new TextEncoder().encode('prev'));

  it('is SM3 over the documented layout', () => {
    const createdAt = '2025-01-01T00:00:00.000Z';
    const payload = '{"a":"驿站"}';
    const enc = new TextEncoder();
    const expected = sm3(
      new Uint8Array([
        0x00,
        0, 0, 0, 1, 0, 0, 0, 2, // seq 2^32 + 2, big-endian
        0, createdAt.length,
        ...prev,
        ...enc.encode(createdAt),
        ...enc.encode(payload),
      ]),
    );
    expect(new EntryHasher().hash(prev, 2 ** 32 + 2, createdAt, payload)).toEqual(expected);
  });

  it('changes with the seq, the time, the payload and the previous hash', () => {
    const h = new EntryHasher();
    const base = h.hash(prev, 7, '2025-01-01T00:00:00.000Z', '{}');
    expect(h.hash(prev, 8, '2025-01-01T00:00:00.000Z', '{}')).not.toEqual(base);
    expect(h.hash(prev, 7, '2025-01-01T00:00:00.001Z', '{}')).not.toEqual(base);
    expect(h.hash(prev, 7, '2025-01-01T00:00:00.000Z', '[]')).not.toEqual(base);
    expect(h.hash(sm3(prev), 7, '2025-01-01T00:00:00.000Z', '{}')).not.toEqual(base);
  });

  it('handles payloads larger than its buffer, and the same input twice gives the same hash', () => {
    const h = new EntryHasher();
    const big = JSON.stringify({ s: '驿'.repeat(5000) });
    const first = h.hash(prev, 1, '2025-01-01T00:00:00.000Z', big);
    expect(h.hash(prev, 1, '2025-01-01T00:00:00.000Z', big)).toEqual(first);
    expect(new EntryHasher().hash(prev, 1, '2025-01-01T00:00:00.000Z', big)).toEqual(first);
  });

  it('gives each log and each store its own genesis', () => {
    expect(genesisHash('audit', 's1')).not.toEqual(genesisHash('shred', 's1'));
    expect(genesisHash('audit', 's1')).not.toEqual(genesisHash('audit', 's2'));
  });
});

describe('sm3Into (the in-place hashing verify uses)', () => {
  const ranges = [[0, 0], [3, 3], [1, 56], [7, 71], [5, 300], [64, 192], [0, 700], [699, 700]];

  /** sm3Into over slices of `buf`, into the middle of a bigger output, against sm3 and sm-crypto over copies. */
  function crossCheck(into: typeof sm3Into, buf: Uint8Array): void {
    const out = new Uint8Array(40).fill(0xee);
    for (const [start, end] of ranges) {
      into(buf, start, end, out, 5);
      const slice = buf.slice(start, end);
      expect(hex(out.subarray(5, 37)), `${start}..${end}`).toBe(hex(sm3(slice)));
      expect(hex(out.subarray(5, 37))).toBe(smCryptoSm3(Array.from(slice)));
      expect([...out.subarray(0, 5), ...out.subarray(37)]).toEqual(new Array(8).fill(0xee));
    }
  }

  it('runs on WebAssembly here, and agrees with sm3 and sm-crypto on slices of any buffer', () => {
    expect(sm3IntoEngine()).toBe('wasm');
    crossCheck(sm3Into, new Uint8Array(randomBytes(700)));
    // Longer than the engine's scratch area: hashed another way.
    const big = new Uint8Array(randomBytes(100_000));
    const out = new Uint8Array(32);
    sm3Into(big, 9, 99_999, out);
    expect(hex(out)).toBe(hex(sm3(big.slice(9, 99_999))));
  });

  it('hashes in its workspace without copying, and a workspace that moved cannot be used by mistake', () => {
    const ws = sm3Workspace(700);
    ws.set(randomBytes(700));
    crossCheck(sm3Into, ws);
    const bigger = sm3Workspace(4 << 20);
    expect(ws.length).toBe(0);
    expect(() => sm3Into(ws, 0, 10, new Uint8Array(32))).toThrow(RangeError);
    bigger.set(randomBytes(1000), (4 << 20) - 1000);
    crossCheck(sm3Into, bigger.subarray((4 << 20) - 1000));
  });

  it('the JavaScript engine (PRIVACY_COUNTER_SM3=js, or no WebAssembly) gives the same answers', async () => {
    vi.stubEnv('PRIVACY_COUNTER_SM3', 'js');
    vi.resetModules();
    try {
      const js = await import('../../main/crypto/sm3');
      expect(js.sm3IntoEngine()).toBe('js');
      crossCheck(js.sm3Into, new Uint8Array(randomBytes(700)));
      const ws = js.sm3Workspace(700);
      ws.set(randomBytes(700));
      crossCheck(js.sm3Into, ws);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });

  it('refuses a range outside either buffer', () => {
    const buf = new Uint8Array(100);
    expect(() => sm3Into(buf, 10, 101, new Uint8Array(32))).toThrow(RangeError);
    expect(() => sm3Into(buf, 20, 10, new Uint8Array(32))).toThrow(RangeError);
    expect(() => sm3Into(buf, 0, 10, new Uint8Array(40), 9)).toThrow(RangeError);
  });
});
