// The CJK font for PDF exports: the font object the label PDFs embed (parsed
// once per process, subset by CffSubset), with a plain cmap layout in place of
// fontkit's OpenType shaping. Shaping costs ~70 µs per string with this 8 MB
// font and a 10 000-row export lays out several hundred thousand strings;
// export cells hold Chinese, digits and Latin only (no ligatures, marks or
// complex scripts), so one glyph per code point gives the same glyphs, less
// Latin kerning. pdfkit accepts any object with a `layout` method as a font.
//
// The same layout also sets tabs: a tab moves on to the next tab stop, and
// pdfkit writes that jump into the line's TJ array as it would a kerning
// adjustment. A whole table line is then one text() call instead of one per
// cell: pdfkit's fixed cost per call (state save, transform, measuring the
// string twice) was most of the time of a 10 000-row export.
import type { Glyph } from 'fontkit';
import { pdfLabelFont } from '../labels/font';

export interface ExportFont {
  /** Width in points, exactly as pdfkit will set the string (without tabs). */
  widthOf(text: string, size: number): number;
  /**
   * What to hand to one document's `registerFont`: text set at `size` jumps
   * at each tab to the next of `tabStops` (points from where the text starts).
   */
  withTabStops(tabStops: readonly number[], size: number): object;
}

let cached: ExportFont | undefined;

export function exportFont(): ExportFont {
  if (cached) return cached;
  const base = pdfLabelFont();
  const glyphs = new Map<number, Glyph>();
  const glyph = (cp: number): Glyph => {
    let g = glyphs.get(cp);
    if (!g) glyphs.set(cp, (g = base.glyphForCodePoint(cp)));
    return g;
  };
  const space = glyph(0x20);
  /** Stops in font units from the start of the text. */
  const layout = (stops: readonly number[]) => (text: string) => {
    const run: Glyph[] = [];
    // Fresh position objects every time: pdfkit scales each key in place, so
    // only the one that is ever non-zero (no offsets, no vertical advance).
    const positions: { xAdvance: number }[] = [];
    let x = 0;
    let stop = 0;
    for (const ch of text) {
      let g: Glyph;
      let advance: number;
      if (ch === '\t') {
        while (stop < stops.length && stops[stop] <= x) stop++;
        g = space;
        advance = stop < stops.length ? stops[stop] - x : space.advanceWidth;
      } else {
        g = glyph(ch.codePointAt(0)!);
        advance = g.advanceWidth;
      }
      run.push(g);
      positions.push({ xAdvance: advance });
      x += advance;
    }
    return { glyphs: run, positions, advanceWidth: x };
  };
  const scale = 1 / base.unitsPerEm;
  cached = {
    withTabStops: (tabStops, size) =>
      Object.create(base as object, { layout: { value: layout(tabStops.map((pt) => pt / (size * scale))) } }) as object,
    widthOf(text, size) {
      let w = 0;
      for (const ch of text) w += glyph(ch.codePointAt(0)!).advanceWidth;
      return w * size * scale;
    },
  };
  return cached;
}
