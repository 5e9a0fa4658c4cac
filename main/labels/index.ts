// Privacy labels: one layout from a MaskedParcel, encoded for the printer at hand.
import type { MaskedParcel } from '../../shared/parcel';
import { encodeEscPos, encodeEscPosRaster } from './escpos';
import { layoutLabel, type LabelLayout, type LabelOptions } from './layout';
import { encodePdf } from './pdf';
import { renderPng } from './raster';
import { encodeTspl, encodeTsplRaster } from './tspl';

export { DPIS, LABEL_SIZE_IDS, LABEL_SIZES, layoutLabel, type Dpi, type LabelLayout, type LabelOptions, type LabelSizeId } from './layout';

const ENCODERS = {
  tspl: encodeTspl,
  'tspl-raster': encodeTsplRaster,
  escpos: encodeEscPos,
  'escpos-raster': encodeEscPosRaster,
  pdf: encodePdf,
  png: renderPng,
} satisfies Record<string, (layout: LabelLayout) => Uint8Array | Promise<Uint8Array>>;

export type LabelFormat = keyof typeof ENCODERS;
export const LABEL_FORMATS = Object.keys(ENCODERS) as LabelFormat[];

/** Native ESC/POS prints line by line, so its QR takes a row of its own. */
export const layoutFor = (parcel: MaskedParcel, format: LabelFormat, opts: Omit<LabelOptions, 'qrPlacement'>): LabelLayout =>
  layoutLabel(parcel, { ...opts, qrPlacement: format === 'escpos' ? 'row' : 'beside' });

export const encodeLayout = async (layout: LabelLayout, format: LabelFormat): Promise<Uint8Array> => ENCODERS[format](layout);

export function renderLabel(parcel: MaskedParcel, format: LabelFormat, opts: Omit<LabelOptions, 'qrPlacement'>): Promise<Uint8Array> {
  return encodeLayout(layoutFor(parcel, format, opts), format);
}
