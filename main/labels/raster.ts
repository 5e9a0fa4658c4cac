// Drawing a layout at one pixel per printer dot: the PNG preview, and the
// 1-bit bitmap sent to printers without a Chinese font.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { canvasLabelFont } from './font';
import { encodeGreyPng } from './png';
import { graphicRects, itemBox, layoutItems, type LabelLayout, type Rect, type TextItem } from './layout';
import { CELL } from './text';

/** Noto CJK's em box is 880 above the baseline and 120 below: the cell is the em box. */
const ASCENT = 0.88;

/** Dots `x0 ≤ x < x1`, `y0 ≤ y < y1`. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Text squeezed horizontally when the font's Latin glyphs are wider than the
 * printer's half cells. Returns a box that holds every dot the text can have
 * inked: its cells with an em to spare each side and half an em above and
 * below, and wherever the glyphs' own bounds reach past that.
 */
export function paintText(ctx: SKRSContext2D, t: Pick<TextItem, 'x' | 'y' | 'scale' | 'text'>): Box {
  const size = CELL * t.scale;
  ctx.font = `${size}px ${canvasLabelFont()}`;
  const room = itemBox({ kind: 'text', ...t }).width;
  const m = ctx.measureText(t.text);
  const squeeze = Math.min(1, room / m.width);
  const baseline = t.y + ASCENT * size;
  ctx.save();
  ctx.translate(t.x, baseline);
  ctx.scale(squeeze, 1);
  ctx.fillText(t.text, 0, 0);
  ctx.restore();
  const spare = 2; // anti-aliasing
  return {
    x0: Math.floor(Math.min(t.x - size, t.x - squeeze * m.actualBoundingBoxLeft - spare)),
    x1: Math.ceil(Math.max(t.x + room + size, t.x + squeeze * m.actualBoundingBoxRight + spare)),
    y0: Math.floor(Math.min(t.y - size / 2, baseline - m.actualBoundingBoxAscent - spare)),
    y1: Math.ceil(Math.max(t.y + 1.5 * size, baseline + m.actualBoundingBoxDescent + spare)),
  };
}

export function fillRects(ctx: SKRSContext2D, rects: Rect[]): void {
  for (const r of rects) ctx.fillRect(r.x, r.y, r.w, r.h);
}

/** A white canvas of `width` × `height` dots, ready for black ink. */
export function blankCanvas(width: number, height: number): { canvas: Canvas; ctx: SKRSContext2D } {
  const canvas = createCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, width, height);
  ctx.fillStyle = '#000';
  return { canvas, ctx };
}

/** The whole layout on a canvas of its own (what the dots are checked against, and the PNG fallback). */
export function paintLayout(layout: LabelLayout): Canvas {
  const { canvas, ctx } = blankCanvas(layout.width, layout.height);
  for (const item of layoutItems(layout)) {
    if (item.kind === 'text') paintText(ctx, item);
    else fillRects(ctx, graphicRects(item));
  }
  return canvas;
}

/** Rows of packed bits, most significant bit first; a set bit is a black dot. */
export interface Bitmap {
  width: number;
  height: number;
  bytesPerRow: number;
  bits: Uint8Array;
}

/** A layout in grey levels, one byte a dot, 255 white. */
interface GreyImage {
  width: number;
  height: number;
  /** `⌊(r + g + b) / 3⌋` of the painted dot: its grey level, and below 128 exactly when it is a printed dot. */
  grey: Uint8Array;
  /** Every dot came out an opaque grey (r = g = b), as black on white does: `grey` is then the image itself. */
  opaqueGrey: boolean;
}

// One canvas for the whole process, grown to the largest label seen and
// cleared before each: creating a canvas and reading all of it back cost more
// than painting the label. Painting and reading back are synchronous, so no
// two labels share it at once.
let scratch: { canvas: Canvas; ctx: SKRSContext2D } | undefined;
function scratchCanvas(width: number, height: number): SKRSContext2D {
  if (!scratch || scratch.canvas.width < width || scratch.canvas.height < height) {
    scratch = blankCanvas(Math.max(width, scratch?.canvas.width ?? 0), Math.max(height, scratch?.canvas.height ?? 0));
  } else {
    const { ctx } = scratch;
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, width, height);
    ctx.fillStyle = '#000';
  }
  return scratch.ctx;
}

