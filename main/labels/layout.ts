// One label layout, in printer dots, that every encoder draws: native TSPL and
// ESC/POS, the raster fallback, the PDF and the PNG preview. It is built from a
// MaskedParcel only, so nothing but masked personal data can reach a label.
import type { MaskedParcel } from '../../shared/parcel';
import { encodeCode128, type Code128Symbol } from './code128';
import { qrMatrix, type QrMatrix } from './qr';
import { enCounter } from '../../shared/i18n/en-counter';
import { zhCounter } from '../../shared/i18n/zh-counter';
import type { LabelLanguage } from '../../shared/ipc/devices';
import { CELL, HALF_CELL, textWidth, truncate, wrap } from './text';

export const DPIS = [203, 300] as const;
export type Dpi = (typeof DPIS)[number];

export const LABEL_SIZES = {
  '40x30': { widthMm: 40, heightMm: 30 },
  '60x40': { widthMm: 60, heightMm: 40 },
  '76x130': { widthMm: 76, heightMm: 130 },
  // Receipt rolls: the printable width of 58/80 mm paper; the length follows the content.
  '58': { widthMm: 48, heightMm: null },
  '80': { widthMm: 72, heightMm: null },
} as const satisfies Record<string, { widthMm: number; heightMm: number | null }>;
export type LabelSizeId = keyof typeof LABEL_SIZES;
export const LABEL_SIZE_IDS = Object.keys(LABEL_SIZES) as LabelSizeId[];

export const mmToDots = (mm: number, dpi: Dpi): number => Math.round((mm * dpi) / 25.4);

export interface TextItem {
  kind: 'text';
  x: number;
  /** Top of the character cells; the cells are CELL × scale dots high. */
  y: number;
  scale: number;
  text: string;
}

export interface BarcodeItem {
  kind: 'code128';
  x: number;
  y: number;
  /** Narrow bar width in dots. */
  module: number;
  height: number;
  symbol: Code128Symbol;
}

export interface QrItem {
  kind: 'qr';
  x: number;
  y: number;
  /** Module size in dots. */
  cell: number;
  data: string;
  matrix: QrMatrix;
}

export type LabelItem = TextItem | BarcodeItem | QrItem;

/**
 * A band of the label. With the QR on its own row (what ESC/POS line mode can
 * print), a row is either text runs sharing a baseline or one graphic.
 */
export interface LabelRow {
  y: number;
  height: number;
  items: LabelItem[];
}

export interface LabelLayout {
  size: LabelSizeId;
  dpi: Dpi;
  widthMm: number;
  heightMm: number;
  width: number;
  height: number;
  rows: LabelRow[];
  /** Content left off so that the rest fits (a small label, a long name). */
  omitted: Omission[];
}

export type Omission = 'waybill number text' | 'station and date' | 'item category' | 'QR code' | 'address';

export interface LabelOptions {
  size: LabelSizeId;
  dpi?: Dpi;
  /** A QR code carrying only the pickup code. */
  qr?: boolean;
  /** Beside the pickup code (label printers), or on a row of its own (ESC/POS line mode). */
  qrPlacement?: 'beside' | 'row';
  stationName: string;
  date: Date;
  /** The words on the label (the shelf and layer); Chinese unless the printer has its own. */
  language?: LabelLanguage;
}

export const layoutItems = (layout: LabelLayout): LabelItem[] => layout.rows.flatMap((r) => r.items);

export function itemBox(item: LabelItem): { width: number; height: number } {
  switch (item.kind) {
    case 'text':
      return { width: textWidth(item.text, item.scale), height: CELL * item.scale };
    case 'code128':
      return { width: item.symbol.modules * item.module, height: item.height };
    case 'qr':
      return { width: item.matrix.size * item.cell, height: item.matrix.size * item.cell };
  }
}

export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The bars of a symbol (widths in modules, starting with a bar) as rectangles. */
export function barRects(x: number, y: number, bars: readonly number[], module: number, height: number): Rect[] {
  const out: Rect[] = [];
  bars.forEach((w, i) => {
    if (i % 2 === 0) out.push({ x, y, w: w * module, h: height });
    x += w * module;
  });
  return out;
}

