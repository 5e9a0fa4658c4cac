// Handover photo (出库拍照) settings, as the settings screen and the counter see them.
export const PHOTO_MODES = ['always', 'proxy', 'off'] as const;
export type PhotoMode = (typeof PHOTO_MODES)[number];

/** The part of the camera frame kept, as fractions of its width and height. */
export interface CropRegion {
  x: number;
  y: number;
  w: number;
  h: number;
}

export interface PhotoSettings {
  mode: PhotoMode;
  crop: CropRegion;
}

export const FULL_FRAME: CropRegion = { x: 0, y: 0, w: 1, h: 1 };

/** A region inside the frame, at least a tenth of it each way; else null. */
export function validCrop(c: unknown): CropRegion | null {
  if (!c || typeof c !== 'object') return null;
  const { x, y, w, h } = c as Record<string, unknown>;
  const nums = [x, y, w, h];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return null;
  const r = { x: x as number, y: y as number, w: w as number, h: h as number };
  return r.x >= 0 && r.y >= 0 && r.w >= 0.1 && r.h >= 0.1 && r.x + r.w <= 1.0001 && r.y + r.h <= 1.0001 ? r : null;
}

/** Whether this handover takes a photo under the station's setting. */
export const photoWanted = (mode: PhotoMode, proxy: boolean): boolean => mode === 'always' || (mode === 'proxy' && proxy);
