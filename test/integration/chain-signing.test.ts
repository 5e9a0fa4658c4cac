import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/chain/canonical';
import { signExport, verifyExport } from '../../main/chain/export-signature';
import { loadSigningKey, publicKeyFromPem, publicKeyPem, stationPublicKey } from '../../main/chain/signing-key';
import { fingerprintOf, verifySignature } from '../../main/crypto/sm2';
import { ensureSigningKey } from '../../main/store/signing-key-pair';
import { sm3 } from '../../main/crypto/sm3';
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import { AppError } from '../../shared/errors';
import { newStation, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

let cleanup: () => void;
let dir: string;
let path: string;
let station: Station;

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
  ({ path, station } = newStation(dir));
});

afterEach(() => {
  station.close();
  cleanup();
});

/** OpenSSL 3 with SM2 and SM3, as on Debian 12; skipped where absent. */
function opensslVerifiesSm2(): boolean {
  const r = spawnSync('openssl', ['list', '-digest-algorithms'], { encoding: 'utf8' });
  return r.status === 0 && /SM3/i.test(r.stdout) && /^OpenSSL 3/.test(spawnSync('openssl', ['version'], { encoding: 'utf8' }).stdout ?? '');
}

const meta = (key: string): string | undefined =>
  (station.db.prepare('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined)?.value;

describe('station signing key', () => {
  it('is created with the store: public key and fingerprint in clear, private key sealed', () => {
    const key = loadSigningKey(station);
    expect(key.publicKey).toMatch(/^04[0-9a-f]{128}$/);
    expect(key.fingerprint).toMatch(/^([0-9a-f]{4} ){15}[0-9a-f]{4}$/);
    expect(stationPublicKey(station.db)).toEqual({ publicKey: key.publicKey, fingerprint: key.fingerprint });
    const sealed = meta('signing_key.private')!;
    expect(Buffer.from(sealed, 'base64').toString('hex')).not.toContain(key.publicKey.slice(2, 20));
    const sig = key.sign('checkpoint 驿站');
    expect(verifySignature(key.publicKey, 'checkpoint 驿站', sig)).toBe(true);
    expect(verifySignature(key.publicKey, 'checkpoint 驿站!', sig)).toBe(false);
    expect(verifySignature(key.publicKey, 'checkpoint 驿站', 'zz')).toBe(false);
    expect(verifySignature('04' + '00'.repeat(64), 'checkpoint 驿站', sig)).toBe(false);
  });

  it('is standard SM2 with SM3 and the default user id, as any SM2 library checks it', () => {
    const key = loadSigningKey(station);
    const sig = key.sign('hello');
    expect(sm2.doVerifySignature('hello', sig, key.publicKey, { hash: true, der: true, userId: '1234567812345678' })).toBe(true);
  });

  it.runIf(opensslVerifiesSm2())('OpenSSL verifies an export signature (standard SM2 with SM3, default id)', () => {
    const bytes = new TextEncoder().encode('seq,action\n1,shred\n');
    const file = JSON.parse(signExport(bytes, loadSigningKey(station)));
    const message = Buffer.from(file.message_base64, 'base64');
    writeFileSync(join(dir, 'key.pem'), publicKeyPem(loadSigningKey(station).publicKey));
    writeFileSync(join(dir, 'message'), message);
    writeFileSync(join(dir, 'signature.der'), Buffer.from(file.signature_der_base64, 'base64'));
    const verify = (name: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-digest', 'sm3',
        '-pkeyopt', 'distid:1234567812345678', '-in', name, '-sigfile', 'signature.der'], { cwd: dir, encoding: 'utf8' });
    expect(verify('message').stdout).toContain('Verified Successfully');
    writeFileSync(join(dir, 'edited'), message.toString('utf8').replace('"size":', '"size":1'));
    expect(verify('edited').status).not.toBe(0);
  });

  it('survives a re-unlock, and a store from before chains gets one at unlock', () => {
    const before = loadSigningKey(station).fingerprint;
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(loadSigningKey(station).fingerprint).toBe(before);
    station.db.prepare("DELETE FROM meta WHERE key LIKE 'signing_key.%'").run();
    station.close();
    station = unlockWithPassphrase(path, TEST_PASSPHRASE);
    expect(loadSigningKey(station).fingerprint).not.toBe(before);
  });

  it('a public key swapped in the file is caught against the sealed private key', () => {
    const other = sm2.generateKeyPairHex().publicKey;
    station.db.prepare("UPDATE meta SET value = ? WHERE key = 'signing_key.public'").run(other);
    station.db.prepare("UPDATE meta SET value = ? WHERE key = 'signing_key.fingerprint'").run(fingerprintOf(other));
    expect(stationPublicKey(station.db).publicKey).toBe(other);
    // A fresh station object: the cached key would not look at the file again.
    const reopened = unlockWithPassphrase(path, TEST_PASSPHRASE);
    try {
      expect(() => loadSigningKey(reopened)).toThrow(AppError);
    } finally {
      reopened.close();
    }
  });

  it('ensureSigningKey leaves an existing key alone', () => {
    const before = meta('signing_key.private');
    ensureSigningKey(station.db, station.keys);
    expect(meta('signing_key.private')).toBe(before);
  });
});

describe('export signatures', () => {
  const bytes = new TextEncoder().encode('seq,action\n1,shred\n2,shred\n');

  /** The signature file with its signed message edited by `edit`. */
  function reSigned(sigText: string, edit: (m: Record<string, unknown>) => Record<string, unknown>): string {
    const f = JSON.parse(sigText);
    const message = edit(JSON.parse(Buffer.from(f.message_base64, 'base64').toString('utf8')));
    return JSON.stringify({ ...f, message_base64: Buffer.from(canonicalJson(message)).toString('base64') });
  }

  it('round-trips offline, with or without an expected fingerprint, with the heads it was given', () => {
    const key = loadSigningKey(station);
    const head = { log: 'audit', seq: 7, headHash: new Uint8Array(32).fill(0xab) };
    const sigText = signExport(bytes, key, new Date(Date.UTC(2025, 0, 1)), { storeId: station.storeId, heads: [head] });
    const message = JSON.parse(Buffer.from(JSON.parse(sigText).message_base64, 'base64').toString('utf8'));
    expect(message).toMatchObject({ algorithm: 'SM2-with-SM3', public_key: key.publicKey, fingerprint: key.fingerprint, size: bytes.length });
    expect(message.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyExport(bytes, sigText)).toEqual({
      ok: true,
      fingerprint: key.fingerprint,
      signedAt: '2025-01-01T00:00:00.000Z',
      storeId: station.storeId,
      heads: { audit: { seq: 7, hash: 'ab'.repeat(32) } },
    });
    expect(verifyExport(bytes, sigText, { expectedFingerprint: key.fingerprint.replace(/ /g, '').toUpperCase() }).ok).toBe(true);
  });

  it('reads back the public-key file it writes, and nothing else', () => {
    const key = loadSigningKey(station).publicKey;
    expect(publicKeyFromPem(publicKeyPem(key))).toBe(key);
    expect(publicKeyFromPem(publicKeyPem(key).replace(/\n/g, '\r\n'))).toBe(key);
    expect(publicKeyFromPem('-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n')).toBeNull();
    expect(publicKeyFromPem(key)).toBeNull();
  });

  it('still verifies a v1 signature file (signed fields at the top level, no heads)', () => {
    const key = loadSigningKey(station);
    const fields = {
      format: 'privacy-counter/export-signature/v1', algorithm: 'SM2-with-SM3', user_id: '1234567812345678', public_key: key.publicKey,
      fingerprint: key.fingerprint, sm3: Buffer.from(sm3(bytes)).toString('hex'), size: bytes.length, signed_at: '2025-01-01T00:00:00.000Z',
    };
    const v1 = JSON.stringify({ ...fields, signature: key.sign(canonicalJson(fields)) });
    expect(verifyExport(bytes, v1)).toMatchObject({ ok: true, storeId: null, heads: {} });
    expect(verifyExport(bytes, JSON.stringify({ ...JSON.parse(v1), size: bytes.length + 1 }))).toMatchObject({ ok: false });
  });

  it('fails on an edited byte, a truncated file, or a different station', () => {
    const sigText = signExport(bytes, loadSigningKey(station));
    const fingerprint = loadSigningKey(station).fingerprint;
    const edited = bytes.slice();
    edited[12] ^= 1;
    expect(verifyExport(edited, sigText)).toEqual({ ok: false, reason: 'digest-mismatch', fingerprint });
    expect(verifyExport(bytes.subarray(1), sigText)).toEqual({ ok: false, reason: 'size-mismatch', fingerprint });
    const { station: other } = newStation(dir, 'other.db');
    try {
      expect(verifyExport(bytes, sigText, { expectedFingerprint: loadSigningKey(other).fingerprint })).toEqual({ ok: false, reason: 'unexpected-key', fingerprint });
    } finally {
      other.close();
    }
  });

  it('fails on an edited signature file', () => {
    const sigText = signExport(bytes, loadSigningKey(station), new Date(), { storeId: station.storeId, heads: [{ log: 'shred', seq: 3, headHash: new Uint8Array(32) }] });
    expect(verifyExport(bytes, reSigned(sigText, (m) => ({ ...m, signed_at: '2020-01-01T00:00:00.000Z' })))).toMatchObject({ ok: false, reason: 'bad-signature' });
    // A head claimed further than the one signed.
    expect(verifyExport(bytes, reSigned(sigText, (m) => ({ ...m, heads: { shred: { seq: 2, hash: '00'.repeat(32) } } })))).toMatchObject({ ok: false, reason: 'bad-signature' });
    // Someone else's key and a matching fingerprint: only an expected fingerprint tells.
    const stranger = sm2.generateKeyPairHex();
    const forged = reSigned(sigText, (m) => ({ ...m, public_key: stranger.publicKey, fingerprint: fingerprintOf(stranger.publicKey) }));
    expect(verifyExport(bytes, forged)).toMatchObject({ ok: false, reason: 'bad-signature' });
    expect(verifyExport(bytes, reSigned(sigText, (m) => ({ ...m, fingerprint: fingerprintOf(stranger.publicKey) })))).toEqual({ ok: false, reason: 'bad-public-key' });
    expect(verifyExport(bytes, reSigned(sigText, (m) => ({ ...m, algorithm: 'RSA' })))).toEqual({ ok: false, reason: 'unsupported' });
    expect(verifyExport(bytes, '{not json')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyExport(bytes, reSigned(sigText, (m) => ({ ...m, size: '27' })))).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyExport(bytes, JSON.stringify({ ...JSON.parse(sigText), message_base64: '!!' }))).toEqual({ ok: false, reason: 'malformed' });
  });
});
