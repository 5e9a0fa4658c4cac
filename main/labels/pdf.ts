// The label as a PDF page of its physical size, for printers driven through
// the OS print dialog. Text stays text (searchable, sharp at any resolution)
// with the shipped font embedded; bars and modules are filled rectangles.
import PDFDocument from 'pdfkit';
import { pdfLabelFont } from './font';
import { graphicRects, itemBox, layoutItems, type LabelLayout } from './layout';
import { CELL } from './text';

const PT_PER_MM = 72 / 25.4;

export function encodePdf(layout: LabelLayout): Promise<Uint8Array> {
  const pt = 72 / layout.dpi;
  const waybill = layoutItems(layout).find((i) => i.kind === 'code128')?.symbol.data ?? '';
  const doc = new PDFDocument({
    size: [layout.widthMm * PT_PER_MM, layout.heightMm * PT_PER_MM],
    margin: 0,
    // The label font from the start: no default Helvetica parsed from its AFM for every label.
    font: pdfLabelFont() as unknown as string,
    info: { Title: `Label ${waybill}`, Producer: 'privacy-counter' },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });

  doc.fillColor('black');
  for (const item of layoutItems(layout)) {
    if (item.kind === 'text') {
      const size = CELL * item.scale * pt;
      doc.fontSize(size);
      const room = itemBox(item).width * pt;
      const horizontalScaling = Math.min(100, (100 * room) / doc.widthOfString(item.text));
      doc.text(item.text, item.x * pt, item.y * pt, { lineBreak: false, horizontalScaling } as PDFKit.Mixins.TextOptions);
    } else {
      // Each symbol is one filled path, closed before the next text object.
      for (const r of graphicRects(item)) doc.rect(r.x * pt, r.y * pt, r.w * pt, r.h * pt);
      doc.fill();
    }
  }
  doc.end();
  return done;
}
