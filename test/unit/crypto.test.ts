import { createCipheriv, createHash, createHmac, getCiphers, getHashes, randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { sm3 as smCryptoSm3, sm4 as smCryptoSm4 } from 'sm-crypto';
import { describe, expect, it } from 'vitest';
import { open, openText, seal, sealText } from '../../main/crypto/envelope';
import { fieldKeysFrom, StationKeys, unwrapRootKey, wrapRootKey } from '../../main/crypto/keyring';
import { slabAllocator } from '../../main/crypto/slab';
import { HmacSm3, hmacSm3, sm3 } from '../../main/crypto/sm3';
import { Sm4Key, sm4CbcDecrypt, sm4CbcEncrypt } from '../../main/crypto/sm4';
import { AppError } from '../../shared/errors';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const unhex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'));
const opensslHasSm = getCiphers().includes('sm4-cbc') && getHashes().includes('sm3');

describe('SM4 (GB/T 32907-2016)', () => {
  it('matches the standard known answers', () => {
    const k = unhex('0123456789abcdeffedcba9876543210');
    expect(hex(new Sm4Key(k).encryptBlock(k))).toBe('681edf34d206965e86b3e94f536e4246');
    // The standard's second example: the same block encrypted 1 000 000 times.
    const key = new Sm4Key(k);
    let block: Uint8Array = k;
    for (let i = 0; i < 1_000_000; i++) block = key.encryptBlock(block);
    expect(hex(block)).toBe('595298c7c6fd271f0402f804c33d3f66');
  });

  it('CBC round-trips any plaintext, and a wrong key or IV never returns it', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (pt) => {
        const key = new Sm4Key(randomBytes(16));
        const iv = randomBytes(16);
        const ct = sm4CbcEncrypt(key, iv, pt);
        expect(ct.length % 16).toBe(0);
        expect(ct.length).toBeGreaterThan(pt.length);
        expect(hex(sm4CbcDecrypt(key, iv, ct))).toBe(hex(pt));
        let other: string | null;
        try {
          other = hex(sm4CbcDecrypt(new Sm4Key(randomBytes(16)), iv, ct));
        } catch {
          other = null; // bad padding: the usual outcome
        }
        if (pt.length > 0) expect(other).not.toBe(hex(pt));
      }),
    );
  });

  it('CBC agrees with sm-crypto in both directions at every length across block boundaries', () => {
    for (let n = 0; n < 100; n++) {
      const key = randomBytes(16);
      const iv = randomBytes(16);
      const pt = randomBytes(n);
      const opts = { mode: 'cbc', iv: Array.from(iv), output: 'array' } as const;
      const theirs = smCryptoSm4.encrypt(Array.from(pt), Array.from(key), opts) as unknown as number[];
      expect(hex(sm4CbcEncrypt(new Sm4Key(key), iv, pt)), `length ${n}`).toBe(hex(Uint8Array.from(theirs)));
      expect(hex(sm4CbcDecrypt(new Sm4Key(key), iv, Uint8Array.from(theirs))), `length ${n}`).toBe(hex(pt));
    }
  });

  it.runIf(opensslHasSm)('CBC agrees with OpenSSL sm4-cbc', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 100 }), (pt) => {
        const key = randomBytes(16);
        const iv = randomBytes(16);
        const c = createCipheriv('sm4-cbc', key, iv);
        expect(hex(sm4CbcEncrypt(new Sm4Key(key), iv, pt))).toBe(hex(Buffer.concat([c.update(pt), c.final()])));
      }),
    );
  });
});

describe('SM3 (GB/T 32905-2016)', () => {
  it('matches the standard known answers', () => {
    expect(hex(sm3(new TextEncoder().encode('abc')))).toBe(
      '66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0',
    );
    expect(hex(sm3(new TextEncoder().encode('abcd'.repeat(16))))).toBe(
      'debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732',
    );
  });

  it('agrees with sm-crypto at every length across block boundaries', () => {
    for (let n = 0; n < 200; n++) {
      const data = randomBytes(n);
      expect(hex(sm3(data)), `length ${n}`).toBe(smCryptoSm3(Array.from(data)));
    }
  });

  it.runIf(opensslHasSm)('agrees with OpenSSL sm3 and HMAC-SM3', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ minLength: 1, maxLength: 100 }), (data, key) => {
        expect(hex(sm3(data))).toBe(createHash('sm3').update(data).digest('hex'));
        expect(hex(hmacSm3(key, data))).toBe(createHmac('sm3', key).update(data).digest('hex'));
      }),
    );
  });

  it('macInto writes a prefix of the MAC of a slice, also over its own input', () => {
    const mac = new HmacSm3(randomBytes(32));
    const buf = new Uint8Array(randomBytes(300));
    const expected = mac.mac(buf.slice(10, 250));
    mac.macInto(buf, 10, 250, buf, 20, 16);
    expect(hex(buf.subarray(20, 36))).toBe(hex(expected.subarray(0, 16)));
  });

  it('macParts equals the MAC of the concatenation, also past the scratch buffer size', () => {
    const mac = new HmacSm3(randomBytes(32));
    for (const sizes of [[0, 0], [3, 61, 2], [64, 64], [2000, 17]]) {
      const parts = sizes.map((n) => new Uint8Array(randomBytes(n)));
      expect(hex(mac.macParts(...parts))).toBe(hex(mac.mac(new Uint8Array(Buffer.concat(parts)))));
    }
  });

  it('HMAC agrees with sm-crypto, and a keyed instance is reusable', () => {
    const key = randomBytes(32);
    const mac = new HmacSm3(key);
    for (const n of [0, 1, 55, 56, 64, 100]) {
      const data = randomBytes(n);
      const keyHex = hex(key);
      expect(hex(mac.mac(data))).toBe(smCryptoSm3(Array.from(data), { key: keyHex }));
      expect(hex(mac.mac(data))).toBe(hex(hmacSm3(key, data)));
    }
  });
});

