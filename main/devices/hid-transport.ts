// The one narrow boundary between the device layer and USB HID. node-hid sits
// behind it in production (node-hid-backend.ts); virtual devices sit behind it
// in tests and demos. Everything above it is ordinary code.
import type { HidDeviceInfo } from '../../shared/devices';

export type { HidDeviceInfo };

/**
 * One opened HID interface. Reports follow the hidapi convention: an output
 * report starts with its report id (0 when the device does not number its
 * reports); an input report starts with its report id only when the device
 * numbers its reports.
 */
export interface HidTransport {
  open(): Promise<void>;
  /** Resolves once the report has been handed to the OS; rejects if the device is gone. */
  write(report: Uint8Array): Promise<void>;
  /** Sets the (single) listener for input reports. */
  onData(cb: (report: Uint8Array) => void): void;
  /** Sets the (single) listener for read errors, including the device being unplugged. */
  onError(cb: (err: Error) => void): void;
  close(): Promise<void>;
}

export interface HidBackend {
  /** Devices present now. Throws AppError('HID_UNAVAILABLE') when the driver cannot be loaded. */
  list(): HidDeviceInfo[];
  open(info: HidDeviceInfo): HidTransport;
}

/** HID POS usage page for barcode scanners (HID Point of Sale Usage Tables 1.02, §3). */
export const HID_POS_SCANNER_USAGE_PAGE = 0x8c;

export const isHidPosScanner = (info: HidDeviceInfo): boolean => info.usagePage === HID_POS_SCANNER_USAGE_PAGE;
