import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { sm2 } from 'sm-crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { canonicalJson } from '../../main/chain/canonical';
import { signExport, verifyExport } from '../../main/chain/export-signature';
import { ensureSigningKey, fingerprintOf, loadSigningKey, publicKeyPem, stationPublicKey, verifySignature } from '../../main/chain/signing-key';
import { unlockWithPassphrase, type Station } from '../../main/store/station';
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
    const { signature, ...fields } = JSON.parse(signExport(bytes, loadSigningKey(station)));
    writeFileSync(join(dir, 'key.pem'), publicKeyPem(fields.public_key));
    writeFileSync(join(dir, 'message'), canonicalJson(fields));
    writeFileSync(join(dir, 'signature.der'), Buffer.from(signature, 'hex'));
    const verify = (message: string) =>
      spawnSync('openssl', ['pkeyutl', '-verify', '-pubin', '-inkey', 'key.pem', '-rawin', '-digest', 'sm3',
        '-pkeyopt', 'distid:1234567812345678', '-in', message, '-sigfile', 'signature.der'], { cwd: dir, encoding: 'utf8' });
    expect(verify('message').stdout).toContain('Verified Successfully');
    writeFileSync(join(dir, 'edited'), canonicalJson({ ...fields, size: fields.size + 1 }));
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

  it('round-trips offline, with or without an expected fingerprint', () => {
    const key = loadSigningKey(station);
    const sigText = signExport(bytes, key, new Date(Date.UTC(2025, 0, 1)));
    const parsed = JSON.parse(sigText);
    expect(parsed).toMatchObject({ algorithm: 'SM2-with-SM3', public_key: key.publicKey, fingerprint: key.fingerprint, size: bytes.length });
    expect(parsed.sm3).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyExport(bytes, sigText)).toEqual({ ok: true, fingerprint: key.fingerprint, signedAt: '2025-01-01T00:00:00.000Z' });
    expect(verifyExport(bytes, sigText, { expectedFingerprint: key.fingerprint.replace(/ /g, '').toUpperCase() }).ok).toBe(true);
  });

  it('fails on an edited byte, a truncated file, or a different station', () => {
    const sigText = signExport(bytes, loadSigningKey(station));
    const edited = bytes.slice();
    edited[12] ^= 1;
    expect(verifyExport(edited, sigText)).toEqual({ ok: false, reason: 'digest-mismatch' });
    expect(verifyExport(bytes.subarray(1), sigText)).toEqual({ ok: false, reason: 'size-mismatch' });
    const { station: other } = newStation(dir, 'other.db');
    try {
      expect(verifyExport(bytes, sigText, { expectedFingerprint: loadSigningKey(other).fingerprint })).toEqual({ ok: false, reason: 'unexpected-key' });
    } finally {
      other.close();
    }
  });

  it('fails on an edited signature file', () => {
    const sigText = signExport(bytes, loadSigningKey(station));
    const f = JSON.parse(sigText);
    expect(verifyExport(bytes, JSON.stringify({ ...f, signed_at: '2020-01-01T00:00:00.000Z' }))).toEqual({ ok: false, reason: 'bad-signature' });
    // Someone else's key and a matching fingerprint: only an expected fingerprint tells.
    const stranger = sm2.generateKeyPairHex();
    const forged = { ...f, public_key: stranger.publicKey, fingerprint: fingerprintOf(stranger.publicKey) };
    expect(verifyExport(bytes, JSON.stringify(forged))).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyExport(bytes, JSON.stringify({ ...f, fingerprint: fingerprintOf(stranger.publicKey) }))).toEqual({ ok: false, reason: 'bad-public-key' });
    expect(verifyExport(bytes, JSON.stringify({ ...f, algorithm: 'RSA' }))).toEqual({ ok: false, reason: 'unsupported' });
    expect(verifyExport(bytes, '{not json')).toEqual({ ok: false, reason: 'malformed' });
    expect(verifyExport(bytes, JSON.stringify({ ...f, size: '27' }))).toEqual({ ok: false, reason: 'malformed' });
  });
});
