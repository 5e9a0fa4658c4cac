// A fake of the `usb` package's WebUSB surface (exactly the UsbLike subset
// main/devices/connections/usb-printer.ts uses), standing in for libusb as the
// virtual HID devices stand in for node-hid. Its printer answers TSPL status
// requests on bulk IN and can be unplugged part-way through a job.
import type { UsbDeviceLike, UsbInterfaceLike, UsbLike } from '../../main/devices/connections/usb-printer';
import type { PrinterProblem } from '../../shared/devices';
import { STATUS_QUERIES } from '../../main/devices/printer-status';
import { statusReplyByte } from '../../main/devices/virtual/virtual-printer';

const printerInterface = (n: number): UsbInterfaceLike => ({
  interfaceNumber: n,
  alternate: {
    interfaceClass: 7,
    endpoints: [
      { endpointNumber: 1, direction: 'out', type: 'bulk', packetSize: 64 },
      { endpointNumber: 2, direction: 'in', type: 'bulk', packetSize: 64 },
    ],
  },
});

export class FakeUsbDevice implements UsbDeviceLike {
  configuration: UsbDeviceLike['configuration'];
  plugged = true;
  opened = false;
  claimed = new Set<number>();
  /** Label bytes received on bulk OUT (status requests taken out). */
  received: number[] = [];
  problems: PrinterProblem[] = [];
  /** Claiming fails as when the OS driver holds the interface. */
  busy = false;
  private replies: number[] = [];
  private readers: { resolve: (r: { status: string; data?: DataView }) => void; reject: (e: Error) => void }[] = [];
  private unplugAfterBytes: number | null = null;

  constructor(
    private readonly hub: FakeUsb,
    readonly vendorId: number,
    readonly productId: number,
    readonly serialNumber: string | null,
    readonly productName: string | null,
    readonly manufacturerName: string | null,
    interfaceClass = 7,
  ) {
    const iface = printerInterface(0);
    iface.alternate.interfaceClass = interfaceClass;
    this.configuration = { configurationValue: 1, interfaces: [iface] };
  }

  async open(): Promise<void> {
    if (!this.plugged) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    this.opened = true;
  }

  async close(): Promise<void> {
    this.opened = false;
    this.claimed.clear();
    this.failReaders(new Error('LIBUSB_ERROR_INTERRUPTED'));
  }

  async claimInterface(n: number): Promise<void> {
    if (this.busy) throw new Error('Device or resource busy');
    this.claimed.add(n);
  }

  async releaseInterface(n: number): Promise<void> {
    this.claimed.delete(n);
  }

  async transferOut(endpoint: number, data: Uint8Array): Promise<{ status: string; bytesWritten: number }> {
    if (!this.plugged || !this.opened || endpoint !== 1) throw new Error('LIBUSB_ERROR_NO_DEVICE');
    const bytes = [...data];
    const tspl = STATUS_QUERIES.tspl[0];
    if (bytes.length === tspl.request.length && tspl.request.every((b, i) => bytes[i] === b)) {
      this.reply(statusReplyByte('tspl', this.problems, tspl));
      return { status: 'ok', bytesWritten: data.length };
    }
    if (this.unplugAfterBytes !== null && this.received.length + bytes.length > this.unplugAfterBytes) {
      this.unplug();
      throw new Error('LIBUSB_ERROR_NO_DEVICE');
    }
    this.received.push(...bytes);
    return { status: 'ok', bytesWritten: data.length };
  }

  /** Pends until the printer has something to say, as a bulk IN transfer does. */
  transferIn(endpoint: number): Promise<{ status: string; data?: DataView }> {
    if (!this.plugged || !this.opened || endpoint !== 2) return Promise.reject(new Error('LIBUSB_ERROR_NO_DEVICE'));
    return new Promise((resolve, reject) => {
      this.readers.push({ resolve, reject });
      this.flush();
    });
  }

  /** Pulls the cable as soon as more than `n` label bytes in all would have arrived. */
  unplugAfter(n: number): void {
    this.unplugAfterBytes = n;
  }

  unplug(): void {
    this.plugged = false;
    this.unplugAfterBytes = null;
    this.failReaders(new Error('LIBUSB_ERROR_NO_DEVICE'));
    this.hub.emitDisconnect(this);
  }

  plug(): void {
    this.plugged = true;
    this.opened = false;
  }

  private reply(byte: number): void {
    this.replies.push(byte);
    this.flush();
  }

  private flush(): void {
    while (this.replies.length && this.readers.length) {
      const data = Uint8Array.of(this.replies.shift()!);
      this.readers.shift()!.resolve({ status: 'ok', data: new DataView(data.buffer) });
    }
  }

  private failReaders(e: Error): void {
    for (const r of this.readers.splice(0)) r.reject(e);
  }
}

export class FakeUsb implements UsbLike {
  readonly devices: FakeUsbDevice[] = [];
  private readonly listeners = new Set<(ev: { device: UsbDeviceLike }) => void>();
  /** Fails enumeration as when /sys/bus/usb is missing or libusb cannot start. */
  broken: string | null = null;

  add(vendorId: number, productId: number, serial: string | null, product: string | null, maker: string | null, interfaceClass = 7): FakeUsbDevice {
    const d = new FakeUsbDevice(this, vendorId, productId, serial, product, maker, interfaceClass);
    this.devices.push(d);
    return d;
  }

  async getDevices(): Promise<UsbDeviceLike[]> {
    if (this.broken) throw new Error(this.broken);
    return this.devices.filter((d) => d.plugged);
  }

  addEventListener(_type: 'disconnect', cb: (ev: { device: UsbDeviceLike }) => void): void {
    this.listeners.add(cb);
  }

  removeEventListener(_type: 'disconnect', cb: (ev: { device: UsbDeviceLike }) => void): void {
    this.listeners.delete(cb);
  }

  emitDisconnect(device: FakeUsbDevice): void {
    for (const cb of [...this.listeners]) queueMicrotask(() => cb({ device }));
  }
}
