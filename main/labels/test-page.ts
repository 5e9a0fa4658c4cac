// A test page for choosing a printer's language and resolution: the station
// name, a Code 128 barcode and a Chinese line. Printed in the wrong language
// it comes out as garbage text or not at all; at the wrong DPI the barcode and
// the text come out the wrong size, or cut off. Its words are bilingual, as on
// the exports: it goes to paper, not to one clerk's screen language.
import { encodeCode128 } from './code128';
import { isReceipt, LABEL_SIZES, mmToDots, type Dpi, type LabelItem, type LabelLayout, type LabelRow, type LabelSizeId } from './layout';
import { CELL, textWidth, truncate, HALF_CELL } from './text';

export const TEST_PAGE_CODE = 'TEST-0123456789';
export const TEST_PAGE_CHINESE = '中文打印正常 Chinese OK';

export function testPageLayout(o: { stationName: string; size: LabelSizeId; dpi: Dpi; language: string }): LabelLayout {
  const { widthMm, heightMm } = LABEL_SIZES[o.size];
  const width = mmToDots(widthMm, o.dpi);
  const margin = mmToDots(1.5, o.dpi);
  const gap = mmToDots(1, o.dpi);
  const inner = width - 2 * margin;
  const rows: LabelRow[] = [];
  let y = margin;
  const add = (height: number, items: LabelItem[]): void => {
    rows.push({ y, height, items });
    y += height + gap;
  };
  const line = (text: string, scale: number): void => {
    const fitted = truncate(text, Math.floor(inner / (HALF_CELL * scale)));
    add(CELL * scale, [{ kind: 'text', x: margin, y, scale, text: fitted }]);
  };
  line(o.stationName, inner >= textWidth(o.stationName, 2) ? 2 : 1);
  line(TEST_PAGE_CHINESE, 1);
  const symbol = encodeCode128(TEST_PAGE_CODE);
  const module = Math.max(1, Math.min(mmToDots(0.375, o.dpi), Math.floor(inner / symbol.modules)));
  const barcodeHeight = mmToDots(8, o.dpi);
  add(barcodeHeight, [{ kind: 'code128', x: margin + Math.floor((inner - symbol.modules * module) / 2), y, module, height: barcodeHeight, symbol }]);
  line(`${o.language.toUpperCase()} · ${o.dpi} dpi · ${widthMm} mm`, 1);
  const contentHeight = y - gap + margin;
  const height = isReceipt(o.size) || heightMm === null ? contentHeight : mmToDots(heightMm, o.dpi);
  return {
    size: o.size,
    dpi: o.dpi,
    widthMm,
    heightMm: heightMm ?? Math.round((height * 25.4) / o.dpi),
    width,
    height,
    rows,
    omitted: [],
  };
}
