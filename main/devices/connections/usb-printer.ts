// USB Printer Class (interface class 7) over libusb, through the `usb`
// package's WebUSB API: jobs on the bulk OUT endpoint, status replies on bulk
// IN. The only file that touches `usb`; like node-hid it is loaded on demand,
// so a missing libusb leaves the app running with a readable error.
import { existsSync } from 'node:fs';
import { AppError } from '../../../shared/errors';
import { TransportListeners, type ByteTransport } from '../printer-channel';

export const USB_PRINTER_CLASS = 7;

/** The part of the `usb` package used here (WebUSB devices); a test provides a fake of exactly this. */
export interface UsbEndpointLike {
  endpointNumber: number;
  direction: 'in' | 'out';
  type: 'bulk' | 'interrupt' | 'isochronous';
  packetSize: number;
}
export interface UsbInterfaceLike {
  interfaceNumber: number;
  alternate: { interfaceClass: number; endpoints: UsbEndpointLike[] };
}
export interface UsbDeviceLike {
  vendorId: number;
  productId: number;
  serialNumber?: string | null;
  manufacturerName?: string | null;
  productName?: string | null;
  /** sysfs name of the device on Linux (`1-1.4`). */
  bus?: string;
  configuration?: { configurationValue: number; interfaces: UsbInterfaceLike[] } | null;
  open(): Promise<void>;
  close(): Promise<void>;
  claimInterface(n: number): Promise<void>;
  releaseInterface(n: number): Promise<void>;
  transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }>;
  transferIn(endpoint: number, length: number): Promise<{ status: string; data?: DataView }>;
}
export interface UsbLike {
  getDevices(): Promise<UsbDeviceLike[]>;
  addEventListener(type: 'disconnect', cb: (ev: { device: UsbDeviceLike }) => void): void;
  removeEventListener(type: 'disconnect', cb: (ev: { device: UsbDeviceLike }) => void): void;
}
export type UsbLoader = () => Promise<UsbLike>;

const loadUsb: UsbLoader = async () => (await import('usb')).usb as unknown as UsbLike;

export interface UsbPrinterInfo {
  vendorId: number;
  productId: number;
  serialNumber?: string;
  manufacturer?: string;
  product?: string;
  /** The OS driver holding the printer interface (Linux `usblp`), when it can be seen; the spooler is then the way to print. */
  osDriver: string | null;
}

interface PrinterInterface {
  number: number;
  out: UsbEndpointLike;
  in: UsbEndpointLike | null;
}

function printerInterface(d: UsbDeviceLike): PrinterInterface | null {
  for (const i of d.configuration?.interfaces ?? []) {
    if (i.alternate.interfaceClass !== USB_PRINTER_CLASS) continue;
    const bulk = (dir: 'in' | 'out') => i.alternate.endpoints.find((e) => e.type === 'bulk' && e.direction === dir) ?? null;
    const out = bulk('out');
    if (out) return { number: i.interfaceNumber, out, in: bulk('in') };
  }
  return null;
}

/** Linux: does usblp hold this interface? (sysfs: /sys/bus/usb/drivers/usblp/<bus>:<config>.<interface>) */
export const usblpHolds = (d: UsbDeviceLike, iface: number, exists: (p: string) => boolean = existsSync): boolean =>
  process.platform === 'linux' && d.bus !== undefined && exists(`/sys/bus/usb/drivers/usblp/${d.bus}:${d.configuration?.configurationValue ?? 1}.${iface}`);

export class UsbPrinterBackend {
  private usb: Promise<UsbLike> | null = null;

  constructor(
    private readonly load: UsbLoader = loadUsb,
    private readonly driverHolds: (d: UsbDeviceLike, iface: number) => boolean = usblpHolds,
  ) {}

  /** Class-7 devices plugged in now. Throws AppError('USB_UNAVAILABLE') when libusb cannot be used. */
  async list(): Promise<UsbPrinterInfo[]> {
    return (await this.printers()).map(({ device: d, iface }) => ({
      vendorId: d.vendorId,
      productId: d.productId,
      ...(d.serialNumber ? { serialNumber: d.serialNumber } : {}),
      ...(d.manufacturerName ? { manufacturer: d.manufacturerName } : {}),
      ...(d.productName ? { product: d.productName } : {}),
      osDriver: this.driverHolds(d, iface.number) ? 'usblp' : null,
    }));
  }

  /** A transport to the printer with these ids; it is looked up when opened, so a replug is found again. */
  transport(target: { vendorId: number; productId: number; serialNumber?: string }): ByteTransport {
    return new UsbPrinterTransport(this, target);
  }

  /** @internal */
  async printers(): Promise<{ device: UsbDeviceLike; iface: PrinterInterface }[]> {
    const usb = await this.module();
    let devices: UsbDeviceLike[];
    try {
      devices = await usb.getDevices();
    } catch (e) {
      throw new AppError('USB_UNAVAILABLE', (e as Error).message);
    }
    return devices.flatMap((device) => {
      const iface = printerInterface(device);
      return iface ? [{ device, iface }] : [];
    });
  }

