// A barcode read, whichever way it reached the app. Waybill and pickup codes
// only; the scanner layer never sees personal data.

export type ScanSource = 'hid-pos' | 'serial' | 'keyboard';

export interface ScanEvent {
  code: string;
  /** AIM symbology identifier such as "]C0" (Code 128) or "]Q1" (QR), when the scanner sent one. */
  symbology: string | null;
  source: ScanSource;
  /** Epoch milliseconds when the read completed. */
  at: number;
}
