// ESC/POS for receipt printers, in the fluent style of ReceiptPrinterEncoder
// but only the dozen commands a label needs. Standard (line) mode: the paper
// only moves forward, so the layout must put its QR on a row of its own.
import { ByteSink } from './bytes';
import type { Code128Symbol } from './code128';
import type { LabelLayout, LabelRow } from './layout';
import { QR_ECC } from './qr';
import { rasterise, type Bitmap } from './raster';
import { gb18030 } from './text';

const ESC = 0x1b;
const FS = 0x1c;
const GS = 0x1d;
const LF = 0x0a;
const lohi = (n: number): [number, number] => [n & 0xff, (n >> 8) & 0xff];

/** Raster images go in bands: many printers buffer only so many rows of one GS v 0. */
const RASTER_BAND = 256;
const QR_ECC_BYTE = { L: 48, M: 49, Q: 50, H: 51 } as const;

export class EscPosEncoder {
  private readonly out = new ByteSink();

  /** ESC @: forget every earlier setting. */
  initialise(): this {
    this.out.bytes(ESC, 0x40);
    return this;
  }

  /** FS &: double-byte text is GB18030 (the printer's Chinese font). */
  chinese(): this {
    this.out.bytes(FS, 0x26);
    return this;
  }

  /** ESC 3 n: 0 makes a line feed advance exactly the tallest character on the line. */
  lineSpacing(dots: number): this {
    this.out.bytes(ESC, 0x33, dots);
    return this;
  }

  /** GS !: width and height multipliers, 1–8. */
  size(width: number, height: number): this {
    this.out.bytes(GS, 0x21, ((width - 1) << 4) | (height - 1));
    return this;
  }

  /** GS L: left margin in dots; takes effect at the start of a line. */
  leftMargin(dots: number): this {
    this.out.bytes(GS, 0x4c, ...lohi(dots));
    return this;
  }

  /** ESC $: absolute position on the current line, in dots from the margin. */
  position(dots: number): this {
    this.out.bytes(ESC, 0x24, ...lohi(dots));
    return this;
  }

  text(text: string): this {
    this.out.bytes(gb18030(text));
    return this;
  }

  newline(): this {
    this.out.bytes(LF);
    return this;
  }

  /** ESC J n: feed paper n dots (n ≤ 255 per command). */
  feed(dots: number): this {
    for (let left = dots; left > 0; left -= 255) this.out.bytes(ESC, 0x4a, Math.min(255, left));
    return this;
  }

  /** GS k, function B (m = 73): the code sets are spelled out as {B / {C, digits in C as one byte per pair. */
  code128(symbol: Code128Symbol, module: number, height: number): this {
    const data = symbol.segments.flatMap((s) =>
      s.set === 'C'
        ? [0x7b, 0x43, ...Array.from({ length: s.text.length / 2 }, (_, i) => Number(s.text.slice(2 * i, 2 * i + 2)))]
        : [0x7b, 0x42, ...Array.from(s.text.replaceAll('{', '{{'), (c) => c.charCodeAt(0))],
    );
    if (data.length > 255) throw new RangeError('Code 128 data too long for GS k');
    // GS h height, GS w module width, GS H 0: no human-readable line (the layout prints it).
    this.out.bytes(GS, 0x68, height, GS, 0x77, module, GS, 0x48, 0, GS, 0x6b, 73, data.length, Uint8Array.from(data));
    return this;
  }

  /** GS ( k: model 2, module size, error correction, store the data, print it. */
  qr(data: string, cell: number): this {
    const bytes = gb18030(data);
    const fn = (...b: number[]) => this.out.bytes(GS, 0x28, 0x6b, ...lohi(b.length), ...b);
    fn(0x31, 0x41, 0x32, 0x00);
    fn(0x31, 0x43, cell);
    fn(0x31, 0x45, QR_ECC_BYTE[QR_ECC]);
    this.out.bytes(GS, 0x28, 0x6b, ...lohi(bytes.length + 3), 0x31, 0x50, 0x30, bytes);
    fn(0x31, 0x51, 0x30);
    return this;
  }

  /** GS v 0: a 1-bit image, set bits printed. */
  raster(image: Bitmap): this {
    for (let top = 0; top < image.height; top += RASTER_BAND) {
      const rows = Math.min(RASTER_BAND, image.height - top);
      const band = image.bits.subarray(top * image.bytesPerRow, (top + rows) * image.bytesPerRow);
      this.out.bytes(GS, 0x76, 0x30, 0, ...lohi(image.bytesPerRow), ...lohi(rows), band);
    }
    return this;
  }

  /** GS V B: feed to the cutter and cut (a partial cut leaves a tab to tear). */
  cut(): this {
    this.out.bytes(GS, 0x56, 0x42, 0);
    return this;
  }

  encode(): Uint8Array {
    return this.out.toBytes();
  }
}

function row(enc: EscPosEncoder, r: LabelRow): void {
  const [first] = r.items;
  if (first.kind === 'text') {
    enc.leftMargin(0);
    for (const t of r.items) {
      if (t.kind !== 'text') throw new Error('ESC/POS line mode: a graphic cannot share a row with text');
      enc.size(t.scale, t.scale).position(t.x).text(t.text);
    }
    enc.newline();
    return;
  }
  if (r.items.length > 1) throw new Error('ESC/POS line mode: one graphic per row (lay the QR out as a row)');
  enc.leftMargin(first.x);
  if (first.kind === 'code128') enc.code128(first.symbol, first.module, first.height);
  else enc.qr(first.data, first.cell);
}

export function encodeEscPos(layout: LabelLayout): Uint8Array {
  const enc = new EscPosEncoder().initialise().chinese().lineSpacing(0);
  let at = 0;
  for (const r of layout.rows) {
    enc.feed(r.y - at);
    row(enc, r);
    at = r.y + r.height;
  }
  return enc.feed(layout.height - at).cut().encode();
}

export function encodeEscPosRaster(layout: LabelLayout): Uint8Array {
  return new EscPosEncoder().initialise().raster(rasterise(layout)).cut().encode();
}
