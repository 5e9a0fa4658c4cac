// Devices that exist only in software, behind the same transport interface
// as real ones: for tests, and for demos on a PC without a scanner or printer.
import type { HidBackend, HidDeviceInfo, HidTransport } from '../hid-transport';

/** A plug-in-able virtual device; subclasses decide what output reports do. */
export abstract class VirtualDevice {
  info: HidDeviceInfo;
  plugged = true;
  /** Simulates a permission problem: opening fails like hidapi's "cannot open device". */
  denyOpen = false;
  private readonly transports = new Set<VirtualTransport>();

  constructor(info: HidDeviceInfo) {
    this.info = info;
  }

  /** Pulls the cable: open transports report an error and stop accepting writes. */
  unplug(): void {
    this.plugged = false;
    for (const t of this.transports) t.fail(new Error(`device disconnected: ${this.info.path}`));
    this.transports.clear();
  }

  /** Plugs it back in, possibly under a new OS path, as a replug can renumber it. */
  plug(path = this.info.path): void {
    this.info = { ...this.info, path };
    this.plugged = true;
  }

  /** Sends an input report to every open transport. */
  protected emit(report: Uint8Array): void {
    for (const t of this.transports) t.deliver(Uint8Array.from(report));
  }

  /** An output report written by the host. Throwing makes the write reject. */
  protected abstract receive(report: Uint8Array, from: VirtualTransport): void;

  /** @internal transport bookkeeping */
  attach(t: VirtualTransport): void {
    if (!this.plugged || this.denyOpen) throw new Error(`cannot open device with path ${this.info.path}`);
    this.transports.add(t);
  }

  /** @internal */
  detach(t: VirtualTransport): void {
    this.transports.delete(t);
  }

  /** @internal */
  write(report: Uint8Array, from: VirtualTransport): void {
    this.receive(report, from);
  }
}

export class VirtualTransport implements HidTransport {
  private isOpen = false;
  private dataListener: (report: Uint8Array) => void = () => {};
  private errorListener: (err: Error) => void = () => {};

  constructor(private readonly device: VirtualDevice) {}

  async open(): Promise<void> {
    this.device.attach(this);
    this.isOpen = true;
  }

  async write(report: Uint8Array): Promise<void> {
    if (!this.isOpen || !this.device.plugged) throw new Error('could not write to device: disconnected');
    this.device.write(Uint8Array.from(report), this);
  }

  onData(cb: (report: Uint8Array) => void): void {
    this.dataListener = cb;
  }

  onError(cb: (err: Error) => void): void {
    this.errorListener = cb;
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.device.detach(this);
  }

  /** Input arrives asynchronously, as from a real read thread. */
  deliver(report: Uint8Array): void {
    queueMicrotask(() => {
      if (this.isOpen) this.dataListener(report);
    });
  }

  fail(err: Error): void {
    this.isOpen = false;
    queueMicrotask(() => this.errorListener(err));
  }
}

export class VirtualHidBackend implements HidBackend {
  private readonly devices: VirtualDevice[];

  constructor(...devices: VirtualDevice[]) {
    this.devices = devices;
  }

  list(): HidDeviceInfo[] {
    return this.devices.filter((d) => d.plugged).map((d) => ({ ...d.info }));
  }

  open(info: HidDeviceInfo): HidTransport {
    const device = this.devices.find((d) => d.plugged && d.info.path === info.path);
    if (!device) throw new Error(`no such device: ${info.path}`);
    return new VirtualTransport(device);
  }
}