describe('envelope (SM4-CBC then HMAC-SM3, context bound)', () => {
  const keys = new StationKeys(randomBytes(32)).field;

  it('round-trips text and hides it', () => {
    const blob = sealText(keys, '欧阳杰然 13800001111', 'parcels.name#7');
    expect(Buffer.from(blob).includes(Buffer.from('欧阳'))).toBe(false);
    expect(openText(keys, blob, 'parcels.name#7')).toBe('欧阳杰然 13800001111');
  });

  it('uses a fresh IV per value', () => {
    expect(hex(sealText(keys, 'same', 'c'))).not.toBe(hex(sealText(keys, 'same', 'c')));
  });

  it('refuses a ciphertext moved to another row or column', () => {
    const blob = sealText(keys, '张三', 'parcels.name#1');
    expect(() => open(keys, blob, 'parcels.name#2')).toThrow(AppError);
    expect(() => open(keys, blob, 'parcels.address#1')).toThrow(/篡改|tampered/);
  });

  it('detects every single-bit flip and any truncation', () => {
    const blob = seal(keys, new TextEncoder().encode('北京市朝阳区望京街道阜通东大街6号'), 'ctx');
    for (let i = 0; i < blob.length; i++) {
      const bad = blob.slice();
      bad[i] ^= 1 << i % 8;
      expect(() => open(keys, bad, 'ctx'), `byte ${i}`).toThrow(AppError);
    }
    for (const cut of [1, 16, blob.length - 1]) expect(() => open(keys, blob.subarray(0, cut), 'ctx')).toThrow(AppError);
  });

  it('refuses another station key', () => {
    const other = new StationKeys(randomBytes(32)).field;
    expect(() => openText(other, sealText(keys, 'x', 'c'), 'c')).toThrow(AppError);
  });

  it('is exactly version | generation | IV | SM4-CBC | HMAC-SM3(… | context | length)[0..16], as sm-crypto computes them', () => {
    const k = (n: number): Uint8Array => new Uint8Array(32).fill(n);
    const field = fieldKeysFrom({ generation: 3, enc: k(1).subarray(0, 16), mac: k(2), row: k(5), phoneIndex: k(3), tailIndex: k(4) }).field;
    for (const [text, context] of [['张三', 'parcels.name#1'], ['广东省深圳市南山区粤海街道科技园路1号101室'.repeat(3), `parcels.address#${2 ** 40}`]]) {
      const blob = sealText(field, text, context, slabAllocator());
      const iv = blob.subarray(2, 18);
      const ct = smCryptoSm4.encrypt(Array.from(new TextEncoder().encode(text)), Array.from(k(1).subarray(0, 16)), {
        mode: 'cbc', iv: Array.from(iv), output: 'array',
      }) as unknown as number[];
      const body = [1, 3, ...iv, ...ct];
      const ctx = [...new TextEncoder().encode(context)];
      const tag = smCryptoSm3([...body, ...ctx, ctx.length >> 8, ctx.length & 0xff], { key: hex(k(2)) }).slice(0, 32);
      expect(hex(blob)).toBe(hex(Uint8Array.from(body)) + tag);
      expect(openText(field, blob, context)).toBe(text);
    }
  });
});

describe('root key wrapping', () => {
  it('unwraps with the right KEK and reports a wrong passphrase otherwise', () => {
    const root = randomBytes(32);
    const kek = randomBytes(32);
    const wrapped = wrapRootKey(root, kek);
    expect(hex(unwrapRootKey(wrapped, kek))).toBe(hex(root));
    try {
      unwrapRootKey(wrapped, randomBytes(32));
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('WRONG_PASSPHRASE');
    }
  });

  it('blind indexes are keyed: same station equal, other station different', () => {
    const root = randomBytes(32);
    const a = new StationKeys(root.slice());
    const b = new StationKeys(root.slice());
    const c = new StationKeys(randomBytes(32));
    expect(hex(a.phoneBlindIndex('13800001111'))).toBe(hex(b.phoneBlindIndex('13800001111')));
    expect(hex(a.phoneBlindIndex('13800001111'))).not.toBe(hex(c.phoneBlindIndex('13800001111')));
    expect(hex(a.tailBlindIndex('1111'))).not.toBe(hex(a.phoneBlindIndex('1111')));
  });
});