const whole = (r: Rect): boolean => Number.isInteger(r.x) && Number.isInteger(r.y) && Number.isInteger(r.w) && Number.isInteger(r.h);

/**
 * The same dots as painting the whole layout on one canvas, for a fraction of
 * the cost: text is painted on the canvas and only the boxes it can have inked
 * are read back; bars and modules, whole dots of solid black, go straight into
 * the image (black over anti-aliased text is black either way, as on the canvas).
 */
function renderGrey(layout: LabelLayout): GreyImage {
  const { width, height } = layout;
  const ctx = scratchCanvas(width, height);
  const grey = new Uint8Array(width * height).fill(255);
  const boxes: Box[] = [];
  const solid: Rect[] = [];
  for (const item of layoutItems(layout)) {
    if (item.kind === 'text') {
      boxes.push(paintText(ctx, item));
      continue;
    }
    for (const r of graphicRects(item)) {
      if (whole(r)) {
        solid.push(r);
      } else {
        // Not on whole dots (no layout makes these): painted, anti-aliased edges and all.
        ctx.fillRect(r.x, r.y, r.w, r.h);
        boxes.push({ x0: Math.floor(r.x) - 1, y0: Math.floor(r.y) - 1, x1: Math.ceil(r.x + r.w) + 1, y1: Math.ceil(r.y + r.h) + 1 });
      }
    }
  }
  let opaqueGrey = true;
  for (const b of boxes) {
    const x0 = Math.max(0, b.x0);
    const y0 = Math.max(0, b.y0);
    const w = Math.min(width, b.x1) - x0;
    const h = Math.min(height, b.y1) - y0;
    if (w <= 0 || h <= 0) continue;
    const rgba = ctx.getImageData(x0, y0, w, h).data;
    for (let y = 0, i = 0; y < h; y++) {
      let o = (y0 + y) * width + x0;
      for (let x = 0; x < w; x++, i += 4, o++) {
        const r = rgba[i];
        const g = rgba[i + 1];
        const bl = rgba[i + 2];
        if (r !== g || g !== bl || rgba[i + 3] !== 255) opaqueGrey = false;
        grey[o] = ((r + g + bl) / 3) | 0;
      }
    }
  }
  for (const r of solid) {
    const x0 = Math.max(0, r.x);
    const x1 = Math.min(width, r.x + r.w);
    if (x1 <= x0) continue;
    for (let y = Math.max(0, r.y), y1 = Math.min(height, r.y + r.h); y < y1; y++) grey.fill(0, y * width + x0, y * width + x1);
  }
  return { width, height, grey, opaqueGrey };
}

/** Thermal heads have no grey: anti-aliased edges darker than half become dots. */
export function toBitmap({ width, height, grey }: GreyImage): Bitmap {
  const bytesPerRow = Math.ceil(width / 8);
  const bits = new Uint8Array(bytesPerRow * height);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    const out = y * bytesPerRow;
    for (let x = 0; x < width; x++) if (grey[row + x] < 128) bits[out + (x >> 3)] |= 0x80 >> (x & 7);
  }
  return { width, height, bytesPerRow, bits };
}

export const rasterise = (layout: LabelLayout): Bitmap => toBitmap(renderGrey(layout));

/** The preview the counter sees before printing: the same layout, in grey levels. */
export function renderPng(layout: LabelLayout): Uint8Array {
  const image = renderGrey(layout);
  // Something not black on white (never so far): the canvas's own PNG of the whole layout.
  return image.opaqueGrey ? encodeGreyPng(image) : new Uint8Array(paintLayout(layout).encodeSync('png'));
}
