// Drawing a layout at one pixel per printer dot: the PNG preview, and the
// 1-bit bitmap sent to printers without a Chinese font.
import { createCanvas, type Canvas, type SKRSContext2D } from '@napi-rs/canvas';
import { canvasLabelFont } from './font';
import { graphicRects, itemBox, layoutItems, type LabelLayout, type Rect, type TextItem } from './layout';
import { CELL } from './text';

/** Noto CJK's em box is 880 above the baseline and 120 below: the cell is the em box. */
const ASCENT = 0.88;

/** Text squeezed horizontally when the font's Latin glyphs are wider than the printer's half cells. */
export function paintText(ctx: SKRSContext2D, t: Pick<TextItem, 'x' | 'y' | 'scale' | 'text'>): void {
  const size = CELL * t.scale;
  ctx.font = `${size}px ${canvasLabelFont()}`;
  const room = itemBox({ kind: 'text', ...t }).width;
  const squeeze = Math.min(1, room / ctx.measureText(t.text).width);
  ctx.save();
  ctx.translate(t.x, t.y + ASCENT * size);
  ctx.scale(squeeze, 1);
  ctx.fillText(t.text, 0, 0);
  ctx.restore();
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

/** Thermal heads have no grey: anti-aliased edges darker than half become dots. */
export function toBitmap(canvas: Canvas): Bitmap {
  const { width, height } = canvas;
  const rgba = canvas.getContext('2d').getImageData(0, 0, width, height).data;
  const bytesPerRow = Math.ceil(width / 8);
  const bits = new Uint8Array(bytesPerRow * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      if (rgba[i] + rgba[i + 1] + rgba[i + 2] < 3 * 128) bits[y * bytesPerRow + (x >> 3)] |= 0x80 >> (x & 7);
    }
  }
  return { width, height, bytesPerRow, bits };
}

export const rasterise = (layout: LabelLayout): Bitmap => toBitmap(paintLayout(layout));

/** The preview the counter sees before printing: the same layout, in grey levels. */
export const renderPng = (layout: LabelLayout): Uint8Array => new Uint8Array(paintLayout(layout).encodeSync('png'));
