import iconv from 'iconv-lite';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import * as fontkit from 'fontkit';
import { CffSource, CffSubset, type CffFontSource, type FontkitSubset } from '../../main/labels/cff-subset';
import { EscPosEncoder, encodeEscPos, encodeEscPosRaster } from '../../main/labels/escpos';
import { encodeLayout, layoutFor, LABEL_FORMATS, type LabelFormat } from '../../main/labels';
import { layoutItems, layoutLabel, type LabelLayout } from '../../main/labels/layout';
import { labelFontBytes, parsedLabelFont } from '../../main/labels/font';
import { encodePdf } from '../../main/labels/pdf';
import { paintLayout, rasterise } from '../../main/labels/raster';
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
    for (const t of ['3-2-1024', '3 号架 2 层', '*******5000-3366', '测试驿站']) expect(text).toContain(t);
  });

  it('embeds a CFF subset that draws every glyph exactly as the shipped font does', () => {
    // fontkit reads the subset back: the shipped font file with its CFF table swapped for the subset's.
    const withCff = (otf: Uint8Array, cff: Uint8Array): Uint8Array => {
      const view = new DataView(otf.buffer, otf.byteOffset, otf.byteLength);
      const count = view.getUint16(4);
      const tables = Array.from({ length: count }, (_, i) => {
        const rec = 12 + 16 * i;
        const offset = view.getUint32(rec + 8);
        const tag = String.fromCharCode(...otf.subarray(rec, rec + 4));
        return { rec, data: tag === 'CFF ' ? cff : otf.subarray(offset, offset + view.getUint32(rec + 12)) };
      });
      const out = new Uint8Array(12 + 16 * count + tables.reduce((n, t) => n + t.data.length + 3, 0));
      out.set(otf.subarray(0, 12 + 16 * count));
      const o = new DataView(out.buffer);
      let at = 12 + 16 * count;
      for (const t of tables) {
        out.set(t.data, at);
        o.setUint32(t.rec + 8, at);
        o.setUint32(t.rec + 12, t.data.length);
        at += (t.data.length + 3) & ~3;
      }
      return out;
    };
    type Glyph = { id: number; path: { commands: unknown[] }; advanceWidth: number };
    type Font = CffFontSource & { numGlyphs: number; getGlyph(id: number): Glyph; glyphsForString(s: string): Glyph[]; createSubset(): FontkitSubset };
    const font = parsedLabelFont() as unknown as Font;
    const source = new CffSource(font);
    const text = `${parcel.name}${parcel.address}${parcel.phone}${parcel.waybillNo}号架层测试驿站2026-11-01…`;
    let seed = 7;
    const random = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) % font.numGlyphs;
    const sets = [font.glyphsForString(text).map((g) => g.id), Array.from({ length: 300 }, random), [random()]];
    for (const gids of sets) {
      const subset = new CffSubset(source, () => font.createSubset());
      for (const g of gids) subset.includeGlyph(g);
      const cff = subset.encode();
      const back = fontkit.create(Buffer.from(withCff(labelFontBytes(), cff))) as unknown as Font;
      subset.glyphs.forEach((g, cid) => {
        expect(back.getGlyph(cid).path.commands, `glyph ${g}`).toEqual(font.getGlyph(g).path.commands);
      });
      // Only what the subset calls: a label's font is a few KB, not the ~70 KB of every subroutine slot.
      if (gids === sets[0]) expect(cff.length).toBeLessThan(16_000);
    }
  });

  it('previews as a PNG of one pixel per dot', async () => {
    const layout = layoutLabel(parcel, opts);
    const canvas = await pngCanvas(await encodeLayout(layout, 'png'));
    expect([canvas.width, canvas.height]).toEqual([480, 320]);
    expect(await readSymbols(canvas)).toHaveLength(2);
  });

  it('previews and rasterises exactly what the whole layout painted on one canvas shows', async () => {
    for (const [size, dpi] of [['60x40', 203], ['40x30', 300], ['80', 203], ['76x130', 300]] as const) {
      const layout = layoutFor(parcel, 'png', { ...opts, size, dpi });
      const { width, height } = layout;
      const painted = paintLayout(layout).getContext('2d').getImageData(0, 0, width, height).data;
      const png = await pngCanvas(await encodeLayout(layout, 'png'));
      expect(Buffer.from(png.getContext('2d').getImageData(0, 0, width, height).data).equals(Buffer.from(painted)), `${size} ${dpi}`).toBe(true);
      const { bits, bytesPerRow } = rasterise(layout);
      let wrong = 0;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const i = (y * width + x) * 4;
          const dark = painted[i] + painted[i + 1] + painted[i + 2] < 3 * 128;
          if (dark !== ((bits[y * bytesPerRow + (x >> 3)] & (0x80 >> (x & 7))) !== 0)) wrong++;
        }
      }
      expect(wrong, `${size} ${dpi}`).toBe(0);
    }
  });

  it('offers every format the CLI names', () => {
    expect(LABEL_FORMATS.sort()).toEqual((['escpos', 'escpos-raster', 'pdf', 'png', 'tspl', 'tspl-raster'] satisfies LabelFormat[]).sort());
  });
});
