// A shelf-layer's own label: its barcode (Code 128 or QR of "3-2", what the
// stocktake and the moves scan) above large digits a person reads from a
// step away. Only die-cut sizes: the label is stuck on the shelf's edge.
import type { LabelLanguage } from '../../shared/ipc/devices';
import { encodeCode128 } from './code128';
import { LABEL_SIZES, mmToDots, shelfSlot, type Dpi, type LabelItem, type LabelLayout, type LabelRow } from './layout';
import { qrMatrix } from './qr';
import { CELL, textWidth } from './text';

export const SHELF_SYMBOLS = ['code128', 'qr'] as const;
export type ShelfSymbol = (typeof SHELF_SYMBOLS)[number];
export const SHELF_LABEL_SIZES = ['40x30', '60x40'] as const;
export type ShelfLabelSize = (typeof SHELF_LABEL_SIZES)[number];

export interface ShelfLabelOptions {
  size: ShelfLabelSize;
  dpi?: Dpi;
  symbol: ShelfSymbol;
  language?: LabelLanguage;
}

/** `slot` is the shelf-layer barcode text, "3-2". */
export function layoutShelfLabel(slot: string, o: ShelfLabelOptions): LabelLayout {
  const dpi = o.dpi ?? 203;
  const { widthMm, heightMm } = LABEL_SIZES[o.size];
  const width = mmToDots(widthMm, dpi);
  const height = mmToDots(heightMm, dpi);
  const margin = mmToDots(1.5, dpi);
  const gap = mmToDots(1, dpi);
  const inner = width - 2 * margin;
  const rows: LabelRow[] = [];
  const row = (y: number, h: number, items: LabelItem[]) => rows.push({ y, height: h, items });

  // The same words as the slot line of a parcel's label.
  const caption = shelfSlot(`${slot}-0`, o.language) ?? slot;
  const captionScale = dpi >= 300 ? 2 : 1;
  const captionH = CELL * captionScale;
  // The graphic takes what the caption and the digits leave, the digits at least two cells.
  const digitsScale = Math.max(2, Math.min(6, Math.floor(inner / textWidth(slot, 1)), Math.floor((height - 2 * margin) / 3 / CELL)));
  const digitsH = CELL * digitsScale;
  const graphicH = height - 2 * margin - digitsH - captionH - 2 * gap;
  let y = margin;
  if (o.symbol === 'qr') {
    const matrix = qrMatrix(slot);
    const cell = Math.max(1, Math.floor(Math.min(graphicH, inner) / (matrix.size + 4)));
    const side = matrix.size * cell;
    row(y, graphicH, [{ kind: 'qr', x: margin + Math.floor((inner - side) / 2), y: y + Math.floor((graphicH - side) / 2), cell, data: slot, matrix }]);
  } else {
    const symbol = encodeCode128(slot);
    const module = Math.max(1, Math.min(mmToDots(0.5, dpi), Math.floor(inner / (symbol.modules + 20))));
    row(y, graphicH, [{ kind: 'code128', x: margin + Math.floor((inner - symbol.modules * module) / 2), y, module, height: graphicH, symbol }]);
  }
  y += graphicH + gap;
  row(y, digitsH, [{ kind: 'text', x: margin + Math.floor((inner - textWidth(slot, digitsScale)) / 2), y, scale: digitsScale, text: slot }]);
  y += digitsH + gap;
  row(y, captionH, [{ kind: 'text', x: margin + Math.floor((inner - textWidth(caption, captionScale)) / 2), y, scale: captionScale, text: caption }]);
  return { size: o.size, dpi, widthMm, heightMm, width, height, rows, omitted: [] };
}
