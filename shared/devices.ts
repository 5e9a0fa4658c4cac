// Device facts that may cross IPC: what is plugged in, what the supervisor
// chose, how each device is doing, and the print queue. No personal data.
import type { AppErrorData } from './errors';

export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  /** OS path (hidraw node, IOService path, Windows device path); can change on replug. */
  path: string;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** Top-level usage page: 0x8C for a HID POS barcode scanner, 0x01 for keyboards. */
  usagePage?: number;
  usage?: number;
  /** USB interface number, telling apart the HID interfaces of one composite device. */
  interface?: number;
}

export type DeviceRole = 'scanner' | 'printer';
export const PRINTER_LANGUAGES = ['tspl', 'escpos'] as const;
export type PrinterLanguage = (typeof PRINTER_LANGUAGES)[number];

/** Which physical device fills a role; serial (or path) tells apart two of the same model. */
export interface DeviceIdentity {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  path: string;
  usagePage?: number;
  interface?: number;
  /** Product name, for display. */
  product?: string;
}

export interface ScannerChoice extends DeviceIdentity {
  role: 'scanner';
}

export interface PrinterChoice extends DeviceIdentity {
  role: 'printer';
  language: PrinterLanguage;
  /** Bytes per HID output report after the report id: 8, 32 or 64 on common printers. */
  reportSize: number;
  /** 0 when the printer does not number its reports. */
  reportId: number;
}

export type DeviceChoice = ScannerChoice | PrinterChoice;

/**
 * A device chosen by its URI (shared/printer-uri.ts) instead of from the HID
 * list: a printer over USB Printer Class, raw TCP, CUPS or the Windows
 * spooler, with its command language; a scanner on a virtual COM port.
 */
export type UriChoice = { role: 'printer'; uri: string; language: PrinterLanguage } | { role: 'scanner'; uri: string };

/** Conditions a printer reports about itself; each holds the queue, except `busy`. */
export type PrinterProblem =
  | 'busy'
  | 'head-open'
  | 'cover-open'
  | 'paper-jam'
  | 'paper-out'
  | 'ribbon-out'
  | 'paused'
  | 'overheated'
  | 'offline'
  | 'error';

/**
 * Whether a condition keeps the next label back. A busy printer (printing, or feeding paper)
 * takes the next job into its buffer when it is done, so busy is shown, not waited on.
 */
export const holdsQueue = (p: PrinterProblem): boolean => p !== 'busy';

export type DeviceState = 'not-chosen' | 'disconnected' | 'connected' | 'error';

export interface DeviceStatus {
  role: DeviceRole;
  state: DeviceState;
  device: DeviceIdentity | null;
  /** The URI of a device chosen by URI (then `device` is null). */
  uri?: string;
  /** What a connected printer last reported; empty when fine or when it does not report. */
  problems: PrinterProblem[];
  /** Set in the 'error' state: driver missing, permission denied, ... */
  error: AppErrorData | null;
}

/** Connection types a printer can be found by (network printers are typed, not found). */
export type FoundKind = 'usb' | 'cups' | 'win' | 'hid';

/** A printer found on this PC: its URI, with what is known about it. */
export interface FoundPrinter {
  uri: string;
  kind: FoundKind;
  maker?: string;
  model?: string;
  /** The queue's or printer's state in its own words (lpstat, Get-Printer). */
  state?: string;
  /** The OS driver holding a USB printer, which then prints through the spooler instead. */
  osDriver?: string | null;
}

/** A scanner in USB virtual COM mode: its URI, the port it is on now, and its maker. */
export interface FoundScanner {
  uri: string;
  kind: 'serial';
  path: string;
  maker?: string;
}

/** Why one kind of printer or scanner could not be searched (no libusb, no CUPS, no serial ports …). */
export interface DiscoveryError {
  kind: FoundKind | 'serial';
  error: AppErrorData;
}

export const PRINT_JOB_STATUSES = ['queued', 'printing', 'done', 'failed'] as const;
export type PrintJobStatus = (typeof PRINT_JOB_STATUSES)[number];

export interface PrintJobSummary {
  id: number;
  createdAt: string;
  printerKey: string;
  format: PrinterLanguage;
  status: PrintJobStatus;
  /** Transmissions started; an unplug mid-job resumes and counts again. */
  attempts: number;
  lastError: string | null;
  printedAt: string | null;
  /** The job this one reprints. */
  reprintOf: number | null;
}