/** Dark modules of a square matrix (row-major), a horizontal run of them as one rectangle. */
export function moduleRects(x: number, y: number, size: number, dark: ArrayLike<number>, cell: number): Rect[] {
  const out: Rect[] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      if (!dark[r * size + c]) continue;
      const start = c;
      while (c + 1 < size && dark[r * size + c + 1]) c++;
      out.push({ x: x + start * cell, y: y + r * cell, w: (c - start + 1) * cell, h: cell });
    }
  }
  return out;
}

/** What a barcode or QR item prints, in dots. */
export function graphicRects(item: BarcodeItem | QrItem): Rect[] {
  return item.kind === 'code128'
    ? barRects(item.x, item.y, item.symbol.bars, item.module, item.height)
    : moduleRects(item.x, item.y, item.matrix.size, item.matrix.dark, item.cell);
}

export const isReceipt = (size: LabelSizeId): boolean => LABEL_SIZES[size].heightMm === null;

/** `3-2-1024` → 3 号架 2 层: shelf and layer of a `shelf-layer-seq` pickup code, in the counter screens' words. */
export function shelfSlot(pickupCode: string | null, language: LabelLanguage = 'zh'): string | null {
  const m = pickupCode ? /^([^-\s]+)-([^-\s]+)-\d+$/.exec(pickupCode) : null;
  const words = language === 'en' ? enCounter : zhCounter;
  return m ? words.parcel.slot.replace('{{shelf}}', m[1]).replace('{{layer}}', m[2]) : null;
}

const isoDate = (d: Date): string =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** Defence in depth behind the type: a full phone or address never has the mask's stars. */
function assertMasked(p: MaskedParcel): void {
  if ((p.phone && !p.phone.includes('*')) || (p.address && !p.address.includes('*'))) {
    throw new TypeError(`label for ${p.waybillNo}: phone or address is not masked`);
  }
}

/** What the fitting may give up, most comfortable first. */
interface Knobs {
  body: number;
  code: number;
  addressLines: number;
  barcodeMm: number;
  qrCell: number;
  waybillText: boolean;
  footer: boolean;
  item: boolean;
  qr: boolean;
}
type NumericKnob = { [K in keyof Knobs]: Knobs[K] extends number ? K : never }[keyof Knobs];

const lower = (key: NumericKnob, min: number, by = 1) => (k: Knobs) => {
  if (k[key] <= min) return false;
  k[key] = Math.max(min, k[key] - by);
  return true;
};
type Optional = { [K in keyof Knobs]: Knobs[K] extends boolean ? K : never }[keyof Knobs];
const OMISSIONS: Record<Optional, Omission> = {
  waybillText: 'waybill number text', footer: 'station and date', item: 'item category', qr: 'QR code',
};
const omission = (key: keyof Knobs): Omission => (key === 'addressLines' ? 'address' : OMISSIONS[key as Optional]);
const drop = (key: Optional) => (k: Knobs) => {
  const had = k[key];
  k[key] = false;
  return had;
};

// Applied in order until the label fits: the pickup code stays large longest,
// the barcode keeps a scannable height, and the human-readable extras go last.
const FIT_STEPS = [
  lower('barcodeMm', 10, 2),
  lower('addressLines', 2),
  lower('code', 3),
  lower('body', 1),
  lower('addressLines', 1),
  lower('barcodeMm', 6, 2),
  lower('qrCell', 3),
  drop('waybillText'),
  lower('code', 2),
  lower('qrCell', 2),
  lower('barcodeMm', 5),
  drop('footer'),
  // Last resorts, for a small label with a QR on its own row and a long name.
  lower('addressLines', 0), // the counter matches on name and phone tail
  drop('item'),
  drop('qr'),
];

interface Run {
  text: string;
  scale: number;
  align?: 'left' | 'right' | 'center';
}

class Builder {
  readonly rows: LabelRow[] = [];
  private y: number;
  private readonly qrSide: number;

