// Channels: scanners, label printers, the print queue and privacy labels.
import { z } from 'zod';
import type { DeviceStatus, DiscoveryError, FoundPrinter, FoundScanner, HidDeviceInfo, PrintJobSummary } from '../devices';
import { PRINTER_LANGUAGES } from '../devices';
import type { ScanEvent } from '../scan';
import { empty, totpCode } from './common';

const id = z.number().int().positive();
const identity = {
  vendorId: z.number().int().min(0).max(0xffff),
  productId: z.number().int().min(0).max(0xffff),
  serialNumber: z.string().max(128).optional(),
  path: z.string().min(1).max(1024),
  usagePage: z.number().int().min(0).max(0xffff).optional(),
  interface: z.number().int().min(-1).max(255).optional(),
  product: z.string().max(128).optional(),
  // Listed with the device; accepted so the UI can send a listing back as is, then dropped.
  manufacturer: z.string().max(128).optional(),
  usage: z.number().int().min(0).max(0xffff).optional(),
};

export const LABEL_SIZES = ['40x30', '60x40', '76x130', '58mm', '80mm'] as const;
export type LabelSize = (typeof LABEL_SIZES)[number];
/** The words printed on a label (the shelf and layer): a printer's own, Chinese unless set. */
export const LABEL_LANGUAGES = ['zh', 'en'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];

/** The label size and language of one workstation's printer ('' = this PC's, on a station file). */
export interface PrinterLabels {
  workstation: string;
  /** The chosen printer (its URI or its model), or null where none is chosen any more. */
  printer: string | null;
  size: LabelSize;
  language: LabelLanguage;
  /** False: the station's size in Chinese, nothing set for this printer. */
  own: boolean;
}

/** Every printer's row, and the station's size that a printer without its own takes. */
export interface PrinterLabelsView {
  /** This PC's workstation, whose row its own labels follow. */
  here: string;
  stationSize: LabelSize;
  printers: PrinterLabels[];
}

const printerLabels = z.object({ workstation: z.string().max(255), size: z.enum(LABEL_SIZES), language: z.enum(LABEL_LANGUAGES) }).strict();

export const devicesChannels = {
  'devices.list': empty,
  'devices.status': empty,
  'devices.choose': z.discriminatedUnion('role', [
    z.object({ role: z.literal('scanner'), ...identity, totp: totpCode }).strict(),
    z
      .object({
        role: z.literal('printer'),
        ...identity,
        language: z.enum(PRINTER_LANGUAGES),
        reportSize: z.number().int().min(1).max(4096),
        reportId: z.number().int().min(0).max(255),
        totp: totpCode,
      })
      .strict(),
  ]),
  'devices.forget': z.object({ role: z.enum(['scanner', 'printer']), totp: totpCode }).strict(),
  // The URI is checked in main (shared/printer-uri.ts), which says what is wrong with it in both languages.
  'devices.chooseUri': z.discriminatedUnion('role', [
    z.object({ role: z.literal('printer'), uri: z.string().min(1).max(300), language: z.enum(PRINTER_LANGUAGES), totp: totpCode }).strict(),
    z.object({ role: z.literal('scanner'), uri: z.string().min(1).max(300), totp: totpCode }).strict(),
  ]),
  'printers.discover': empty,
  'scanners.discover': empty,
  'print.testPage': z.object({ size: z.enum(LABEL_SIZES).optional() }).strict(),
  'print.jobs': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
  'print.reprint': z.object({ jobId: id }).strict(),
  'labels.preview': z.object({ parcelId: id, size: z.enum(LABEL_SIZES).optional() }).strict(),
  'labels.print': z.object({ parcelId: id, size: z.enum(LABEL_SIZES).optional() }).strict(),
  'labels.printers': empty,
  'labels.printers.set': z.object({ printers: z.array(printerLabels).min(1).max(100), totp: totpCode }).strict(),
} as const;

export interface LabelPreview {
  png: Uint8Array;
  width: number;
  height: number;
  /** Parts left off because the label is too small. */
  omitted: string[];
}

export interface DevicesOutputs {
  'devices.list': HidDeviceInfo[];
  'devices.status': DeviceStatus[];
  'devices.choose': DeviceStatus[];
  'devices.forget': DeviceStatus[];
  'devices.chooseUri': DeviceStatus[];
  'printers.discover': (FoundPrinter | DiscoveryError)[];
  'scanners.discover': (FoundScanner | DiscoveryError)[];
  'print.testPage': PrintJobSummary;
  'print.jobs': PrintJobSummary[];
  'print.reprint': PrintJobSummary;
  'labels.preview': LabelPreview;
  'labels.print': PrintJobSummary;
  'labels.printers': PrinterLabelsView;
  'labels.printers.set': PrinterLabelsView;
}

export interface DevicesEvents {
  'devices.status': DeviceStatus;
  /** A barcode from a HID POS scanner; keyboard-wedge scans are detected in the renderer. */
  scan: ScanEvent;
  'print.job': PrintJobSummary;
}
