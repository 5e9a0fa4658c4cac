import { describe, expect, it } from 'vitest';
import type { ManifestRow } from '../../main/inbound/manifest';
import { encodeCode128 } from '../../main/labels/code128';
import {
  DPIS,
  LABEL_SIZE_IDS,
  barRects,
  layoutItems,
  layoutLabel,
  shelfSlot,
  type LabelOptions,
} from '../../main/labels/layout';
import { blankCanvas, fillRects } from '../../main/labels/raster';
import { halfCells, truncate, wrap } from '../../main/labels/text';
import type { MaskedParcel } from '../../shared/parcel';
import { layoutProblems, readSymbols } from '../helpers/label-decoder';

const base: MaskedParcel = {
  waybillNo: 'YT9141777631706',
  carrier: 'YTO',
  pickupCode: '3-2-1024',
  status: 'on_shelf',
  name: '欧阳**',
  phone: '*******5000',
  address: '广西壮族自治区南宁市青秀区新竹街道****',
  item: '日用百货',
};

/** The awkward ones: long Latin names, virtual numbers, very long addresses, no pickup code yet. */
const HARD_PARCELS: MaskedParcel[] = [
  base,
  { ...base, name: 'M****** A******** R****** d* l* C***', phone: '*******4681-123456', waybillNo: 'JT0195264202767' },
  { ...base, name: '努*****·哈***', address: `${'新疆维吾尔自治区乌鲁木齐市天山区解放北路街道'.repeat(3)}****`, pickupCode: 'A12-10-100245' },
  { ...base, pickupCode: null, status: 'expected', waybillNo: '1143785915031', carrier: 'EMS' },
  { ...base, name: '', phone: '', address: '', item: '物品', waybillNo: 'JDX3374068124150000000000000001' },
];

const opts = (o: Partial<LabelOptions>): LabelOptions => ({
  size: '60x40', dpi: 203, qr: true, stationName: '朝阳区幸福里社区快递驿站（东门店）', date: new Date(2026, 10, 1), ...o,
});

describe('Code 128', () => {
  it('switches to set C only for digit runs where it saves space', () => {
    const sets = (d: string) => encodeCode128(d).segments.map((s) => `${s.set}:${s.text}`);
    expect(sets('YT9141777631706')).toEqual(['B:YT9', 'C:141777631706']);
    expect(sets('7760759838675')).toEqual(['C:776075983867', 'B:5']);
    expect(sets('74570478904692')).toEqual(['C:74570478904692']);
    expect(sets('12')).toEqual(['C:12']);
    expect(sets('A12345B')).toEqual(['B:A12345B']);
    expect(sets('A123456B')).toEqual(['B:A', 'C:123456', 'B:B']);
    // start + data + check symbols of 11 modules, and a 13-module stop
    expect(encodeCode128('74570478904692').modules).toBe(11 * (1 + 7 + 1) + 13);
  });

  it('refuses what set B cannot carry', () => {
    expect(() => encodeCode128('')).toThrow(RangeError);
    expect(() => encodeCode128('中通123')).toThrow(RangeError);
  });

  it('reads back with ZXing for every printable character and every kind of digit run', async () => {
    const ascii = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const cases = [
      ...Array.from({ length: 6 }, (_, i) => `X${ascii.slice(i * 16, i * 16 + 16)}X`),
      '12', '1234', '12345', 'AB1234', 'AB12345', 'A123456B', '7760759838675', 'JDX337406812415', 'SF1152449390926',
    ];
    for (const data of cases) {
      const symbol = encodeCode128(data);
      const module = 2;
      const { canvas, ctx } = blankCanvas(symbol.modules * module + 40, 60);
      fillRects(ctx, barRects(20, 5, symbol.bars, module, 50));
      expect(await readSymbols(canvas), JSON.stringify(data)).toEqual([{ format: 'Code128', text: data }]);
    }
  });
});