  /** @internal */
  module(): Promise<UsbLike> {
    this.usb ??= this.load().catch((e: unknown) => {
      this.usb = null;
      throw new AppError('USB_UNAVAILABLE', e instanceof Error ? e.message : String(e));
    });
    return this.usb;
  }

  /** @internal */
  holdsDriver(d: UsbDeviceLike, iface: number): boolean {
    return this.driverHolds(d, iface);
  }
}

const READ_LENGTH = 64;
const IDLE_READ_MS = 20;
const isTimeout = (e: unknown): boolean => /time(d)?\s*out/i.test(String((e as Error)?.message ?? e));

class UsbPrinterTransport extends TransportListeners implements ByteTransport {
  private device: UsbDeviceLike | null = null;
  private iface: PrinterInterface | null = null;
  private usb: UsbLike | null = null;
  private readonly onDisconnect = (ev: { device: UsbDeviceLike }): void => {
    if (ev.device === this.device) this.lost(new Error(`USB printer ${this.name} unplugged`));
  };

  constructor(
    private readonly backend: UsbPrinterBackend,
    private readonly target: { vendorId: number; productId: number; serialNumber?: string },
  ) {
    super();
  }

  private get name(): string {
    const hex = (n: number) => n.toString(16).padStart(4, '0');
    return `${hex(this.target.vendorId)}:${hex(this.target.productId)}`;
  }

  async open(): Promise<void> {
    if (this.device) return;
    const { vendorId, productId, serialNumber } = this.target;
    const found = (await this.backend.printers()).filter(
      ({ device: d }) => d.vendorId === vendorId && d.productId === productId && (!serialNumber || d.serialNumber === serialNumber),
    );
    if (found.length === 0) throw new AppError('PRINTER_UNREACHABLE', `usb://${this.name}: not plugged in`);
    if (found.length > 1) throw new AppError('PRINTER_UNREACHABLE', `usb://${this.name}: ${found.length} such printers; name one by its serial number`);
    const { device, iface } = found[0];
    if (this.backend.holdsDriver(device, iface.number)) throw new AppError('USB_DRIVER_CLAIMED', `usb://${this.name}: usblp`);
    try {
      await device.open();
    } catch (e) {
      throw new AppError('DEVICE_OPEN_FAILED', `usb://${this.name}: ${(e as Error).message}`);
    }
    try {
      await device.claimInterface(iface.number);
    } catch (e) {
      await device.close().catch(() => {});
      // Busy (Linux: another driver) or not supported (Windows: the maker's driver, not WinUSB).
      throw new AppError('USB_DRIVER_CLAIMED', `usb://${this.name}: ${(e as Error).message}`);
    }
    this.usb = await this.backend.module();
    this.usb.addEventListener('disconnect', this.onDisconnect);
    this.device = device;
    this.iface = iface;
    if (iface.in) void this.readLoop(device, iface.in);
  }

  /** Resolves once the device has taken the whole chunk. */
  async write(chunk: Uint8Array): Promise<void> {
    const { device, iface } = this;
    if (!device || !iface) throw new Error(`USB printer ${this.name} is not open`);
    const r = await device.transferOut(iface.out.endpointNumber, chunk);
    if (r.status !== 'ok' || r.bytesWritten !== chunk.length) {
      throw new Error(`USB printer ${this.name}: bulk OUT ${r.status}, ${r.bytesWritten} of ${chunk.length} bytes`);
    }
  }

  async close(): Promise<void> {
    const { device, iface } = this;
    this.detach();
    if (!device || !iface) return;
    await device.releaseInterface(iface.number).catch(() => {});
    await device.close().catch(() => {});
  }

  /** Printer Class status replies arrive on bulk IN whenever the printer has something to say. */
  private async readLoop(device: UsbDeviceLike, endpoint: UsbEndpointLike): Promise<void> {
    while (this.device === device) {
      try {
        const r = await device.transferIn(endpoint.endpointNumber, Math.max(READ_LENGTH, endpoint.packetSize));
        if (this.device !== device) return;
        if (r.data && r.data.byteLength > 0) this.dataListener(new Uint8Array(r.data.buffer.slice(r.data.byteOffset, r.data.byteOffset + r.data.byteLength)));
        // A printer with nothing to say may answer at once with no data: do not spin on it.
        else await new Promise((resolve) => setTimeout(resolve, IDLE_READ_MS));
      } catch (e) {
        if (this.device !== device) return;
        if (!isTimeout(e)) return this.lost(new Error(`USB printer ${this.name}: ${(e as Error).message}`));
      }
    }
  }

  private detach(): void {
    this.usb?.removeEventListener('disconnect', this.onDisconnect);
    this.usb = null;
    this.device = null;
    this.iface = null;
  }

  private lost(err: Error): void {
    if (!this.device) return;
    this.detach();
    this.errorListener(err);
  }
}
