// The CJK font shipped in assets/fonts/ (see its README), so a label looks the
// same on every counter PC whatever fonts it has. Read with fs rather than
// registered by path, so it also loads from inside the packaged asar.
import { GlobalFonts } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { CffSource, CffSubset, type CffFontSource, type FontkitSubset } from './cff-subset';

// Source: main/labels/ → ../../assets; bundled: dist/main/ → ../../assets.
export const LABEL_FONT_PATH = resolve(__dirname, '../../assets/fonts/NotoSansHans-Medium.otf');
export const LABEL_FONT_FAMILY = 'PrivacyCounterLabelSans';

let bytes: Buffer | undefined;
export function labelFontBytes(): Buffer {
  bytes ??= readFileSync(LABEL_FONT_PATH);
  return bytes;
}

let registered = false;
/** Registers the font with the canvas once; returns the family name to use in `ctx.font`. */
export function canvasLabelFont(): string {
  if (!registered) {
    if (!GlobalFonts.register(labelFontBytes(), LABEL_FONT_FAMILY)) throw new Error('the label font could not be loaded');
    registered = true;
  }
  return LABEL_FONT_FAMILY;
}

let parsed: fontkit.Font | undefined;
/** The font parsed once: pdfkit would parse the 8 MB file and rebuild its layout caches per document (~300 ms a label instead of ~30 ms). */
export function parsedLabelFont(): fontkit.Font {
  parsed ??= fontkit.create(labelFontBytes()) as fontkit.Font;
  return parsed;
}

let embeddable: fontkit.Font | undefined;
/**
 * The font for every PDF, labels and exports, as pdfkit takes it: the parsed
 * font, its subsets written by CffSubset from bytes read once instead of
 * re-encoded through fontkit's table encoder with every subroutine slot.
 */
export function pdfLabelFont(): fontkit.Font {
  if (!embeddable) {
    const font = parsedLabelFont();
    const cff = new CffSource(font as unknown as CffFontSource);
    const fontkitSubset = () => font.createSubset() as unknown as FontkitSubset;
    embeddable = Object.create(font, { createSubset: { value: () => new CffSubset(cff, fontkitSubset) } }) as fontkit.Font;
  }
  return embeddable;
}
