// The shred ledger's CLI contract: shred, ledger-export,
// verify-export and verify, as outside scripts call them. The tamper cases
// play an attacker with the SQLite file: drop the append-only triggers, then
// edit, delete, insert or reorder a 'shred' entry.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sm2 } from 'sm-crypto';
import { signExport } from '../../main/chain/export-signature';
import { EntryHasher } from '../../main/chain/hash';
import { fingerprintOf } from '../../main/crypto/sm2';
import { addDays, localDay } from '../../main/settings/calendar';
import { hotp, totpStep } from '../../main/auth/totp';
import { startApp, type TestApp } from '../helpers/app';
import { runCli, type CliResult } from '../helpers/cli';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };
const rows = fixtureRows('manifest-small.csv');
const error = (r: CliResult) => (JSON.parse(r.stderr) as { error: { code: string; message: string } }).error;

describe.each(ENGINE_CASES)('shred ledger CLI (%s)', { timeout: 300_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db = '';
  const file = (name: string, text: string) => {
    const path = join(tmp.dir, name);
    writeFileSync(path, text);
    return path;
  };
  const shred = (...extra: string[]) => runCli(['shred', '--db', db, ...extra], PASS);
  let t: TestApp;
  /** Both people with their current codes, on the real clock the CLI uses; each step is spent once (replay protection). */
  const lastStep = new Map<string, number>();
  const codeFor = (user: string): string => {
    const now = totpStep(new Date());
    const step = Math.max(now, (lastStep.get(user) ?? 0) + 1);
    // One step ahead is still accepted (clock drift); further ahead, wait for it.
    while (totpStep(new Date()) < step - 1) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    lastStep.set(user, step);
    return hotp(t.secret(user), step);
  };
  const present = (operator: string, witness: string) => ['--operator', operator, '--operator-code', codeFor(operator), '--witness', witness, '--witness-code', codeFor(witness)];
  /** For refusals that come before any code is checked. */
  const named = (operator: string, witness: string) => ['--operator', operator, '--operator-code', '000000', '--witness', witness, '--witness-code', '000000'];
  const today = localDay(new Date(), 'Asia/Shanghai');
  const period = ['--from', addDays(today, -1), '--to', addDays(today, 1)];
  let fingerprint = '';

  beforeAll(async () => {
    t = await startApp(
      tmp.dir,
      [
        { username: 'clerk1', role: 'clerk' },
        { username: 'clerk2', role: 'clerk' },
        { username: 'audit1', role: 'auditor' },
        { username: 'gone', role: 'clerk' },
      ],
      { engine },
    );
    db = t.dbPath;
    const r = await t.call('manifest.import', { fileName: 'manifest-small.csv', bytes: readFixture('manifest-small.csv') });
    expect(r.ok).toBe(true);
    const users = await t.call('accounts.list', {});
    const gone = (users.ok ? (users.value as { id: number; username: string }[]) : []).find((u) => u.username === 'gone')!;
    expect((await t.call('accounts.update', { userId: gone.id, disabled: true, totp: t.code('boss') })).ok).toBe(true);
    await t.app.close();
  }, 120_000);

  afterAll(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('shred: records one batch from a waybill file, flags unknown numbers, prints the entry', () => {
    // A BOM and CRLF, as Notepad saves it, and a blank line.
    const list = file('bag1.txt', `\uFEFF${rows[0].waybill_no}\r\n${rows[1].waybill_no}\r\n\r\nSF8888888888888\r\n`);
    const r = shred('--waybills', list, '--method', 'shredder', '--device', 'CC-01', ...present('clerk1', 'clerk2'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toEqual({
      entryId: 1,
      batchId: 1,
      at: expect.any(String),
      method: 'shredder',
      deviceId: 'CC-01',
      certificate: null,
      operator: 'clerk1',
      witness: 'clerk2',
      waybills: [rows[0].waybill_no, rows[1].waybill_no],
      unknownWaybills: ['SF8888888888888'],
      sheets: 3,
    });
  });

  it('shred: refuses duplicates, operator as witness, an auditor witness, unknown or disabled staff — recording nothing', () => {
    const dup = file('dup.txt', `${rows[2].waybill_no}\n${rows[3].waybill_no}\n${rows[2].waybill_no}\n`);
    const base = ['--method', 'burn'];
    const cases: [string[], string][] = [
      [['--waybills', dup, ...base, ...named('clerk1', 'clerk2')], 'DUPLICATE_SCAN'],
      [['--waybills', file('again.txt', `${rows[0].waybill_no}\n`), ...base, ...named('clerk1', 'clerk2')], 'DUPLICATE_SCAN'],
      [['--waybills', file('ok.txt', `${rows[4].waybill_no}\n`), ...base, ...named('clerk1', 'clerk1')], 'WITNESS_IS_OPERATOR'],
      [['--waybills', file('ok.txt', `${rows[4].waybill_no}\n`), ...base, ...named('clerk1', 'audit1')], 'WITNESS_NOT_ALLOWED'],
      [['--waybills', file('ok.txt', `${rows[4].waybill_no}\n`), ...base, ...named('audit1', 'clerk1')], 'FORBIDDEN'],
      [['--waybills', file('ok.txt', `${rows[4].waybill_no}\n`), ...base, ...named('nobody', 'clerk1')], 'USER_NOT_FOUND'],
      [['--waybills', file('ok.txt', `${rows[4].waybill_no}\n`), ...base, ...named('clerk1', 'gone')], 'ACCOUNT_DISABLED'],
    ];
    for (const [args, code] of cases) {
      const r = shred(...args);
      expect(r.code, `${code}: ${r.stderr}`).toBe(1);
      expect(error(r).code).toBe(code);
      expect(error(r).message).toMatch(/[\u4e00-\u9fff].* \/ [A-Z]/);
    }
    expect(error(shred('--waybills', dup, ...base, ...named('clerk1', 'clerk2'))).message).toContain('line 3');
    // Flags that do not fit the method are a usage error.
    expect(shred('--waybills', dup, '--method', 'shredder', ...named('clerk1', 'clerk2')).code).toBe(2);
    expect(shred('--waybills', dup, '--method', 'burn', '--certificate', 'X', ...named('clerk1', 'clerk2')).code).toBe(2);

    const more = [
      ['--waybills', file('bag2.txt', `${rows[2].waybill_no}\n`), '--method', 'outsourced', '--certificate', 'XH-118'],
      ['--waybills', file('bag3.txt', `${rows[3].waybill_no}\n`), '--method', 'burn', '--notes', '炉号 2'],
    ];
    for (const args of more) expect(shred(...args, ...present('clerk2', 'boss')).code).toBe(0);
  });

  it('ledger-export csv: a BOM, a .sig beside it; verify-export passes it and fails an edited copy', () => {
    const out = join(tmp.dir, 'ledger.csv');
    const r = runCli(['ledger-export', '--db', db, ...period, '--format', 'csv', '--out', out], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines[0]).toMatchObject({ out, sig: `${out}.sig`, format: 'csv', rows: 3 });
    fingerprint = (r.lines[0] as { fingerprint: string }).fingerprint;
    const bytes = readFileSync(out);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    for (const w of [rows[0].waybill_no, rows[1].waybill_no, 'SF8888888888888', rows[2].waybill_no, rows[3].waybill_no, 'XH-118']) expect(text).toContain(w);
    for (const x of rows) expect(text).not.toContain(x.recipient_name);

    // Without a pinned key a valid signature is not a pass: it shows the fingerprint it found.
    const unpinned = runCli(['verify-export', out], {});
    expect(unpinned.code).toBe(1);
    expect(unpinned.lines[0]).toEqual({ file: out, ok: false, reason: 'key-not-pinned', fingerprint });
    expect(error(unpinned).code).toBe('EXPORT_KEY_NOT_PINNED');
    expect(error(unpinned).message).toContain(fingerprint);
    expect(error(unpinned).message).toMatch(/驿站公钥.*station key/);
    const good = runCli(['verify-export', out, '--fingerprint', fingerprint], {});
    expect(good.code, good.stderr).toBe(0);
    expect(good.lines[0]).toMatchObject({ file: out, ok: true, fingerprint, pinnedBy: 'fingerprint', heads: { audit: expect.any(Object), shred: { seq: 3 } } });
    expect(runCli(['verify-export', out, '--sig', `${out}.sig`, '--fingerprint', fingerprint.replace(/ /g, '')], {}).code).toBe(0);
    const otherKey = runCli(['verify-export', out, '--fingerprint', '0000 '.repeat(16)], {});
    expect(otherKey.code).toBe(1);
    expect(otherKey.lines[0]).toMatchObject({ ok: false, reason: 'unexpected-key', fingerprint });
    expect(error(otherKey).code).toBe('EXPORT_WRONG_KEY');
    // The last line carries the key and both heads, and stays one CSV cell.
    expect(text.trimEnd().split('\r\n').at(-1)).toMatch(new RegExp(`^# 签名 signed-by-key=${fingerprint.replace(/ /g, '')}; shred-head=3:[0-9a-f]{64}; audit-head=\\d+:[0-9a-f]{64}$`));

    // The key pinned by a public-key file from station-key, or by the store itself.
    const pem = join(tmp.dir, 'station.pub.pem');
    const exported = runCli(['station-key', '--db', db, '--out', pem], PASS);
    expect(exported.lines[0]).toEqual({ out: pem, fingerprint });
    expect(readFileSync(pem, 'utf8')).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(runCli(['verify-export', out, '--key', pem], {}).lines[0]).toMatchObject({ ok: true, pinnedBy: 'key' });
    expect(runCli(['verify-export', out, '--db', db], PASS).lines[0]).toMatchObject({ ok: true, pinnedBy: 'db' });
    expect(error(runCli(['verify-export', out, '--key', out], {})).code).toBe('PUBLIC_KEY_FILE_INVALID');
    expect(runCli(['verify-export', out, '--key', pem, '--fingerprint', fingerprint], {}).code).toBe(2);

    // A forgery: the CSV edited and signed with someone else's SM2 key.
    const forged = join(tmp.dir, 'forged.csv');
    const forgedBytes = Buffer.from(text.replace('CC-01', 'CC-09'));
    writeFileSync(forged, forgedBytes);
    const pair = sm2.generateKeyPairHex();
    const forger = { publicKey: pair.publicKey, fingerprint: fingerprintOf(pair.publicKey), sign: (m: string) => sm2.doSignature(m, pair.privateKey, { hash: true, der: true }) };
    writeFileSync(`${forged}.sig`, signExport(forgedBytes, forger));
    const naive = runCli(['verify-export', forged], {});
    expect(naive.code).toBe(1);
    expect(naive.lines[0]).toMatchObject({ ok: false, reason: 'key-not-pinned', fingerprint: forger.fingerprint });
    for (const pin of [['--fingerprint', fingerprint], ['--key', pem]]) {
      const r = runCli(['verify-export', forged, ...pin], {});
      expect(r.code).toBe(1);
      expect(r.lines[0]).toMatchObject({ ok: false, reason: 'unexpected-key' });
    }

    const edited = join(tmp.dir, 'edited.csv');
    writeFileSync(edited, text.replace('CC-01', 'CC-09'));
    copyFileSync(`${out}.sig`, `${edited}.sig`);
    const bad = runCli(['verify-export', edited, '--fingerprint', fingerprint], {});
    expect(bad.code).toBe(1);
    expect(bad.lines[0]).toMatchObject({ ok: false, reason: 'digest-mismatch' });
    expect(error(bad).code).toBe('TAMPERED');
  });

  it('ledger-export pdf: every waybill in the text, signed too', () => {
    const out = join(tmp.dir, 'ledger.pdf');
    const r = runCli(['ledger-export', '--db', db, ...period, '--format', 'pdf', '--out', out], PASS);
    expect(r.code, r.stderr).toBe(0);
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    for (const w of [rows[0].waybill_no, rows[1].waybill_no, 'SF8888888888888', rows[2].waybill_no, rows[3].waybill_no]) expect(text).toContain(w);
    expect(text).toContain('纸质面单销毁台账');
    expect(runCli(['verify-export', out, '--fingerprint', fingerprint], {}).code).toBe(0);
    expect(runCli(['ledger-export', '--db', db, '--from', '2026-12-02', '--to', '2026-12-01', '--format', 'pdf', '--out', out], PASS).code).toBe(2);
  });

  it('verify: exit 0 with one JSON line per chain when intact', () => {
    const r = runCli(['verify', '--db', db], PASS);
    expect(r.code, r.stderr).toBe(0);
    expect(r.lines).toEqual([
      { log: 'audit', ok: true, entries: expect.any(Number), head: { seq: expect.any(Number), hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, signedSeq: expect.any(Number), fingerprint },
      { log: 'shred', ok: true, entries: 3, head: { seq: 3, hash: expect.stringMatching(/^[0-9a-f]{64}$/) }, signedSeq: 3, fingerprint },
      // A server store has no anchor file beside it (README, "Run on PostgreSQL").
      engine.name === 'sqlite'
        ? { check: 'anchors', ok: true, file: `${db}.anchors`, anchors: expect.any(Number), heads: { audit: expect.any(Number), shred: 3 } }
        : { check: 'anchors', ok: true, file: null, anchors: 0 },
      { check: 'projections', ok: true, entries: 3 },
      { table: 'parcels', ok: true, rows: expect.any(Number), damaged: [] },
    ]);
  });

  // These play the attacker with the SQLite file itself (a copy, its guards dropped).
  describe.skipIf(engine.name === 'postgres')('verify after a direct SQLite edit names the first bad shred entry', () => {
    function tampered(name: string, ...sql: [string, ...unknown[]][]): CliResult {
      const copy = join(tmp.dir, `${name}.db`);
      copyFileSync(db, copy);
      const raw = new Database(copy);
      for (const t of ['chain_entries_no_update', 'chain_entries_no_delete']) raw.exec(`DROP TRIGGER ${t}`);
      for (const [q, ...params] of sql) raw.prepare(q).run(...params);
      raw.close();
      return runCli(['verify', '--db', copy], PASS);
    }
    const entry = (seq: number) => {
      const raw = new Database(db, { readonly: true });
      try {
        return raw.prepare("SELECT created_at, hash FROM chain_entries WHERE log = 'shred' AND seq = ?").get(seq) as { created_at: string; hash: Uint8Array };
      } finally {
        raw.close();
      }
    };
    const expectBad = (r: CliResult, problem: string, firstBadSeq: number) => {
      expect(r.code).not.toBe(0);
      expect(r.lines).toContainEqual({ log: 'shred', ok: false, firstBadSeq, problem });
      expect(r.lines).toContainEqual(expect.objectContaining({ log: 'audit', ok: true }));
      expect(error(r).code).toBe('TAMPERED');
      expect(error(r).message).toContain(`shred: entry ${firstBadSeq}`);
    };

    it('edit', () => {
      expectBad(tampered('edit', ["UPDATE chain_entries SET payload = replace(payload, 'XH-118', 'XH-999') WHERE log = 'shred' AND seq = 2"]), 'changed', 2);
    });

    it('delete', () => {
      expectBad(tampered('delete', ["DELETE FROM chain_entries WHERE log = 'shred' AND seq = 2"]), 'removed', 2);
    });

    it('insert (a well-formed entry linked to the one before it)', () => {
      const prev = entry(1);
      const payload = '{"type":"destroyed","batch":99}';
      const hash = new EntryHasher().hash(prev.hash, 2, prev.created_at, payload);
      expectBad(
        tampered(
          'insert',
          ["UPDATE chain_entries SET seq = -seq WHERE log = 'shred' AND seq >= 2"],
          ["UPDATE chain_entries SET seq = 1 - seq WHERE log = 'shred' AND seq < 0"],
          ["INSERT INTO chain_entries (log, seq, created_at, payload, prev_hash, hash) VALUES ('shred', 2, ?, ?, ?, ?)", prev.created_at, payload, prev.hash, hash],
        ),
        'inserted',
        2,
      );
    });

    it('reorder', () => {
      expectBad(
        tampered(
          'reorder',
          ["UPDATE chain_entries SET seq = -1 WHERE log = 'shred' AND seq = 2"],
          ["UPDATE chain_entries SET seq = 2 WHERE log = 'shred' AND seq = 3"],
          ["UPDATE chain_entries SET seq = 3 WHERE log = 'shred' AND seq = -1"],
        ),
        'reordered',
        2,
      );
    });
  });
  describe.skipIf(engine.name === 'postgres')('a cut-off chain end and edited projection tables are caught', () => {
    /** A copy of the store (and of its anchor file, when asked), edited with the guards dropped, as with a sqlite3 shell. */
    function editedCopy(name: string, withAnchors: boolean, ...sql: string[]): string {
      const copy = join(tmp.dir, `${name}.db`);
      copyFileSync(db, copy);
      if (withAnchors) copyFileSync(`${db}.anchors`, `${copy}.anchors`);
      const raw = new Database(copy);
      for (const t of ['chain_entries_no_delete', 'chain_checkpoints_no_delete', 'shred_ledger_no_delete', 'shred_ledger_no_update']) raw.exec(`DROP TRIGGER ${t}`);
      for (const q of sql) raw.exec(q);
      raw.close();
      return copy;
    }
    const CUT_SHRED_END = [
      "DELETE FROM chain_entries WHERE log = 'shred' AND seq = 3",
      "DELETE FROM chain_checkpoints WHERE log = 'shred' AND seq >= 3",
      'DELETE FROM shred_ledger WHERE seq = 3',
      'UPDATE shred_batches SET destroyed_seq = NULL WHERE destroyed_seq = 3',
    ];

    it('the newest shred entry deleted with its checkpoint (and its projections): the chain alone still verifies, the anchor file does not', () => {
      const copy = editedCopy('cut', true, ...CUT_SHRED_END);
      const r = runCli(['verify', '--db', copy], PASS);
      expect(r.code).toBe(1);
      expect(r.lines).toContainEqual(expect.objectContaining({ log: 'shred', ok: true, entries: 2 }));
      expect(r.lines).toContainEqual(expect.objectContaining({ check: 'anchors', ok: false, problem: 'missing' }));
      expect(error(r).code).toBe('TAMPERED');
      expect(error(r).message).toContain("shred: entries 3–3 are missing (the store's chain ends at 2)");
      // Without the anchor file that cut is what it is: nothing in the store itself tells.
      const bare = runCli(['verify', '--db', editedCopy('cut-bare', false, ...CUT_SHRED_END)], PASS);
      expect(bare.code, bare.stdout).toBe(0);
    });

    it('verify --against an export: the store must still hold both chains up to the heads it signed', () => {
      const out = join(tmp.dir, 'ledger.csv');
      const whole = runCli(['verify', '--db', db, '--against', out], PASS);
      expect(whole.code, whole.stdout).toBe(0);
      expect(whole.lines).toContainEqual({ check: 'against', file: out, log: 'shred', ok: true, seq: 3 });
      expect(whole.lines).toContainEqual(expect.objectContaining({ check: 'against', file: out, log: 'audit', ok: true }));
      // The .sig may be named instead of the export.
      expect(runCli(['verify', '--db', db, '--against', `${out}.sig`], PASS).code).toBe(0);

      const r = runCli(['verify', '--db', editedCopy('cut-against', false, ...CUT_SHRED_END), '--against', out], PASS);
      expect(r.code).toBe(1);
      expect(r.lines).toContainEqual({
        check: 'against', file: out, log: 'shred', ok: false, seq: 3, storeSeq: 2, problem: 'missing',
        detail: "shred: entries 3–3 are missing (the store's chain ends at 2)",
      });
      expect(error(r).message).toContain('shred: entries 3–3 are missing');

      // An export of another station proves nothing about this one.
      const forged = join(tmp.dir, 'forged.csv');
      const other = runCli(['verify', '--db', db, '--against', forged], PASS);
      expect(other.code).toBe(1);
      expect(other.lines).toContainEqual({ check: 'against', file: forged, ok: false, reason: 'unexpected-key' });
    });

    it.each([
      ['deleted', 'DELETE FROM shred_ledger WHERE seq = 2'],
      ['back-dated', "UPDATE shred_ledger SET at = '2000-01-01T00:00:00.000Z' WHERE seq = 2"],
    ])('a shred_ledger index row %s: the export still lists the destruction from the chain, verify names the row', (name, sql) => {
      const copy = editedCopy(`index-${name}`, false, sql);
      const out = join(tmp.dir, `index-${name}.csv`);
      const exported = runCli(['ledger-export', '--db', copy, ...period, '--format', 'csv', '--out', out], PASS);
      expect(exported.lines[0]).toMatchObject({ rows: 3 });
      expect(readFileSync(out, 'utf8')).toContain(rows[2].waybill_no);
      const r = runCli(['verify', '--db', copy], PASS);
      expect(r.code).toBe(1);
      expect(r.lines).toContainEqual({
        check: 'projections', ok: false, table: 'shred_ledger', seq: 2,
        detail: 'shred_ledger: the index row of entry 2 is missing or differs from the entry',
      });
    });

    it.each([
      ['shred_batches', 'UPDATE shred_batches SET destroyed_seq = NULL WHERE id = 2', 'batch 2 is not marked destroyed by entry 2'],
      ['shred_batch_items', 'DELETE FROM shred_batch_items WHERE batch_id = 2', `paper ${rows[2].waybill_no} of entry 2 is missing from batch 2`],
    ])('%s edited: verify names the first disagreement', (table, sql, detail) => {
      const r = runCli(['verify', '--db', editedCopy(`proj-${table}`, false, sql)], PASS);
      expect(r.code).toBe(1);
      expect(r.lines).toContainEqual(expect.objectContaining({ check: 'projections', ok: false, table, detail: `${table}: ${detail}` }));
    });
  });
});
