// docs/inspectors.md's promise: an export can be checked with OpenSSL alone.
// The repo's script runs the real /usr/bin/openssl on real exports.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sm2 } from 'sm-crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log';
import { signExport } from '../../main/chain/export-signature';
import { loadSigningKey, publicKeyPem } from '../../main/chain/signing-key';
import { fingerprintOf } from '../../main/crypto/sm2';
import { auditEntriesBetween, exportAudit } from '../../main/exports/audit-export';
import { exportContext, periodRange } from '../../main/exports/format';
import type { Station } from '../../main/store/station';
import { newStation, tempDir } from '../helpers/fixtures';

const SCRIPT = resolve(__dirname, '../../scripts/verify-export-openssl.sh');

const tmp = tempDir();
let station: Station;
let fingerprint: string;
const path = (name: string) => join(tmp.dir, name);

function check(file: string, ...args: string[]) {
  const r = spawnSync('bash', [SCRIPT, file, ...args], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(async () => {
  station = newStation(tmp.dir).station;
  const audit = new AuditLog(station);
  for (let i = 0; i < 3; i++) await station.store.transaction((tx) => audit.record(tx, { action: 'auth.login', actor: { userId: 1, username: 'boss', displayName: '王站长', role: 'supervisor', workstation: 'pc-1' } }));
  const now = new Date();
  const ctx = await exportContext(station, '2020-01-01', '2030-12-31', 'CLI', now);
  const entries = await auditEntriesBetween(station.store, audit, periodRange(ctx.from, ctx.to, ctx.timeZone));
  for (const format of ['csv', 'pdf'] as const) {
    const file = await exportAudit(station, entries, format, ctx);
    writeFileSync(path(`audit.${format}`), file.bytes);
    writeFileSync(path(`audit.${format}.sig`), file.signature);
  }
  const key = loadSigningKey(station);
  fingerprint = key.fingerprint;
  writeFileSync(path('station.pub.pem'), publicKeyPem(key.publicKey));
}, 60_000);

afterAll(() => {
  station.close();
  tmp.cleanup();
});

describe('scripts/verify-export-openssl.sh', () => {
  it.each(['csv', 'pdf'])('passes an intact %s export, pinned by the key file or by the fingerprint', (format) => {
    const file = path(`audit.${format}`);
    const byKey = check(file, '--key', path('station.pub.pem'));
    expect(byKey.code, byKey.err).toBe(0);
    expect(byKey.out).toContain(`OK ${file}`);
    expect(byKey.out).toContain(`key fingerprint: ${fingerprint.replace(/ /g, '')}`);
    expect(byKey.out).toMatch(/chain heads: \{"audit":\{"hash":"[0-9a-f]{64}","seq":\d+\},"shred":\{"hash":"[0-9a-f]{64}","seq":0\}\}/);
    expect(check(file, '--fingerprint', fingerprint).code).toBe(0);
  });

  it('fails a copy with one byte edited', () => {
    const bytes = readFileSync(path('audit.csv'));
    bytes[bytes.length - 5] ^= 1;
    writeFileSync(path('edited.csv'), bytes);
    const r = check(path('edited.csv'), '--sig', path('audit.csv.sig'), '--fingerprint', fingerprint);
    expect(r.code).toBe(1);
    expect(r.err).toContain('SM3 digest');
  });

  it('fails an edited signed message, and a file re-signed with another key', () => {
    const sig = JSON.parse(readFileSync(path('audit.csv.sig'), 'utf8'));
    const message = Buffer.from(sig.message_base64, 'base64').toString('utf8').replace(/"seq":0/, '"seq":1');
    writeFileSync(path('edited.sig'), JSON.stringify({ ...sig, message_base64: Buffer.from(message).toString('base64') }, null, 2));
    const edited = check(path('audit.csv'), '--sig', path('edited.sig'), '--key', path('station.pub.pem'));
    expect(edited.code).toBe(1);
    expect(edited.err).toContain('does not verify');

    const pair = sm2.generateKeyPairHex();
    const forger = { publicKey: pair.publicKey, fingerprint: fingerprintOf(pair.publicKey), sign: (m: string) => sm2.doSignature(m, pair.privateKey, { hash: true, der: true }) };
    const bytes = readFileSync(path('audit.csv'));
    writeFileSync(path('forged.sig'), signExport(bytes, forger));
    for (const pin of [['--fingerprint', fingerprint], ['--key', path('station.pub.pem')]]) {
      const r = check(path('audit.csv'), '--sig', path('forged.sig'), ...pin);
      expect(r.code, r.out).toBe(1);
    }
    // The forger's own key does verify it: the pinned key is what makes the check mean anything.
    expect(check(path('audit.csv'), '--sig', path('forged.sig'), '--fingerprint', forger.fingerprint).code).toBe(0);
  });
});