  constructor(
    private readonly margin: number,
    private readonly contentWidth: number,
    private readonly gap: number,
    qrBeside: QrItem | null,
  ) {
    this.y = margin;
    this.qrSide = qrBeside ? qrBeside.matrix.size * qrBeside.cell + 4 * qrBeside.cell : 0;
  }

  get bottom(): number {
    return this.rows.length ? this.y - this.gap : this.margin;
  }

  /** Usable width of a row starting here: narrower beside the QR. */
  widthHere(): number {
    return this.y < this.margin + this.qrSide ? this.contentWidth - this.qrSide : this.contentWidth;
  }

  /** A row at the current position; `items` gets its top. */
  add(height: number, items: (y: number) => LabelItem[], extraGap = 0): void {
    this.y += extraGap;
    this.rows.push({ y: this.y, height, items: items(this.y) });
    this.y += height + this.gap + extraGap;
  }

  /** Runs left to right on one baseline, a new row when the next does not fit. */
  flow(runs: Run[]): void {
    let line: Run[] = [];
    let used = 0;
    for (const r of runs) {
      if (!r.text) continue;
      const width = this.widthHere();
      const text = truncate(r.text, Math.floor(width / (HALF_CELL * r.scale)));
      const w = textWidth(text, r.scale);
      if (line.length && used + CELL + w > width) {
        this.line(line);
        line = [];
        used = 0;
      }
      used += (line.length ? CELL : 0) + w;
      line.push({ ...r, text });
    }
    if (line.length) this.line(line);
  }

  private line(runs: Run[]): void {
    const height = Math.max(...runs.map((r) => CELL * r.scale));
    const width = this.widthHere();
    let x = this.margin;
    this.add(height, (y) =>
      runs.map((r): TextItem => {
        const w = textWidth(r.text, r.scale);
        const left =
          r.align === 'right' ? this.margin + width - w : r.align === 'center' ? this.margin + Math.floor((width - w) / 2) : x;
        x = left + w + CELL;
        return { kind: 'text', x: left, y: y + height - CELL * r.scale, scale: r.scale, text: r.text };
      }),
    );
  }
}

interface Geometry {
  width: number;
  height: number | null;
  margin: number;
  gap: number;
  dpi: Dpi;
}

/** The symbols are the same whatever the fit, so they are encoded once. */
interface Symbols {
  barcode: Code128Symbol;
  qr: QrMatrix | null;
}

function build(p: MaskedParcel, o: LabelOptions, g: Geometry, k: Knobs, symbols: Symbols) {
  const qr = k.qr ? symbols.qr : null;
  const contentWidth = g.width - 2 * g.margin;
  const qrSide = qr ? qr.size * k.qrCell : 0;
  const qrItem = (x: number, y: number): QrItem => ({ kind: 'qr', x, y, cell: k.qrCell, data: p.pickupCode!, matrix: qr! });
  const beside = qr && o.qrPlacement !== 'row' ? qrItem(g.margin + contentWidth - qrSide, g.margin) : null;
  const b = new Builder(g.margin, contentWidth, g.gap, beside);

  if (p.pickupCode) {
    // The pickup code is never cut: it shrinks to fit the width instead.
    const code = Math.min(k.code, Math.floor(b.widthHere() / textWidth(p.pickupCode, 1)));
    if (code < 1) return null;
    // The shelf is never given up either: the clerk reads it, not the code's digits, to find the parcel.
    b.flow([{ text: p.pickupCode, scale: code }, { text: shelfSlot(p.pickupCode, o.language) ?? '', scale: k.body, align: 'right' }]);
  }
  b.flow([{ text: p.name, scale: k.body }, { text: p.phone, scale: k.body }, { text: k.item ? p.item : '', scale: k.body }]);
  const perLine = Math.floor(b.widthHere() / (HALF_CELL * k.body));
  const address = k.addressLines ? wrap(p.address, perLine, k.addressLines) : [];
  for (const line of address) b.flow([{ text: line, scale: k.body }]);

  const symbol = symbols.barcode;
  const maxModule = mmToDots(0.375, g.dpi);
  const module = Math.min(maxModule, Math.floor(b.widthHere() / symbol.modules));
  if (module < 1) return null;
  const barcodeX = g.margin + Math.floor((b.widthHere() - symbol.modules * module) / 2);
  const barcodeHeight = mmToDots(k.barcodeMm, g.dpi);
  b.add(barcodeHeight, (y) => [{ kind: 'code128', x: barcodeX, y, module, height: barcodeHeight, symbol }]);
  if (k.waybillText) b.flow([{ text: p.waybillNo, scale: 1, align: 'center' }]);

  if (qr && !beside) {
    // A quiet zone above and below: the rows around it are text.
    b.add(qrSide, (y) => [qrItem(g.margin + Math.floor((contentWidth - qrSide) / 2), y)], 2 * k.qrCell);
  }
  if (k.footer) b.flow([{ text: o.stationName, scale: k.body }, { text: isoDate(o.date), scale: k.body, align: 'right' }]);
  if (beside) b.rows[0].items.push(beside);

  const contentBottom = Math.max(b.bottom, beside ? beside.y + qrSide : 0);
  // A receipt is cut at a whole millimetre past its content.
  const height = g.height ?? mmToDots(Math.ceil(((contentBottom + g.margin) * 25.4) / g.dpi), g.dpi);
  return contentBottom <= height - g.margin ? { rows: b.rows, height, room: height - g.margin - contentBottom } : null;
}

