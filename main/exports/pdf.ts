// A table as a paginated PDF (A4 landscape, pdfkit) with the shipped CJK font
// embedded: title, facts and totals on the first page, the column headings
// repeated on every page, a row too tall for what is left of a page carried
// on to the next, and at the end the chain heads with their SM2 signatures and
// the station's key fingerprint, so a printout can be checked against the
// store. Every page carries "第 x 页 / 共 y 页".
//
// Pages are planned before anything is drawn (all text is measured with the
// font's own advance widths), so the page count is known up front and each
// page is written out as soon as it is done instead of being held in memory
// (`bufferPages`) until the end: a 10 000-row ledger is ~300 pages.
import PDFDocument from 'pdfkit';
import type { Checkpoint } from '../chain/chain-log';
import { toHex } from '../chain/hash';
import { exportFont, type ExportFont } from './pdf-font';
import { localTimeWithOffset } from './format';
import type { ExportTable } from './table';

const PAGE_W = 841.89; // A4 landscape, points
const PAGE_H = 595.28;
const MARGIN = 32;
const CONTENT_W = PAGE_W - 2 * MARGIN;
const BOTTOM = PAGE_H - MARGIN;
const SIZE = 7.5;
const LINE = 9.6;
const PAD_X = 3;
const PAD_Y = 2.4;
const TITLE_SIZE = 14;
const FACT_SIZE = 8.5;
const FACT_LINE = 12;
const HEAD_SIZE = 7;
const SEAL_GAP = 8;
const SEAL_HEAD = 12;
const SIGN_GAP = 18;
const SIGN_LINE = 28;
const PROGRESS_EVERY = 250;
const FONT = 'export-cjk';
/** pdfkit's text options: no line wrapping (rows are laid out here), and no shaping features. */
const PLAIN: PDFKit.Mixins.TextOptions = { lineBreak: false, features: [] };

export interface PdfOptions {
  /** Rows drawn so far, for a progress bar; the renderer yields to the event loop between calls. */
  onProgress?: (done: number, total: number) => void;
  now?: Date;
}

// Break after spaces, commas and semicolons, and between any two CJK characters.
const TOKEN = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef][\s]*|[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef,;]+[,;]?\s*|[,;]\s*|\s+/g;

/** Greedy line breaking at `size` within `width` points; a token wider than a line is cut by character. */
export function wrap(text: string, width: number, size: number, font: ExportFont): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    let line = '';
    let lineW = 0;
    for (const token of paragraph.match(TOKEN) ?? []) {
      const visible = token.trimEnd();
      const w = font.widthOf(token, size);
      // Trailing spaces may hang past the edge.
      const inkW = w - font.widthOf(token.slice(visible.length), size);
      if (lineW + inkW <= width) {
        line += token;
        lineW += w;
        continue;
      }
      if (line) lines.push(line.trimEnd());
      line = '';
      lineW = 0;
      if (!visible) continue;
      if (inkW <= width) {
        line = token;
        lineW = w;
        continue;
      }
      for (const ch of visible) {
        const cw = font.widthOf(ch, size);
        if (lineW + cw > width && line) {
          lines.push(line);
          line = '';
          lineW = 0;
        }
        line += ch;
        lineW += cw;
      }
    }
    lines.push(line.trimEnd());
  }
  return lines;
}

interface Slice {
  row: number;
  from: number;
  to: number;
}

interface PagePlan {
  slices: Slice[];
  seal: boolean;
}

function sealLines(seals: readonly Checkpoint[], font: ExportFont, timeZone: string | undefined): string[] {
  const fp = seals[0].fingerprint;
  return [
    ...seals.flatMap((seal) => [
      `日志 Log: ${seal.log} · 序号 Seq: ${seal.seq} · 签署时间 Signed at: ${timeZone ? localTimeWithOffset(seal.createdAt, timeZone) : seal.createdAt} · 原因 Reason: ${seal.reason}`,
      `链头 Chain head (SM3): ${toHex(seal.headHash)}`,
      `SM2 签名 Signature (DER, hex): ${seal.signature}`,
    ]),
    `站点公钥指纹 Station public key fingerprint: ${fp}`,
    `随附 .sig 签名文件，可离线校验 / A detached .sig file comes with this file; check it offline: verify-export FILE --fingerprint "${fp}"`,
  ].flatMap((l) => wrap(l, CONTENT_W, SIZE, font));
}

/** The table with a first column numbering its rows as printed. */
function numberRows(table: ExportTable, header: string): ExportTable {
  return { ...table, columns: [{ header, width: 2.5 }, ...table.columns], rows: table.rows.map((r, i) => [String(i + 1), ...r]) };
}