describe('label text metrics', () => {
  it('counts ASCII as half a cell and everything else as a whole one', () => {
    expect(halfCells('3-2-1024')).toBe(8);
    expect(halfCells('货架 3 层 2')).toBe(11);
    expect(halfCells('努**·哈*')).toBe(9);
  });

  it('truncates with an ellipsis and wraps without splitting the mask or a word', () => {
    expect(truncate('广西壮族自治区南宁市', 10)).toBe('广西壮族…');
    expect(halfCells(truncate('广西壮族自治区南宁市', 10))).toBeLessThanOrEqual(10);
    expect(wrap('天津市南开区万兴街道****', 22, 3)).toEqual(['天津市南开区万兴街道', '****']);
    expect(wrap('T***** H****** K***', 12, 3)).toEqual(['T*****', 'H****** K***']);
    const lines = wrap('新疆维吾尔自治区乌鲁木齐市天山区解放北路街道****', 10, 2);
    expect(lines).toHaveLength(2);
    expect(lines[1].endsWith('…')).toBe(true);
    for (const l of lines) expect(halfCells(l)).toBeLessThanOrEqual(10);
  });
});

describe('label layout', () => {
  it('derives the shelf slot from a shelf-layer-seq pickup code', () => {
    // The counter screens' wording (zh-counter's parcel.slot), not a label dialect of its own.
    expect(shelfSlot('3-2-1024')).toBe('3 号架 2 层');
    expect(shelfSlot('A12-10-100245')).toBe('A12 号架 10 层');
    expect(shelfSlot('1024')).toBeNull();
    expect(shelfSlot(null)).toBeNull();
  });

  it('fits every size, resolution and QR placement without overflow or overlap', () => {
    for (const parcel of HARD_PARCELS) {
      for (const size of LABEL_SIZE_IDS) {
        for (const dpi of DPIS) {
          for (const qrPlacement of ['beside', 'row'] as const) {
            const layout = layoutLabel(parcel, opts({ size, dpi, qrPlacement }));
            expect(layoutProblems(layout)).toEqual([]);
            const kinds = layoutItems(layout).map((i) => i.kind);
            expect(kinds.filter((k) => k === 'code128')).toHaveLength(1);
            // The QR gives way before the shelf, and only on the smallest label in line mode.
            if (layout.omitted.includes('QR code')) expect([size, qrPlacement]).toEqual(['40x30', 'row']);
            expect(kinds.includes('qr')).toBe(parcel.pickupCode !== null && !layout.omitted.includes('QR code'));
            // Whatever else gives way, the pickup code and its shelf are printed whole.
            if (parcel.pickupCode) {
              const texts = layoutItems(layout).flatMap((i) => (i.kind === 'text' ? [i.text] : []));
              expect(texts).toEqual(expect.arrayContaining([parcel.pickupCode, shelfSlot(parcel.pickupCode)]));
              expect(layout.omitted).not.toContain('shelf slot');
            }
          }
        }
      }
    }
  });

  it('keeps the pickup code whole and largest, and the QR on its own row when asked', () => {
    const layout = layoutLabel(base, opts({ size: '58', qrPlacement: 'row' }));
    const texts = layoutItems(layout).filter((i) => i.kind === 'text');
    const code = texts.find((t) => t.text === base.pickupCode)!;
    expect(code.scale).toBe(Math.max(...texts.map((t) => t.scale)));
    expect(code.scale).toBeGreaterThanOrEqual(2);
    for (const row of layout.rows) {
      if (row.items.some((i) => i.kind !== 'text')) expect(row.items).toHaveLength(1);
    }
  });

  it('prints only what the masked parcel carries', () => {
    const layout = layoutLabel(base, opts({}));
    const texts = layoutItems(layout).flatMap((i) => (i.kind === 'text' ? [i.text] : []));
    expect(texts).toEqual(expect.arrayContaining(['3-2-1024', '3 号架 2 层', '欧阳**', '*******5000', '日用百货', 'YT9141777631706', '2026-11-01']));
    expect(texts.join('')).toContain('广西壮族自治区南宁市青秀区新竹街道');
  });

  it('takes a MaskedParcel only, and refuses one whose phone or address is not masked', () => {
    const row = {} as ManifestRow;
    // @ts-expect-error a manifest row (full name, phone and address) is not a MaskedParcel
    expect(() => layoutLabel(row, opts({}))).toThrow();
    expect(() => layoutLabel({ ...base, phone: '13800001111' }, opts({}))).toThrow(/not masked/);
    expect(() => layoutLabel({ ...base, address: '天津市南开区万兴街道卫津路993号' }, opts({}))).toThrow(/not masked/);
  });
});