/** Leftover height on a die-cut label goes between the rows, a little each, not all below. */
function spread(rows: LabelRow[], room: number, cap: number): void {
  if (rows.length < 2) return;
  const extra = Math.min(cap, Math.floor(room / (rows.length - 1)));
  rows.forEach((r, i) => {
    r.y += i * extra;
    for (const item of r.items) item.y += i * extra;
  });
}

export function layoutLabel(parcel: MaskedParcel, opts: LabelOptions): LabelLayout {
  assertMasked(parcel);
  const dpi = opts.dpi ?? 203;
  const { widthMm, heightMm } = LABEL_SIZES[opts.size];
  const g: Geometry = {
    dpi,
    width: mmToDots(widthMm, dpi),
    height: heightMm === null ? null : mmToDots(heightMm, dpi),
    margin: mmToDots(heightMm !== null && heightMm < 40 ? 1 : 1.5, dpi),
    gap: mmToDots(0.4, dpi),
  };
  // A shipping-label size leaves room to print larger than a shelf label.
  const roomy = heightMm !== null && heightMm >= 100;
  const k: Knobs = {
    body: (dpi >= 300 ? 2 : 1) + (roomy ? 1 : 0),
    // build() narrows it further beside a QR.
    code: parcel.pickupCode ? Math.min(8, Math.floor((g.width - 2 * g.margin) / textWidth(parcel.pickupCode, 1))) : 0,
    addressLines: 3,
    barcodeMm: roomy ? 16 : 12,
    qrCell: mmToDots(roomy ? 1 : 0.5, dpi),
    waybillText: true,
    footer: true,
    item: true,
    qr: Boolean(opts.qr && parcel.pickupCode),
  };
  const wanted = { ...k };
  const symbols = { barcode: encodeCode128(parcel.waybillNo), qr: k.qr ? qrMatrix(parcel.pickupCode!) : null };
  let fitted = build(parcel, opts, g, k, symbols);
  for (const step of FIT_STEPS) {
    while (!fitted && step(k)) fitted = build(parcel, opts, g, k, symbols);
    if (fitted) break;
  }
  if (!fitted) throw new RangeError(`label ${opts.size}: the content of ${parcel.waybillNo} cannot fit`);
  if (heightMm !== null) spread(fitted.rows, fitted.room, mmToDots(4, dpi));
  return {
    size: opts.size,
    dpi,
    widthMm,
    heightMm: heightMm ?? Math.round((fitted.height * 25.4) / dpi),
    width: g.width,
    height: fitted.height,
    rows: fitted.rows,
    omitted: (Object.keys(k) as (keyof Knobs)[]).filter((key) => wanted[key] && !k[key]).map(omission),
  };
}
