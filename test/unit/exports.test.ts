// The export machinery on its own: CSV for Excel, line breaking, and a PDF
// that paginates, carries a row taller than a page over, numbers its pages
// and reports progress.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Checkpoint } from '../../main/chain/chain-log';
import { tableToCsv } from '../../main/exports/csv';
import { tableToPdf, wrap } from '../../main/exports/pdf';
import { exportFont } from '../../main/exports/pdf-font';
import type { ExportTable } from '../../main/exports/table';

const table = (rows: string[][]): ExportTable => ({
  fileStem: 'test',
  title: '测试导出 Test export',
  facts: [['驿站 Station', '测试驿站']],
  totals: [['全部 All', String(rows.length)]],
  columns: [
    { header: '编号 No.', width: 1 },
    { header: '面单号 Waybills', width: 4 },
    { header: '备注 Notes', width: 2 },
  ],
  rows,
});

const seal: Checkpoint = {
  log: 'shred',
  seq: 7,
  headHash: new Uint8Array(32).fill(0xab),
  createdAt: '2026-11-25T01:00:00.000Z',
  reason: 'export',
  every: 1000,
  prevSeq: 0,
  prevDigest: new Uint8Array(32),
  fingerprint: 'abcd '.repeat(15) + 'abcd',
  signature: '30'.repeat(70),
};

function pdfInfo(bytes: Uint8Array): { pages: number; text: string } {
  const dir = mkdtempSync(join(tmpdir(), 'pc-export-'));
  try {
    const file = join(dir, 'x.pdf');
    writeFileSync(file, bytes);
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    return { pages: Number(/Pages:\s+(\d+)/.exec(info)![1]), text: execFileSync('pdftotext', [file, '-'], { encoding: 'utf8', maxBuffer: 1 << 26 }) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('CSV', () => {
  it('starts with a BOM, quotes what needs quoting, ends lines with CRLF, and keeps formulas as text', () => {
    const bytes = tableToCsv(table([['1', 'SF1, SF2', '他说 "湿了"\n两张'], ['2', '=HYPERLINK("x")', '-3'], ['3', '@SUM(A1)', '+86']]));
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(Buffer.from(bytes.subarray(3)).toString('utf8')).toBe(
      '编号 No.,面单号 Waybills,备注 Notes\r\n' +
        '1,"SF1, SF2","他说 ""湿了""\n两张"\r\n' +
        `2,"'=HYPERLINK(""x"")",'-3\r\n` +
        "3,'@SUM(A1),'+86\r\n",
    );
  });
});

describe('line breaking', () => {
  const font = exportFont();
  it('breaks after commas and between Chinese characters, within the width, losing nothing', () => {
    const text = 'SF1000000000001, SF1000000000002, SF1000000000003 雨淋后条码无法识别，共十二张';
    const lines = wrap(text, 80, 7.5, font);
    expect(lines.length).toBeGreaterThan(2);
    for (const l of lines) expect(font.widthOf(l, 7.5)).toBeLessThanOrEqual(80);
    expect(lines.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
    expect(lines[0]).toBe('SF1000000000001,');
  });

  it('cuts a token wider than the line, and keeps explicit line breaks', () => {
    expect(wrap('X'.repeat(40), 30, 7.5, font).every((l) => font.widthOf(l, 7.5) <= 30)).toBe(true);
    expect(wrap('一\n\n二', 100, 7.5, font)).toEqual(['一', '', '二']);
  });
});

describe('PDF', () => {
  it('paginates hundreds of rows, numbers every page, reports progress and ends with the chain head', async () => {
    const rows = Array.from({ length: 700 }, (_, i) => [String(i + 1), `SF${1_000_000_000_000 + i}`, i % 50 === 0 ? '多行备注\n第二行\n第三行' : '']);
    const progress: number[] = [];
    const bytes = await tableToPdf(table(rows), [seal], { onProgress: (done) => progress.push(done) });
    const { pages, text } = pdfInfo(bytes);
    expect(pages).toBeGreaterThan(10);
    expect(text.replace(/\s/g, '')).toContain(`第${pages}页/共${pages}页`);
    expect(text.match(/面单号 Waybills/g)).toHaveLength(pages);
    for (const r of rows) expect(text).toContain(r[1]);
    expect(text).toContain('ab'.repeat(32));
    expect(progress.length).toBeGreaterThan(2);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(progress.at(-1)).toBe(700);
  });

  it('carries a row taller than a page over to the next pages without losing a waybill', async () => {
    const waybills = Array.from({ length: 1500 }, (_, i) => `YT${2_000_000_000_000 + i}`);
    const bytes = await tableToPdf(table([['1', waybills.join(', '), '一整袋'], ['2', 'JT0000000000001', '']]), [seal]);
    const { pages, text } = pdfInfo(bytes);
    expect(pages).toBeGreaterThan(2);
    for (const w of waybills) expect(text).toContain(w);
    expect(text).toContain('JT0000000000001');
  });
});
