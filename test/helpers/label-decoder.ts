// A printer simulator for tests: parses the TSPL and ESC/POS our encoders
// write back into the image a printer would print, so tests assert on what
// comes out of the printer. It draws symbols with bwip-js (not our Code 128),
// text with the shipped font in the printer's cell metrics, and raster images
// bit for bit; ZXing then reads the symbols off the image.
import { loadImage, type Canvas } from '@napi-rs/canvas';
import bwipjs from 'bwip-js/node';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import { barRects, itemBox, layoutItems, mmToDots, moduleRects, type LabelLayout, type Rect } from '../../main/labels/layout';
import { blankCanvas, fillRects, paintText } from '../../main/labels/raster';
import { TSPL_FONT } from '../../main/labels/tspl';

export interface DecodedLabel {
  canvas: Canvas;
  /** Every text the printer was asked to print, decoded from GB18030. */
  texts: string[];
}

type Op =
  | { kind: 'text'; x: number; y: number; scale: number; text: string }
  | { kind: 'rects'; rects: Rect[] }
  | { kind: 'bitmap'; x: number; y: number; bytesPerRow: number; height: number; bits: Uint8Array; setIsBlack: boolean };

function code128Rects(data: string, x: number, y: number, module: number, height: number): Rect[] {
  const [symbol] = bwipjs.raw('code128', data, '');
  if (!('sbs' in symbol)) throw new Error('bwip-js: no Code 128 bars');
  return barRects(x, y, symbol.sbs, module, height);
}

function qrRects(data: string, ecc: string, x: number, y: number, cell: number): { rects: Rect[]; side: number } {
  const [symbol] = bwipjs.raw('qrcode', data, `eclevel=${ecc}`);
  if (!('pixs' in symbol)) throw new Error('bwip-js: no QR modules');
  return { rects: moduleRects(x, y, symbol.pixx, symbol.pixs, cell), side: symbol.pixx * cell };
}

function paint(width: number, height: number, ops: Op[]): DecodedLabel {
  const { canvas, ctx } = blankCanvas(width, height);
  const texts: string[] = [];
  for (const op of ops) {
    if (op.kind === 'text') {
      paintText(ctx, op);
      texts.push(op.text);
    } else if (op.kind === 'rects') {
      fillRects(ctx, op.rects);
    } else {
      for (let r = 0; r < op.height; r++) {
        for (let c = 0; c < op.bytesPerRow * 8; c++) {
          const set = (op.bits[r * op.bytesPerRow + (c >> 3)] & (0x80 >> (c & 7))) !== 0;
          if (set === op.setIsBlack) ctx.fillRect(op.x + c, op.y + r, 1, 1);
        }
      }
    }
  }
  return { canvas, texts };
}

// ---------------------------------------------------------------- TSPL

const latin1 = (b: Uint8Array): string => Buffer.from(b).toString('latin1');

/** Splits `a,b,"c,d"` into fields; quoted fields keep their raw bytes. */
function fields(line: Uint8Array): (string | Uint8Array)[] {
  const out: (string | Uint8Array)[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === 0x22) {
      let end = i + 1;
      // \["] is a quote inside the string
      while (end < line.length && line[end] !== 0x22) end += latin1(line.subarray(end, end + 4)) === '\\["]' ? 4 : 1;
      if (end >= line.length) throw new Error('TSPL: unterminated string');
      out.push(line.subarray(i + 1, end));
      i = end + 2;
    } else {
      let end = line.indexOf(0x2c, i);
      if (end < 0) end = line.length;
      out.push(latin1(line.subarray(i, end)).trim());
      i = end + 1;
    }
  }
  return out;
}

const str = (f: string | Uint8Array): string =>
  typeof f === 'string' ? f : iconv.decode(Buffer.from(f), 'gb18030').replaceAll('\\["]', '"');
const num = (f: string | Uint8Array): number => {
  const n = Number(str(f));
  if (!Number.isFinite(n)) throw new Error(`TSPL: not a number: ${str(f)}`);
  return n;
};
const mmDots = (f: string | Uint8Array, dpi: number): number => Math.round((num(str(f).replace(/\s*mm$/, '')) * dpi) / 25.4);

