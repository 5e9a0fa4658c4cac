// From a device URI to an unopened connection, and discovery of what can be
// found: USB Printer Class devices, CUPS or Windows queues, HID devices. Each
// backend is optional, so tests hand in fakes at a package's boundary and a
// PC without libusb or CUPS still prints over the others.
import type { DiscoveryError, FoundKind, FoundPrinter, FoundScanner } from '../../../shared/devices';
import { AppError, type AppErrorData } from '../../../shared/errors';
import { formatDeviceUri, type DeviceUri } from '../../../shared/printer-uri';
import type { HidBackend } from '../hid-transport';
import { hidChannel, streamChannel, TransportListeners, type ByteTransport, type PrinterChannel } from '../printer-channel';
import { CupsSpooler } from './cups';
import { SerialScannerBackend } from './serial-scanner';
import { SpoolTransport } from './spool-transport';
import { TcpTransport } from './tcp';
import { UsbPrinterBackend } from './usb-printer';
import { WinSpooler } from './win-spool';

/** Bytes per write on a stream: small enough that an unplug loses little progress, large enough to cost nothing. */
export const STREAM_CHUNK = 4096;
/** HID printers chosen by URI (the CLI): the common full-speed framing. */
export const HID_URI_FRAMING = { reportSize: 64, reportId: 0 };

export interface Connection {
  transport: ByteTransport;
  channel: PrinterChannel;
}

export interface ConnectionBackends {
  usb?: UsbPrinterBackend;
  cups?: CupsSpooler;
  win?: WinSpooler;
  hid?: HidBackend;
  serial?: SerialScannerBackend;
  /** TCP connect timeout; tests shorten it. */
  tcpTimeoutMs?: number;
}

const toErrorData = (e: unknown): AppErrorData => (e instanceof AppError ? e : new AppError('INTERNAL', String((e as Error)?.message ?? e))).toData();

export class Connections {
  constructor(private readonly b: ConnectionBackends) {}

  /** An unopened connection to the printer at `uri`. */
  printer(uri: DeviceUri): Connection {
    switch (uri.kind) {
      case 'tcp': {
        const transport = new TcpTransport(uri.host, uri.port, this.b.tcpTimeoutMs);
        return { transport, channel: streamChannel(transport, STREAM_CHUNK) };
      }
      case 'usb': {
        const transport = this.need(this.b.usb, uri).transport(uri);
        return { transport, channel: streamChannel(transport, STREAM_CHUNK) };
      }
      case 'cups':
      case 'win': {
        const spool = new SpoolTransport(this.need(uri.kind === 'cups' ? this.b.cups : this.b.win, uri), uri.queue);
        return { transport: spool, channel: spool.channel() };
      }
      case 'hid': {
        const transport = new HidUriTransport(this.need(this.b.hid, uri), uri);
        return { transport, channel: hidChannel(transport, HID_URI_FRAMING) };
      }
      case 'serial':
        throw new AppError('PRINTER_URI_INVALID', 'serial:// is for scanners');
    }
  }

  /** An unopened connection to a virtual COM scanner. */
  scanner(uri: DeviceUri): ByteTransport {
    if (uri.kind !== 'serial') throw new AppError('PRINTER_URI_INVALID', 'a scanner is chosen as serial://VID:PID');
    const serial = this.need(this.b.serial, uri);
    return serial.transport(uri);
  }

