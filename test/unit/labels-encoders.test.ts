import iconv from 'iconv-lite';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EscPosEncoder, encodeEscPos, encodeEscPosRaster } from '../../main/labels/escpos';
import { encodeLayout, layoutFor, LABEL_FORMATS, type LabelFormat } from '../../main/labels';
import { layoutItems, layoutLabel, type LabelLayout } from '../../main/labels/layout';
import { encodePdf } from '../../main/labels/pdf';
import { rasterise } from '../../main/labels/raster';
import { encodeTspl, encodeTsplRaster } from '../../main/labels/tspl';
import type { MaskedParcel } from '../../shared/parcel';
import { tempDir } from '../helpers/fixtures';
import { decodeEscPos, decodeTspl, pngCanvas, readSymbols, type DecodedLabel } from '../helpers/label-decoder';

const parcel: MaskedParcel = {
  waybillNo: 'YT9141777631706',
  carrier: 'YTO',
  pickupCode: '3-2-1024',
  status: 'on_shelf',
  name: '努**·"哈"*',
  phone: '*******5000-3366',
  address: '广西壮族自治区南宁市青秀区新竹街道****',
  item: '日用百货',
};
const opts = { size: '60x40', dpi: 203, qr: true, stationName: '测试驿站', date: new Date(2026, 10, 1) } as const;
const tmp = tempDir();
afterAll(tmp.cleanup);

const texts = (layout: LabelLayout): string[] => layoutItems(layout).flatMap((i) => (i.kind === 'text' ? [i.text] : []));
const lines = (bytes: Uint8Array): string[] => iconv.decode(Buffer.from(bytes), 'gb18030').split('\r\n');

function pixels(decoded: DecodedLabel) {
  const { width, height } = decoded.canvas;
  return decoded.canvas.getContext('2d').getImageData(0, 0, width, height).data;
}

/** Black pixels of an image against the bits of the bitmap it should be. */
function mismatches(decoded: DecodedLabel, layout: LabelLayout): number {
  const { bits, bytesPerRow, width, height } = rasterise(layout);
  const rgba = pixels(decoded);
  let wrong = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const black = (bits[y * bytesPerRow + (x >> 3)] & (0x80 >> (x & 7))) !== 0;
      if (black !== rgba[(y * width + x) * 4] < 128) wrong++;
    }
  }
  return wrong;
}

describe('TSPL', () => {
  const layout = layoutLabel(parcel, opts);

  it('is a native job of SIZE, GAP, CLS, TEXT in the GB18030 font, BARCODE 128, QRCODE and PRINT 1', () => {
    const bytes = encodeTspl(layout);
    const l = lines(bytes);
    expect(l.slice(0, 3)).toEqual(['SIZE 60 mm,40 mm', 'GAP 2 mm,0 mm', 'CLS']);
    expect(l.at(-2)).toBe('PRINT 1');
    expect(l).toContain('TEXT 12,12,"TSS24.BF2",0,3,3,"3-2-1024"');
    expect(l.some((x) => /^BARCODE \d+,\d+,"128",\d+,0,0,3,3,"YT9141777631706"$/.test(x))).toBe(true);
    expect(l.some((x) => /^QRCODE \d+,\d+,M,4,A,0,"3-2-1024"$/.test(x))).toBe(true);
    // A quote inside a string is TSPL's \["]
    expect(l.some((x) => x.endsWith(',"努**·\\["]哈\\["]*"'))).toBe(true);
    expect(bytes.length).toBeLessThanOrEqual(1024);
  });

  it('decodes to the layout: the same texts, and symbols ZXing reads', async () => {
    const decoded = decodeTspl(encodeTspl(layout), 203);
    expect(decoded.texts).toEqual(texts(layout));
    expect(await readSymbols(decoded.canvas)).toEqual(
      expect.arrayContaining([{ format: 'Code128', text: parcel.waybillNo }, { format: 'QRCode', text: parcel.pickupCode }]),
    );
  });

  it('sends the raster as one BITMAP with TSPL polarity (0 prints)', () => {
    const bytes = encodeTsplRaster(layout);
    const decoded = decodeTspl(bytes, 203);
    expect(mismatches(decoded, layout)).toBe(0);
    expect(bytes.length).toBeGreaterThan((layout.width / 8) * layout.height);
  });
});

