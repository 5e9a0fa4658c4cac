// The CJK font shipped in assets/fonts/ (see its README), so a label looks the
// same on every counter PC whatever fonts it has. Read with fs rather than
// registered by path, so it also loads from inside the packaged asar.
import { GlobalFonts } from '@napi-rs/canvas';
import * as fontkit from 'fontkit';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

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
/**
 * The font parsed once for every PDF: pdfkit would parse the 8 MB file and
 * rebuild its layout caches per document (~300 ms a label instead of ~30 ms).
 */
export function pdfLabelFont(): fontkit.Font {
  parsed ??= fontkit.create(labelFontBytes()) as fontkit.Font;
  return parsed;
}