/** `seals`: the checkpoints the export vouches for, the one it is about first. */
export async function tableToPdf(given: ExportTable, seals: readonly Checkpoint[], opts: PdfOptions = {}): Promise<Uint8Array> {
  const table = given.numbered ? numberRows(given, given.numbered) : given;
  const font = exportFont();
  const totalWidth = table.columns.reduce((s, c) => s + c.width, 0);
  const widths = table.columns.map((c) => (c.width / totalWidth) * CONTENT_W);
  const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((s, w) => s + w, 0));
  // A tab inside a cell would jump to the next column (see pdf-font.ts).
  const cellLines = (cells: readonly string[]) => cells.map((c, i) => wrap(c.replace(/\t/g, ' '), widths[i] - 2 * PAD_X, SIZE, font));
  const height = (lines: number) => lines * LINE + 2 * PAD_Y;

  const header = cellLines(table.columns.map((c) => c.header));
  const headerH = height(Math.max(...header.map((l) => l.length)));
  const factLines = table.facts.map(([k, v]) => `${k}：${v}`);
  const totalsLines = wrap(`合计 Totals：${table.totals.map(([k, v]) => `${k} ${v}`).join('；')}`, CONTENT_W, FACT_SIZE, font);
  const introH = TITLE_SIZE + 10 + (factLines.length + totalsLines.length) * FACT_LINE + 8;
  const sealText = sealLines(seals, font, table.timeZone);
  const signLines = table.signLines ?? [];
  const sealH = SEAL_GAP + SEAL_HEAD + sealText.length * LINE + (signLines.length ? SIGN_GAP + SIGN_LINE : 0);
  const rows = table.rows.map(cellLines);
  const rowLines = rows.map((cells) => Math.max(1, ...cells.map((l) => l.length)));

  // Plan: which line ranges of which rows go on which page.
  const pages: PagePlan[] = [{ slices: [], seal: false }];
  const top = (page: number) => MARGIN + (page === 0 ? introH : 12) + headerH;
  let y = top(0);
  const newPage = () => {
    pages.push({ slices: [], seal: false });
    y = top(pages.length - 1);
  };
  rowLines.forEach((lines, row) => {
    if (y + height(lines) > BOTTOM && height(lines) <= BOTTOM - top(1)) newPage();
    for (let from = 0; from < lines; ) {
      const room = Math.floor((BOTTOM - y - 2 * PAD_Y) / LINE);
      // Fewer than two lines left: start the row on the next page rather than strand a line.
      if (room < Math.min(2, lines - from)) {
        newPage();
        continue;
      }
      const to = Math.min(lines, from + room);
      pages[pages.length - 1].slices.push({ row, from, to });
      y += height(to - from);
      from = to;
    }
  });
  if (y + sealH > BOTTOM) newPage();
  pages[pages.length - 1].seal = true;

  const doc = new PDFDocument({
    size: [PAGE_W, PAGE_H],
    margin: 0,
    autoFirstPage: false,
    info: { Title: table.title, Producer: 'privacy-counter', CreationDate: opts.now ?? new Date() },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  doc.registerFont(FONT, font.withTabStops(xs.slice(1).map((x) => x - xs[0]), SIZE) as unknown as Uint8Array);

  const text = (s: string, x: number, at: number, size = SIZE) => {
    if (s) doc.fontSize(size).text(s, x, at, PLAIN);
  };
  /** Lines from..to of a row, each line of every cell in one text() call, the cells tab-separated. */
  const drawRowLines = (cells: string[][], from: number, to: number, at: number) => {
    for (let l = from; l < to; l++) {
      const line = cells.map((c) => c[l] ?? '');
      // A row carried over from the page before says whose it is.
      if (l === from && from > 0 && !line[0]) line[0] = `${cells[0][0]} 续`;
      text(line.join('\t').replace(/\t+$/, ''), xs[0] + PAD_X, at + PAD_Y + (l - from) * LINE);
    }
  };

  let drawn = 0;
  for (let p = 0; p < pages.length; p++) {
    doc.addPage({ size: [PAGE_W, PAGE_H], margin: 0 });
    doc.font(FONT).fillColor('#000');
    y = MARGIN;
    if (p === 0) {
      text(table.title, MARGIN, y, TITLE_SIZE);
      y += TITLE_SIZE + 10;
      for (const line of [...factLines, ...totalsLines]) {
        text(line, MARGIN, y, FACT_SIZE);
        y += FACT_LINE;
      }
      y += 8;
    } else {
      doc.fillColor('#555');
      text(table.title, MARGIN, y, HEAD_SIZE);
      doc.fillColor('#000');
      y += 12;
    }
    doc.rect(MARGIN, y, CONTENT_W, headerH).fill('#e6e6e6');
    doc.fillColor('#000');
    drawRowLines(header, 0, Math.max(...header.map((l) => l.length)), y);
    y += headerH;
    const rules: number[] = [y];
    for (const s of pages[p].slices) {
      drawRowLines(rows[s.row], s.from, s.to, y);
      y += height(s.to - s.from);
      rules.push(y);
      if (s.to === rowLines[s.row] && ++drawn % PROGRESS_EVERY === 0) {
        opts.onProgress?.(drawn, rows.length);
        await new Promise((resolve) => setImmediate(resolve));
      }
    }
    doc.lineWidth(0.3).strokeColor('#999');
    for (const r of rules) doc.moveTo(MARGIN, r).lineTo(MARGIN + CONTENT_W, r);
    doc.stroke();
    if (pages[p].seal) {
      y += SEAL_GAP;
      text('链头与签名 Chain heads and signatures', MARGIN, y, FACT_SIZE);
      y += SEAL_HEAD;
      for (const line of sealText) {
        text(line, MARGIN, y);
        y += LINE;
      }
      if (signLines.length) {
        // Side by side, each a label over a rule to sign or stamp on.
        y += SIGN_GAP;
        const w = CONTENT_W / signLines.length;
        signLines.forEach((label, i) => {
          const x = MARGIN + i * w;
          text(label, x, y + SIGN_LINE - FACT_LINE, FACT_SIZE);
          doc.moveTo(x + font.widthOf(label, FACT_SIZE) + 6, y + SIGN_LINE).lineTo(x + w - 24, y + SIGN_LINE);
        });
        doc.lineWidth(0.6).strokeColor('#000').stroke();
      }
    }
    const folio = `第 ${p + 1} 页 / 共 ${pages.length} 页`;
    doc.fillColor('#333');
    text(folio, (PAGE_W - font.widthOf(folio, HEAD_SIZE)) / 2, BOTTOM + 10, HEAD_SIZE);
  }
  opts.onProgress?.(rows.length, rows.length);
  doc.end();
  return done;
}
