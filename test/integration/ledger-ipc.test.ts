// The shred ledger through the real router: the witness on the spot, sign-off
// with step-up, supervisor-only signed exports (PDF with the CJK font, CSV
// with a BOM) of the ledger and of the audit log, with no recipient data.
// Page 1 of the ledger PDF goes to test-results/artifacts/ledger-page1.png.
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyExport } from '../../main/chain/export-signature';
import { parsePhone } from '../../shared/phone';
import type { AuditEntry, ChannelInput } from '../../shared/ipc/contract';
import type { BatchScanResult, LedgerEntry, ShredBatch, ShredDestruction, SignedExport } from '../../shared/ipc/ledger';
import { PIN, startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';
import { codeWords, pdfText } from '../helpers/pdf-text';
import { enOversight } from '../../shared/i18n/en-oversight';
import { zhOversight } from '../../shared/i18n/zh-oversight';

const ARTIFACTS = resolve(__dirname, '../../test-results/artifacts');
const STAFF = [
  { username: 'clerk1', role: 'clerk' as const },
  { username: 'clerk2', role: 'clerk' as const },
  { username: 'audit1', role: 'auditor' as const },
  { username: 'boss2', role: 'supervisor' as const },
];
const rows = fixtureRows('manifest-small.csv');
const DAY = { from: '2026-11-25', to: '2026-11-25' };

let t: TestApp;
const tmp = tempDir();

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: { code: string } }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${r.error?.code}`);
  return r.value as T;
}
async function failure(p: Promise<{ ok: boolean; error?: { code: string } }>): Promise<string> {
  const r = await p;
  return r.ok ? 'ok' : r.error!.code;
}

const witness = (username: string, pin = PIN) => ({ username, pin, totp: t.code(username) });

/** Every recipient name, phone (as written and as digits) and address street of the imported manifest. */
function expectNoRecipientData(text: string, what: string): void {
  for (const r of rows) {
    expect(text, `${what}: name`).not.toContain(r.recipient_name);
    expect(text, `${what}: phone`).not.toContain(r.recipient_phone);
    expect(text, `${what}: phone digits`).not.toContain(parsePhone(r.recipient_phone)!.digits);
    expect(text, `${what}: address`).not.toContain(r.recipient_address.slice(-8));
  }
}

let destruction: ShredDestruction;
const scanned = [rows[0].waybill_no, rows[1].waybill_no, rows[2].waybill_no];

afterAll(() => tmp.cleanup());

describe.each(ENGINE_CASES)('shred ledger over IPC (%s)', (_engine, engine) => {
  beforeAll(async () => {
    t = await startApp(tmp.dir, STAFF, { engine });
    await ok(t.call('manifest.import', { fileName: 'manifest-small.csv', bytes: readFixture('manifest-small.csv') }));
    await t.login('clerk1');
    const batch = await ok<ShredBatch>(t.call('ledger.batch.open', {}));
    for (const w of scanned) await ok(t.call('ledger.batch.scan', { batchId: batch.id, waybill: w }));
    const unknown = await ok<BatchScanResult>(t.call('ledger.batch.scan', { batchId: batch.id, waybill: 'JT9000000000001' }));
    expect(unknown.custody).toBe('unknown');
    expect(await failure(t.call('ledger.batch.scan', { batchId: batch.id, waybill: rows[0].waybill_no }))).toBe('DUPLICATE_SCAN');
    await ok(t.call('ledger.batch.addCount', { batchId: batch.id, count: 5, note: '条码破损 barcode torn' }));

    const destroy = (w: ChannelInput<'ledger.destroy'>['witness']) =>
      t.call('ledger.destroy', { batchId: batch.id, method: 'shredder', deviceId: 'CC-01', witness: w });
    expect(await failure(destroy(witness('clerk1')))).toBe('WITNESS_IS_OPERATOR');
    expect(await failure(destroy(witness('audit1')))).toBe('WITNESS_NOT_ALLOWED');
    // (The accounts module names the wrong credential, or says only that the check failed.)
    expect(['WRONG_PIN', 'LOGIN_FAILED']).toContain(await failure(destroy(witness('clerk2', '9999'))));
    expect(await failure(t.call('ledger.destroy', { batchId: batch.id, method: 'shredder', witness: witness('clerk2') } as never))).toBe('INVALID_INPUT');
    destruction = await ok<ShredDestruction>(destroy(witness('clerk2')));
  }, 120_000);

  afterAll(() => t.close());

    it('records the destruction with the logged-in operator and the witness who authenticated', () => {
      expect(destruction).toMatchObject({
        operator: { username: 'clerk1' },
        witness: { username: 'clerk2' },
        waybills: scanned,
        unknownWaybills: ['JT9000000000001'],
        counts: [{ sheets: 5 }],
        sheets: 9,
      });
    });

    it('sign-off is a supervisor’s, with a fresh code; a clerk is refused by the router', async () => {
      expect(await failure(t.call('ledger.signoff', { entryId: destruction.id, totp: t.code('clerk1') }))).toBe('FORBIDDEN');
      await t.login('boss2');
      const signed = await ok<ShredDestruction>(t.call('ledger.signoff', { entryId: destruction.id, totp: t.code('boss2') }));
      expect(signed.signoff?.by.username).toBe('boss2');
      const listed = await ok<LedgerEntry[]>(t.call('ledger.list', DAY));
      expect(listed.map((e) => e.id)).toEqual([destruction.id]);
    });

    it('exports are for supervisors only: a clerk and an auditor get FORBIDDEN from the router', async () => {
      for (const who of ['clerk1', 'audit1']) {
        await t.login(who);
        expect(await failure(t.call('ledger.export', { format: 'pdf', ...DAY, totp: t.code(who) }))).toBe('FORBIDDEN');
        expect(await failure(t.call('audit.export', { format: 'csv', ...DAY, totp: t.code(who) }))).toBe('FORBIDDEN');
      }
      await t.login('boss');
      expect(['WRONG_CODE', 'LOGIN_FAILED']).toContain(await failure(t.call('ledger.export', { format: 'pdf', ...DAY, totp: '000000' })));
    });

    it('PDF: Chinese headings, every waybill, the signed chain head, page numbers; page 1 saved as PNG', async () => {
      await t.login('boss');
      t.events.length = 0;
      const file = await ok<SignedExport>(t.call('ledger.export', { format: 'pdf', ...DAY, totp: t.code('boss') }));
      expect(file.fileName).toBe('shred-ledger_2026-11-25_2026-11-25.pdf');
      expect(Buffer.from(file.bytes).subarray(0, 5).toString()).toBe('%PDF-');
      expect(verifyExport(file.bytes, file.signature)).toMatchObject({ ok: true });
      const text = pdfText(file.bytes, join(tmp.dir, 'ledger.pdf'));
      for (const heading of ['纸质面单销毁台账', '测试驿站', '面单号', '操作人', '见证人', '签核', '碎纸机', '链头', '站点公钥指纹']) {
        expect(text).toContain(heading);
      }
      // pdftotext drops the narrow spaces between the Chinese and the digits.
      expect(text).toMatch(/第\s*1\s*页\s*\/\s*共\s*1\s*页/);
      for (const w of [...scanned, 'JT9000000000001']) expect(text).toContain(w);
      expect(text).toContain('条码破损');
      expect(text).toMatch(/原因 Reason: export/);
      // Methods and sign-off in the locale files' words, Chinese and English; no value as its code.
      expect(text).toContain(`${zhOversight.ledger.method.shredder} ${enOversight.ledger.method.shredder}`);
      expect(text).toContain(`${zhOversight.ledger.records.pending} ${enOversight.ledger.records.pending}`);
      expect(codeWords(text)).toEqual([]);
      // For an inspector: printed rows numbered from 1 without gaps beside each entry's own number, signing times
      // in the station's zone with its offset, and lines for the operator's and supervisor's signatures and the stamp.
      const listed = await ok<LedgerEntry[]>(t.call('ledger.list', DAY));
      expect(listed.length).toBeGreaterThan(0);
      const numbered = [...text.matchAll(/^\s*(\d+)\s+#(\d+)\s/gm)].map((m) => [Number(m[1]), Number(m[2])]);
      expect(numbered).toEqual(listed.map((e, i) => [i + 1, e.id]));
      expect(text).toMatch(/签署时间 Signed at: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\+08:00/);
      expect(text).not.toMatch(/Signed at: \S+Z/);
      for (const line of ['操作人签字 Operator', '站长签字 Supervisor', '驿站盖章 Station stamp']) expect(text).toContain(line);
      const signed = verifyExport(file.bytes, file.signature);
      expect(signed.ok && text).toContain(signed.ok && signed.fingerprint);
      // Both chains' heads are printed, not only the ledger's.
      expect(text).toMatch(/日志 Log: shred/);
      expect(text).toMatch(/日志 Log: audit/);
      expectNoRecipientData(text, 'ledger pdf text');
      expectNoRecipientData(Buffer.from(file.bytes).toString('latin1'), 'ledger pdf bytes');
      expect(execFileSync('pdffonts', [join(tmp.dir, 'ledger.pdf')], { encoding: 'utf8' })).toMatch(/NotoSansHans-Medium\s+CID Type 0C\s+Identity-H\s+yes yes yes/);

      mkdirSync(ARTIFACTS, { recursive: true });
      execFileSync('pdftoppm', ['-png', '-r', '80', '-f', '1', '-l', '1', '-singlefile', join(tmp.dir, 'ledger.pdf'), join(tmp.dir, 'page1')]);
      copyFileSync(join(tmp.dir, 'page1.png'), join(ARTIFACTS, 'ledger-page1.png'));

      expect(t.events.filter((e) => e.event === 'ledger.export.progress').at(-1)?.payload).toEqual({ kind: 'ledger', format: 'pdf', done: 1, total: 1 });
      const audit = await ok<AuditEntry[]>(t.call('audit.list', { action: 'export' }));
      expect(audit[0]).toMatchObject({ username: 'boss', detail: { what: 'shred-ledger', format: 'pdf', rows: 1 } });
    });

    it('CSV: UTF-8 with a BOM, the same rows, a detached signature that an edit breaks', async () => {
      const file = await ok<SignedExport>(t.call('ledger.export', { format: 'csv', ...DAY, totp: t.code('boss') }));
      const bytes = Buffer.from(file.bytes);
      expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const csv = bytes.subarray(3).toString('utf8');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toContain('面单号 / 张数 Waybills / count');
      expect(lines).toHaveLength(3);
      // The last line: the key and both chains' heads, as signed in the .sig.
      const signed = verifyExport(file.bytes, file.signature);
      if (!signed.ok) throw new Error(signed.reason);
      expect(lines[2]).toBe(
        `# 签名 signed-by-key=${signed.fingerprint.replace(/ /g, '')}; shred-head=${signed.heads.shred.seq}:${signed.heads.shred.hash}; audit-head=${signed.heads.audit.seq}:${signed.heads.audit.hash}`,
      );
      for (const w of scanned) expect(csv).toContain(w);
      expect(csv).toContain('boss2');
      expectNoRecipientData(csv, 'ledger csv');
      expect(verifyExport(file.bytes, file.signature)).toMatchObject({ ok: true });
      const edited = Buffer.from(csv.replace('CC-01', 'CC-07'));
      expect(verifyExport(new Uint8Array(Buffer.concat([bytes.subarray(0, 3), edited])), file.signature)).toMatchObject({ ok: false });
    });

    it('audit log export: the same machinery, signed, its own export audited first, no recipient data', async () => {
      const pdf = await ok<SignedExport>(t.call('audit.export', { format: 'pdf', ...DAY, totp: t.code('boss') }));
      expect(pdf.fileName).toBe('audit-log_2026-11-25_2026-11-25.pdf');
      const text = pdfText(pdf.bytes, join(tmp.dir, 'audit.pdf'));
      for (const heading of ['审计日志', '人员', '角色', '目的', '工作站', 'manifest.import', 'ledger.record']) expect(text).toContain(heading);
      expect(text).toMatch(/第\s*2\s*页\s*\/\s*共\s*2\s*页/);
      expectNoRecipientData(text, 'audit pdf');
      const csv = await ok<SignedExport>(t.call('audit.export', { format: 'csv', ...DAY, action: 'export', totp: t.code('boss') }));
      const body = Buffer.from(csv.bytes).toString('utf8');
      expect(body.startsWith('\uFEFF')).toBe(true);
      expect(body).toContain('shred-ledger');
      expectNoRecipientData(body, 'audit csv');
      expect(verifyExport(csv.bytes, csv.signature)).toMatchObject({ ok: true });
    });

    it('outstanding report and its setting over IPC', async () => {
      await t.login('clerk1');
      expect(await ok(t.call('ledger.outstanding', {}))).toEqual({ days: 7, count: 0, total: 0, papers: [] });
      expect(await failure(t.call('ledger.settings', { outstandingDays: 30, totp: t.code('clerk1') }))).toBe('FORBIDDEN');
      await t.login('boss');
      expect(await failure(t.call('ledger.settings', { outstandingDays: 91, totp: t.code('boss') }))).toBe('INVALID_INPUT');
      expect(await ok(t.call('ledger.settings', { outstandingDays: 30, totp: t.code('boss') }))).toEqual({ outstandingDays: 30 });
    });
});
