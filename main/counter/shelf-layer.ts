// A shelf-layer's own barcode: "3-2" is shelf 3, layer 2, the prefix of the
// pickup codes issued there ("3-2-1024"). Waybill numbers never look like it.
import type { Slot } from './shelf';

const SHELF_LAYER = /^(\d{1,3})-(\d{1,2})$/;

export const slotName = (s: Slot): string => `${s.shelf}-${s.layer}`;

/** The slot a shelf-layer barcode names, or null when the text is something else. */
export function parseShelfLayer(text: string): Slot | null {
  const m = SHELF_LAYER.exec(text.trim());
  if (!m) return null;
  const shelf = Number(m[1]);
  const layer = Number(m[2]);
  return shelf >= 1 && layer >= 1 ? { shelf, layer } : null;
}