/** A TSPL job as a `dpi` printer would print it. Throws on anything it does not know. */
export function decodeTspl(bytes: Uint8Array, dpi: number): DecodedLabel {
  let width = 0;
  let height = 0;
  let printed = false;
  const ops: Op[] = [];
  let i = 0;
  while (i < bytes.length) {
    const space = bytes.indexOf(0x20, i);
    const eol = bytes.indexOf(0x0d, i);
    const wordEnd = space >= 0 && space < eol ? space : eol;
    const word = latin1(bytes.subarray(i, wordEnd));
    if (word === 'BITMAP') {
      // Five numbers, then width × height bytes of image, then CRLF.
      let at = wordEnd + 1;
      const nums: number[] = [];
      while (nums.length < 5) {
        const comma = bytes.indexOf(0x2c, at);
        nums.push(Number(latin1(bytes.subarray(at, comma))));
        at = comma + 1;
      }
      const [x, y, bytesPerRow, rows] = nums;
      ops.push({ kind: 'bitmap', x, y, bytesPerRow, height: rows, bits: bytes.subarray(at, at + bytesPerRow * rows), setIsBlack: false });
      i = at + bytesPerRow * rows + 2;
      continue;
    }
    const f = fields(bytes.subarray(wordEnd + 1, eol));
    switch (word) {
      case 'SIZE':
        width = mmDots(f[0], dpi);
        height = mmDots(f[1], dpi);
        break;
      case 'GAP':
      case 'CLS':
        break;
      case 'TEXT': {
        if (str(f[2]) !== TSPL_FONT || num(f[3]) !== 0 || num(f[4]) !== num(f[5])) throw new Error('TSPL: unexpected TEXT font');
        ops.push({ kind: 'text', x: num(f[0]), y: num(f[1]), scale: num(f[4]), text: str(f[6]) });
        break;
      }
      case 'BARCODE':
        if (str(f[2]) !== '128' || num(f[4]) !== 0) throw new Error('TSPL: unexpected BARCODE type');
        ops.push({ kind: 'rects', rects: code128Rects(str(f[8]), num(f[0]), num(f[1]), num(f[6]), num(f[3])) });
        break;
      case 'QRCODE':
        ops.push({ kind: 'rects', rects: qrRects(str(f[6]), str(f[2]), num(f[0]), num(f[1]), num(f[3])).rects });
        break;
      case 'PRINT':
        printed = num(f[0]) === 1;
        break;
      default:
        throw new Error(`TSPL: unknown command ${JSON.stringify(word)}`);
    }
    if (bytes[eol + 1] !== 0x0a) throw new Error('TSPL: lines end in CRLF');
    i = eol + 2;
  }
  if (!width || !height || !printed) throw new Error('TSPL: no SIZE or no PRINT 1');
  return paint(width, height, ops);
}

// ---------------------------------------------------------------- ESC/POS

/** Code 128 data of GS k m=73 back to text: {B… takes characters, {C… one byte per digit pair. */
function code128Data(data: Uint8Array): string {
  let set = '';
  let out = '';
  for (let i = 0; i < data.length; i++) {
    if (data[i] === 0x7b) {
      if (data[i + 1] !== 0x7b) {
        set = String.fromCharCode(data[++i]);
        continue;
      }
      i++; // {{ is a literal brace
    }
    if (set === 'C') out += String(data[i]).padStart(2, '0');
    else if (set === 'B') out += String.fromCharCode(data[i]);
    else throw new Error('ESC/POS: Code 128 data must start with a code set');
  }
  return out;
}

/**
 * An ESC/POS job on a `width`-dot receipt printer in standard mode. A line
 * feed advances by its tallest character (line spacing 0); ESC J feeds dots.
 */
