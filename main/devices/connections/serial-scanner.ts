// Scanners in USB virtual COM mode, through the `serialport` package: the
// scanner sends each code followed by its suffix (CR, LF or CR LF), optionally
// prefixed by its AIM identifier. The codes join the HID POS scans on the
// same 'scan' event. The only file that touches serialport, loaded on demand.
import type { ScanEvent } from '../../../shared/scan';
import { AppError } from '../../../shared/errors';
import { decodeText } from '../hid-pos';
import { TransportListeners, type ByteTransport } from '../printer-channel';

/** The part of serialport used here; a test provides a fake of exactly this. */
export interface SerialPortLike {
  open(cb: (err: Error | null) => void): void;
  write(data: Uint8Array, cb: (err: Error | null | undefined) => void): void;
  close(cb: (err: Error | null) => void): void;
  on(event: 'data', cb: (data: Uint8Array) => void): void;
  on(event: 'error' | 'close', cb: (err?: Error | null) => void): void;
  readonly isOpen: boolean;
}
export interface SerialPortInfo {
  path: string;
  vendorId?: string;
  productId?: string;
  serialNumber?: string;
  manufacturer?: string;
}
export interface SerialLike {
  list(): Promise<SerialPortInfo[]>;
  open(opts: { path: string; baudRate: number; autoOpen: false }): SerialPortLike;
}
export type SerialLoader = () => Promise<SerialLike>;

const loadSerial: SerialLoader = async () => {
  const { SerialPort } = await import('serialport');
  return { list: () => SerialPort.list(), open: (opts) => new SerialPort(opts) as unknown as SerialPortLike };
};

export interface SerialTarget {
  vendorId: number;
  productId: number;
  serialNumber?: string;
}

// USB CDC ignores the line rate; 9600 is what scanners set when it matters (a real RS-232 adapter).
const BAUD = 9600;
const hexId = (s: string | undefined): number | null => (s && /^[0-9a-f]{1,4}$/i.test(s) ? parseInt(s, 16) : null);

export class SerialScannerBackend {
  private serial: Promise<SerialLike> | null = null;

  constructor(private readonly load: SerialLoader = loadSerial) {}

  /** USB serial ports present now (those with vendor and product ids). */
  async list(): Promise<(SerialTarget & { path: string; manufacturer?: string })[]> {
    return (await (await this.module()).list()).flatMap((p) => {
      const vendorId = hexId(p.vendorId);
      const productId = hexId(p.productId);
      if (vendorId === null || productId === null) return [];
      return [{ path: p.path, vendorId, productId, ...(p.serialNumber ? { serialNumber: p.serialNumber } : {}), ...(p.manufacturer ? { manufacturer: p.manufacturer } : {}) }];
    });
  }

  transport(target: SerialTarget): ByteTransport {
    return new SerialTransport(this, target);
  }

  /** @internal */
  module(): Promise<SerialLike> {
    this.serial ??= this.load().catch((e: unknown) => {
      this.serial = null;
      throw new AppError('SERIAL_UNAVAILABLE', e instanceof Error ? e.message : String(e));
    });
    return this.serial;
  }
}

class SerialTransport extends TransportListeners implements ByteTransport {
  private port: SerialPortLike | null = null;

  constructor(
    private readonly backend: SerialScannerBackend,
    private readonly target: SerialTarget,
  ) {
    super();
  }

  async open(): Promise<void> {
    if (this.port) return;
    const { vendorId, productId, serialNumber } = this.target;
    const found = (await this.backend.list()).filter(
      (p) => p.vendorId === vendorId && p.productId === productId && (!serialNumber || p.serialNumber === serialNumber),
    );
    if (found.length !== 1) throw new AppError('DEVICE_OPEN_FAILED', found.length ? 'several such serial ports; name one by its serial number' : 'not plugged in');
    const port = (await this.backend.module()).open({ path: found[0].path, baudRate: BAUD, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((e) => (e ? reject(new AppError('DEVICE_OPEN_FAILED', `${found[0].path}: ${e.message}`)) : resolve())));
    port.on('data', (data) => this.dataListener(Uint8Array.from(data)));
    port.on('error', (e) => this.lost(port, e ?? new Error('serial port error')));
    port.on('close', (e) => this.lost(port, e ?? new Error(`${found[0].path} closed`)));
    this.port = port;
  }

  write(data: Uint8Array): Promise<void> {
    const port = this.port;
    if (!port) return Promise.reject(new Error('serial port is not open'));
    return new Promise((resolve, reject) => port.write(data, (e) => (e ? reject(e) : resolve())));
  }

  async close(): Promise<void> {
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private lost(port: SerialPortLike, err: Error): void {
    if (this.port !== port) return;
    this.port = null;
    this.errorListener(err);
  }
}

const AIM = /^\][\x21-\x7e]{2}/;
const MAX_LINE = 8192;

/** Bytes from a virtual COM scanner, split at its suffix into scans. Never throws; reasons go to `warn`, never content. */
export class SerialScanDecoder {
  private buffer: number[] = [];
  /** After a runaway line, the rest of it up to its line end is no code either. */
  private skipping = false;

  constructor(private readonly opts: { warn: (message: string) => void; now: () => number }) {}

  push(bytes: Uint8Array): ScanEvent[] {
    const scans: ScanEvent[] = [];
    for (const b of bytes) {
      if (b !== 0x0d && b !== 0x0a) {
        if (this.skipping) continue;
        this.buffer.push(b);
        if (this.buffer.length > MAX_LINE) {
          this.opts.warn(`serial scanner: dropped a line of over ${MAX_LINE} bytes without a line end`);
          this.buffer = [];
          this.skipping = true;
        }
        continue;
      }
      this.skipping = false;
      // CR LF is one end: the LF finds the line empty.
      if (this.buffer.length === 0) continue;
      const text = decodeText(Uint8Array.from(this.buffer));
      this.buffer = [];
      const aim = AIM.exec(text);
      const code = aim ? text.slice(3) : text;
      if (code) scans.push({ code, symbology: aim ? aim[0] : null, source: 'serial', at: this.opts.now() });
    }
    return scans;
  }
}
