// TSPL for label printers (TSC, Gprinter, Xprinter, HPRT…). Native mode lets
// the printer draw text with its own GB18030 font and the symbols itself, so a
// label is a few hundred bytes; the raster mode sends the whole label as one
// BITMAP for printers without a Chinese font.
import { ByteSink } from './bytes';
import { isReceipt, layoutItems, type LabelItem, type LabelLayout } from './layout';
import { QR_ECC } from './qr';
import { rasterise } from './raster';
import { gb18030 } from './text';

export const TSPL_FONT = 'TSS24.BF2';
/** Die-cut stock has a gap between labels; receipt rolls are continuous. */
const LABEL_GAP_MM = 2;

/** TSPL writes a double quote inside a string as \["]. */
const quoted = (text: string): Uint8Array => gb18030(`"${text.replaceAll('"', '\\["]')}"`);

function header(out: ByteSink, layout: LabelLayout): void {
  const gap = isReceipt(layout.size) ? 0 : LABEL_GAP_MM;
  out.ascii(`SIZE ${layout.widthMm} mm,${layout.heightMm} mm\r\nGAP ${gap} mm,0 mm\r\nCLS\r\n`);
}

function item(out: ByteSink, it: LabelItem): void {
  switch (it.kind) {
    case 'text':
      out.ascii(`TEXT ${it.x},${it.y},"${TSPL_FONT}",0,${it.scale},${it.scale},`).bytes(quoted(it.text));
      break;
    case 'code128':
      // No human-readable line: the layout prints the waybill number itself.
      out.ascii(`BARCODE ${it.x},${it.y},"128",${it.height},0,0,${it.module},${it.module},`).bytes(quoted(it.symbol.data));
      break;
    case 'qr':
      out.ascii(`QRCODE ${it.x},${it.y},${QR_ECC},${it.cell},A,0,`).bytes(quoted(it.data));
      break;
  }
  out.ascii('\r\n');
}

export function encodeTspl(layout: LabelLayout): Uint8Array {
  const out = new ByteSink();
  header(out, layout);
  for (const it of layoutItems(layout)) item(out, it);
  return out.ascii('PRINT 1\r\n').toBytes();
}

export function encodeTsplRaster(layout: LabelLayout): Uint8Array {
  const { bytesPerRow, height, bits } = rasterise(layout);
  const out = new ByteSink();
  header(out, layout);
  // In TSPL's BITMAP a 0 bit is a printed dot: the opposite of our bitmap.
  out.ascii(`BITMAP 0,0,${bytesPerRow},${height},0,`).bytes(bits.map((b) => ~b & 0xff));
  return out.ascii('\r\nPRINT 1\r\n').toBytes();
}