export function decodeEscPos(bytes: Uint8Array, width: number): DecodedLabel {
  const ops: Op[] = [];
  let y = 0;
  let margin = 0;
  let lineSpacing = 30;
  let scale = 1;
  let chinese = false;
  let barcode = { height: 162, module: 3 };
  let qr = { cell: 3, ecc: 'M', data: '' };
  let line: { x: number; scale: number; bytes: number[] }[] = [];
  let cut = false;

  const printLine = () => {
    const h = Math.max(0, ...line.map((r) => 24 * r.scale));
    for (const r of line) {
      const text = chinese ? iconv.decode(Buffer.from(r.bytes), 'gb18030') : latin1(Uint8Array.from(r.bytes));
      ops.push({ kind: 'text', x: margin + r.x, y: y + h - 24 * r.scale, scale: r.scale, text });
    }
    y += Math.max(h, lineSpacing);
    line = [];
  };

  let i = 0;
  const u16 = (at: number) => bytes[at] | (bytes[at + 1] << 8);
  while (i < bytes.length && !cut) {
    const b = bytes[i];
    const [c1, c2] = [bytes[i + 1], bytes[i + 2]];
    if (b === 0x1b && c1 === 0x40) {
      [margin, lineSpacing, scale, chinese, line] = [0, 30, 1, false, []];
      i += 2;
    } else if (b === 0x1c && (c1 === 0x26 || c1 === 0x2e)) {
      chinese = c1 === 0x26;
      i += 2;
    } else if (b === 0x1b && c1 === 0x33) {
      lineSpacing = c2;
      i += 3;
    } else if (b === 0x1d && c1 === 0x21) {
      if ((c2 >> 4) !== (c2 & 7)) throw new Error('ESC/POS: unequal width and height multipliers');
      scale = (c2 & 7) + 1;
      i += 3;
    } else if (b === 0x1d && c1 === 0x4c) {
      margin = u16(i + 2);
      i += 4;
    } else if (b === 0x1b && c1 === 0x24) {
      line.push({ x: u16(i + 2), scale, bytes: [] });
      i += 4;
    } else if (b === 0x1b && c1 === 0x4a) {
      if (line.length) throw new Error('ESC/POS: ESC J with text pending is not simulated');
      y += c2;
      i += 3;
    } else if (b === 0x0a) {
      printLine();
      i += 1;
    } else if (b === 0x1d && c1 === 0x68) {
      barcode = { ...barcode, height: c2 };
      i += 3;
    } else if (b === 0x1d && c1 === 0x77) {
      barcode = { ...barcode, module: c2 };
      i += 3;
    } else if (b === 0x1d && c1 === 0x48) {
      if (c2 !== 0) throw new Error('ESC/POS: HRI text is not simulated');
      i += 3;
    } else if (b === 0x1d && c1 === 0x6b) {
      if (c2 !== 73) throw new Error('ESC/POS: only GS k function B CODE128');
      const n = bytes[i + 3];
      const data = code128Data(bytes.subarray(i + 4, i + 4 + n));
      ops.push({ kind: 'rects', rects: code128Rects(data, margin, y, barcode.module, barcode.height) });
      y += barcode.height;
      i += 4 + n;
    } else if (b === 0x1d && c1 === 0x28 && c2 === 0x6b) {
      const len = u16(i + 3);
      const [cn, fn] = [bytes[i + 5], bytes[i + 6]];
      const params = bytes.subarray(i + 7, i + 5 + len);
      if (cn !== 0x31) throw new Error('ESC/POS: GS ( k other than QR');
      if (fn === 0x43) qr = { ...qr, cell: params[0] };
      else if (fn === 0x45) qr = { ...qr, ecc: 'LMQH'[params[0] - 48] };
      else if (fn === 0x50) qr = { ...qr, data: iconv.decode(Buffer.from(params.subarray(1)), 'gb18030') };
      else if (fn === 0x51) {
        const { rects, side } = qrRects(qr.data, qr.ecc, margin, y, qr.cell);
        ops.push({ kind: 'rects', rects });
        y += side;
      } else if (fn !== 0x41) throw new Error(`ESC/POS: QR function ${fn}`);
      i += 5 + len;
    } else if (b === 0x1d && c1 === 0x76 && c2 === 0x30) {
      const [bytesPerRow, rows] = [u16(i + 4), u16(i + 6)];
      const bits = bytes.subarray(i + 8, i + 8 + bytesPerRow * rows);
      ops.push({ kind: 'bitmap', x: margin, y, bytesPerRow, height: rows, bits, setIsBlack: true });
      y += rows;
      i += 8 + bytesPerRow * rows;
    } else if (b === 0x1d && c1 === 0x56) {
      cut = true;
      i += c2 === 0x41 || c2 === 0x42 ? 4 : 3;
    } else if (b >= 0x20) {
      if (!line.length) line.push({ x: 0, scale, bytes: [] });
      line[line.length - 1].bytes.push(b);
      i += 1;
    } else {
      throw new Error(`ESC/POS: unknown byte 0x${b.toString(16)} at ${i}`);
    }
  }
  if (!cut || i !== bytes.length) throw new Error('ESC/POS: the job must end with one cut');
  return paint(width, y, ops);
}

// ---------------------------------------------------------------- reading symbols

let zxingReady = false;
function zxing(): void {
  if (zxingReady) return;
  // The wasm ships in the package: load it from disk, not from a CDN.
  const wasm = readFileSync(createRequire(__filename).resolve('zxing-wasm/reader/zxing_reader.wasm'));
  prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) } });
  zxingReady = true;
}

export interface ReadSymbol {
  format: string;
  text: string;
}

/** Code 128 and QR symbols ZXing finds on the image. */
export async function readSymbols(canvas: Canvas): Promise<ReadSymbol[]> {
  zxing();
  const image = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height);
  const found = await readBarcodes(image as unknown as ImageData, { formats: ['Code128', 'QRCode'], tryHarder: true, maxNumberOfSymbols: 4 });
  return found.filter((r) => r.isValid).map((r) => ({ format: r.format, text: r.text }));
}

/** A PNG (the preview, or a PDF page from pdftoppm) onto a canvas. */
export async function pngCanvas(png: Uint8Array): Promise<Canvas> {
  const img = await loadImage(Buffer.from(png));
  const { canvas, ctx } = blankCanvas(img.width, img.height);
  ctx.drawImage(img, 0, 0);
  return canvas;
}

// ---------------------------------------------------------------- layout checks

const overlap = (a: Rect, b: Rect): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

/** What would be cut off or printed over: items outside the 1 mm margin, or on top of each other. */
export function layoutProblems(layout: LabelLayout): string[] {
  const margin = mmToDots(1, layout.dpi);
  const boxes = layoutItems(layout).map((item) => {
    const { width, height } = itemBox(item);
    return { name: item.kind === 'text' ? JSON.stringify(item.text) : item.kind, x: item.x, y: item.y, w: width, h: height };
  });
  const problems: string[] = [];
  for (const b of boxes) {
    if (b.x < margin || b.y < margin || b.x + b.w > layout.width - margin || b.y + b.h > layout.height - margin) {
      problems.push(`${b.name} outside the label`);
    }
  }
  boxes.forEach((a, i) => boxes.slice(i + 1).forEach((b) => overlap(a, b) && problems.push(`${a.name} overlaps ${b.name}`)));
  return problems;
}
