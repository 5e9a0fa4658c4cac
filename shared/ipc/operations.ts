// Channels: station operations — stocktake (盘库), moving parcels between
// shelf-layers and their labels, the daily close (日结) and carrier
// settlement, and handover photos (出库拍照).
import { z } from 'zod';
import type { DailyClose, Settlement } from '../closing';
import type { HandoverResult } from '../counter';
import { PHOTO_MODES, type PhotoSettings } from '../photo';
import type { ParcelMove, StocktakeResult, StocktakeScanResult, StocktakeSummary } from '../stocktake';
import { empty, totpCode } from './common';
import { counterChannels } from './counter';
import { EXPORT_FORMATS, type SignedExport } from './ledger';

const id = z.number().int().positive();
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);
/** A shelf-layer barcode, "3-2". */
const shelfLayer = z.string().trim().regex(/^\d{1,3}-\d{1,2}$/);
const waybill = z.string().trim().min(4).max(40);
const fraction = z.number().min(0).max(1);

export const SHELF_LABEL_FORMATS = ['tspl', 'tspl-raster', 'escpos', 'escpos-raster', 'pdf', 'png'] as const;

export const operationsChannels = {
  'stocktake.current': empty,
  'stocktake.start': z.object({ layers: z.array(shelfLayer).min(1).max(5000).optional() }).strict(),
  'stocktake.scan': z.object({ code: z.string().trim().min(1).max(64) }).strict(),
  'stocktake.pause': empty,
  'stocktake.resume': empty,
  'stocktake.progress': empty,
  'stocktake.close': z.object({ note: z.string().trim().max(500).optional(), totp: totpCode }).strict(),
  'stocktake.export': z.object({ stocktakeId: id, format: z.enum(EXPORT_FORMATS), totp: totpCode }).strict(),
  'shelves.move': z.object({ waybill, to: shelfLayer }).strict(),
  'shelves.moveLayer': z.object({ from: shelfLayer, to: shelfLayer }).strict(),
  'shelves.labels': z
    .object({
      layers: z.array(shelfLayer).min(1).max(5000).optional(),
      symbol: z.enum(['code128', 'qr']),
      size: z.enum(['40x30', '60x40']).optional(),
      format: z.enum(SHELF_LABEL_FORMATS),
    })
    .strict(),
  'closing.closeDay': z.object({ date: day, totp: totpCode }).strict(),
  'closing.exportDay': z.object({ date: day, format: z.enum(EXPORT_FORMATS), totp: totpCode }).strict(),
  'closing.settlement': z
    .object({ from: day, to: day, format: z.enum(EXPORT_FORMATS), totp: totpCode })
    .strict()
    .refine((p) => p.from <= p.to, { path: ['to'] }),
  /** The latest closed days, newest first. */
  'closing.history': z.object({ limit: z.number().int().min(1).max(366) }).strict(),
  'closing.fees': empty,
  'closing.fees.set': z.object({ fees: z.record(z.string().max(8), z.string().trim().max(8)), totp: totpCode }).strict(),
  'photos.settings.get': empty,
  'photos.settings.update': z
    .object({
      mode: z.enum(PHOTO_MODES).optional(),
      crop: z.object({ x: fraction, y: fraction, w: fraction, h: fraction }).strict().optional(),
      totp: totpCode,
    })
    .strict(),
  /** counter.handOver whose photo, taken at the waybill scan, follows on photos.attach with the token it answers. */
  'photos.handOver': counterChannels['counter.handOver'],
  /** The handover's photo (JPEG), once, with that handover's one-time token. */
  'photos.attach': z.object({ token: z.string().regex(/^[0-9a-f]{32}$/), photo: z.instanceof(Uint8Array) }).strict(),
  'photos.view': z.object({ handoverId: id, reason: z.string().trim().min(2).max(200), totp: totpCode }).strict(),
} as const;

export interface OperationsOutputs {
  'stocktake.current': StocktakeSummary | null;
  'stocktake.start': StocktakeSummary;
  'stocktake.scan': StocktakeScanResult;
  'stocktake.pause': StocktakeSummary;
  'stocktake.resume': StocktakeSummary;
  'stocktake.progress': StocktakeResult;
  'stocktake.close': { summary: StocktakeSummary; result: StocktakeResult };
  'stocktake.export': SignedExport;
  'shelves.move': ParcelMove;
  'shelves.moveLayer': ParcelMove[];
  'shelves.labels': { slot: string; bytes: Uint8Array }[];
  'closing.closeDay': DailyClose;
  'closing.exportDay': SignedExport;
  'closing.settlement': { settlement: Settlement; file: SignedExport };
  'closing.history': DailyClose[];
  'closing.fees': Record<string, string>;
  'closing.fees.set': Record<string, string>;
  'photos.settings.get': PhotoSettings;
  'photos.settings.update': PhotoSettings;
  /** `photoToken`: null when the setting asks no photo of this handover. */
  'photos.handOver': HandoverResult & { photoToken: string | null };
  'photos.attach': { photoSm3: string };
  'photos.view': { photo: Uint8Array; sm3: string; takenAt: string; parcelId: number };
}
