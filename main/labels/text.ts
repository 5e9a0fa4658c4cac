// Text metrics of the printers' built-in Chinese fonts (TSPL "TSS24.BF2",
// ESC/POS font A in Chinese mode): a 24-dot cell for every double-byte
// character, half of it for ASCII, scaled by whole multipliers. Measuring in
// these cells lets one layout serve the native encoders, the raster and the PDF.
import iconv from 'iconv-lite';

export const CELL = 24;
export const HALF_CELL = CELL / 2;
const ELLIPSIS = '…';

const isHalfWidth = (c: string): boolean => c >= ' ' && c <= '~';

/** Width in half cells. */
export function halfCells(text: string): number {
  let n = 0;
  for (const c of text) n += isHalfWidth(c) ? 1 : 2;
  return n;
}

export const textWidth = (text: string, scale: number): number => halfCells(text) * HALF_CELL * scale;

/** Longest prefix that fits in `max` half cells, ending in … when something was cut. */
export function truncate(text: string, max: number): string {
  if (halfCells(text) <= max) return text;
  let out = '';
  for (const c of text) {
    if (halfCells(out + c) + halfCells(ELLIPSIS) > max) break;
    out += c;
  }
  return out + ELLIPSIS;
}

const WORD = /[\x21-\x7e]+$/;

/**
 * Breaks between any two Chinese characters, but not inside a Latin word,
 * a number or the mask's stars when that can be helped; the last line is truncated.
 */
export function wrap(text: string, max: number, maxLines: number): string[] {
  const lines: string[] = [];
  let rest = text.trim();
  while (rest && lines.length < maxLines - 1 && halfCells(rest) > max) {
    let line = '';
    for (const c of rest) {
      if (halfCells(line + c) > max) break;
      line += c;
    }
    if (!line) break;
    const word = WORD.exec(line);
    if (word && word.index > 0 && /^[\x21-\x7e]/.test(rest.slice(line.length))) line = line.slice(0, word.index);
    lines.push(line.trimEnd());
    rest = rest.slice(line.length).trimStart();
  }
  if (rest) lines.push(truncate(rest, max));
  return lines;
}

/** Printers' Chinese fonts take GB18030 (a superset of GB2312/GBK). */
export const gb18030 = (text: string): Uint8Array => new Uint8Array(iconv.encode(text, 'gb18030'));