describe('ESC/POS', () => {
  const layout = layoutFor(parcel, 'escpos', { ...opts, size: '58' });

  it('initialises, enters Chinese mode, and ends with a cut', () => {
    const bytes = encodeEscPos(layout);
    expect([...bytes.subarray(0, 7)]).toEqual([0x1b, 0x40, 0x1c, 0x26, 0x1b, 0x33, 0]);
    expect([...bytes.subarray(-4)]).toEqual([0x1d, 0x56, 0x42, 0]);
    expect(bytes.length).toBeLessThanOrEqual(1024);
  });

  it('writes Code 128 through GS k with the code sets spelled out', () => {
    const symbol = layoutItems(layout).find((i) => i.kind === 'code128')!;
    const bytes = new EscPosEncoder().code128(symbol.symbol, 3, 80).encode();
    const data = [0x7b, 0x42, ...Buffer.from('YT9'), 0x7b, 0x43, 14, 17, 77, 63, 17, 6];
    expect([...bytes]).toEqual([0x1d, 0x68, 80, 0x1d, 0x77, 3, 0x1d, 0x48, 0, 0x1d, 0x6b, 73, data.length, ...data]);
  });

  it('decodes to the layout: the same texts, and symbols ZXing reads', async () => {
    const decoded = decodeEscPos(encodeEscPos(layout), layout.width);
    expect(decoded.texts).toEqual(texts(layout));
    expect(decoded.canvas.height).toBe(layout.height);
    expect(await readSymbols(decoded.canvas)).toEqual(
      expect.arrayContaining([{ format: 'Code128', text: parcel.waybillNo }, { format: 'QRCode', text: parcel.pickupCode }]),
    );
  });

  it('refuses a QR beside text, which line mode cannot print', () => {
    expect(() => encodeEscPos(layoutLabel(parcel, { ...opts, qrPlacement: 'beside' }))).toThrow(/row/);
  });

  it('sends the raster in GS v 0 bands of at most 256 rows', () => {
    const tall = layoutLabel(parcel, { ...opts, size: '76x130' });
    const bytes = encodeEscPosRaster(tall);
    const decoded = decodeEscPos(bytes, tall.width);
    expect(mismatches(decoded, tall)).toBe(0);
    let bands = 0;
    for (let i = 0; i < bytes.length - 2; i++) if (bytes[i] === 0x1d && bytes[i + 1] === 0x76 && bytes[i + 2] === 0x30) bands++;
    expect(bands).toBe(Math.ceil(tall.height / 256));
  });
});

describe('PDF and PNG', () => {
  it('makes a page of the label size with the shipped font embedded', async () => {
    const file = join(tmp.dir, 'label.pdf');
    writeFileSync(file, await encodePdf(layoutLabel(parcel, opts)));
    const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
    expect(info).toMatch(/Page size:\s+170\.0\d* x 113\.3\d* pts/);
    expect(execFileSync('pdffonts', [file], { encoding: 'utf8' })).toMatch(/NotoSansHans-Medium\s+CID Type 0C\s+Identity-H\s+yes yes yes/);
    const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
    for (const t of ['3-2-1024', '货架 3 层 2', '*******5000-3366', '测试驿站']) expect(text).toContain(t);
  });

  it('previews as a PNG of one pixel per dot', async () => {
    const layout = layoutLabel(parcel, opts);
    const canvas = await pngCanvas(await encodeLayout(layout, 'png'));
    expect([canvas.width, canvas.height]).toEqual([480, 320]);
    expect(await readSymbols(canvas)).toHaveLength(2);
  });

  it('offers every format the CLI names', () => {
    expect(LABEL_FORMATS.sort()).toEqual((['escpos', 'escpos-raster', 'pdf', 'png', 'tspl', 'tspl-raster'] satisfies LabelFormat[]).sort());
  });
});