  /** Every printer found, and why a kind could not be searched. Network printers are not discovered: their address is typed. */
  async discover(): Promise<(FoundPrinter | DiscoveryError)[]> {
    const out: (FoundPrinter | DiscoveryError)[] = [];
    const look = async (kind: FoundKind, find: () => Promise<FoundPrinter[]> | FoundPrinter[]): Promise<void> => {
      try {
        out.push(...(await find()));
      } catch (e) {
        out.push({ kind, error: toErrorData(e) });
      }
    };
    const { usb, cups, win, hid } = this.b;
    if (usb) {
      await look('usb', async () =>
        (await usb.list()).map((p) => ({
          uri: formatDeviceUri({ kind: 'usb', vendorId: p.vendorId, productId: p.productId, serialNumber: p.serialNumber }),
          kind: 'usb' as const,
          maker: p.manufacturer,
          model: p.product,
          osDriver: p.osDriver,
        })),
      );
    }
    if (cups) await look('cups', async () => (await cups.queues()).map((q) => ({ uri: formatDeviceUri({ kind: 'cups', queue: q.queue }), kind: 'cups' as const, state: q.state })));
    if (win) await look('win', async () => (await win.printers()).map((p) => ({ uri: formatDeviceUri({ kind: 'win', queue: p.name }), kind: 'win' as const, model: p.driver, state: p.status })));
    if (hid) {
      await look('hid', () =>
        hid.list().map((d) => ({
          uri: formatDeviceUri({ kind: 'hid', vendorId: d.vendorId, productId: d.productId, serialNumber: d.serialNumber }),
          kind: 'hid' as const,
          maker: d.manufacturer,
          model: d.product,
        })),
      );
    }
    return out;
  }

  /** Scanners in virtual COM mode: serial ports with USB ids (a motherboard's COM port has none). */
  async discoverScanners(): Promise<(FoundScanner | DiscoveryError)[]> {
    const serial = this.b.serial;
    if (!serial) return [{ kind: 'serial', error: new AppError('PRINTER_CONNECTION_UNSUPPORTED', 'serial://').toData() }];
    try {
      return (await serial.list()).map((p) => ({
        uri: formatDeviceUri({ kind: 'serial', vendorId: p.vendorId, productId: p.productId, serialNumber: p.serialNumber }),
        kind: 'serial' as const,
        path: p.path,
        ...(p.manufacturer ? { maker: p.manufacturer } : {}),
      }));
    } catch (e) {
      return [{ kind: 'serial', error: toErrorData(e) }];
    }
  }

  private need<T>(backend: T | undefined, uri: DeviceUri): T {
    if (!backend) throw new AppError('PRINTER_CONNECTION_UNSUPPORTED', `${uri.kind}://`);
    return backend;
  }
}

/** What this PC offers: libusb, CUPS where it exists (not Windows), the Windows spooler on Windows, serial ports. */
export function systemConnections(hid?: HidBackend): Connections {
  const windows = process.platform === 'win32';
  return new Connections({
    usb: new UsbPrinterBackend(),
    cups: windows ? undefined : new CupsSpooler(),
    win: windows ? new WinSpooler() : undefined,
    hid,
    serial: new SerialScannerBackend(),
  });
}

/** hid://VID:PID[/SERIAL]: the HID device with these ids, found when opened. */
class HidUriTransport extends TransportListeners implements ByteTransport {
  private inner: ByteTransport | null = null;

  constructor(
    private readonly backend: HidBackend,
    private readonly uri: { vendorId: number; productId: number; serialNumber?: string },
  ) {
    super();
  }

  async open(): Promise<void> {
    const { vendorId, productId, serialNumber } = this.uri;
    const device = this.backend.list().find((d) => d.vendorId === vendorId && d.productId === productId && (!serialNumber || d.serialNumber === serialNumber));
    if (!device) throw new AppError('PRINTER_UNREACHABLE', `${formatDeviceUri({ kind: 'hid', ...this.uri })}: not plugged in`);
    const inner = this.backend.open(device);
    inner.onData((b) => this.dataListener(b));
    inner.onError((e) => this.errorListener(e));
    await inner.open();
    this.inner = inner;
  }

  write(report: Uint8Array): Promise<void> {
    return this.inner ? this.inner.write(report) : Promise.reject(new Error('HID printer is not open'));
  }

  async close(): Promise<void> {
    const inner = this.inner;
    this.inner = null;
    await inner?.close();
  }
}
