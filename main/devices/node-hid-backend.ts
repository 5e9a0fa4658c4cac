// The only file that touches node-hid. It is loaded on demand, not at import
// time: a missing libusb/libudev or a binary built for another ABI must leave
// the app running with a readable error state, not crash it at start.
import type { Device, HIDAsync } from 'node-hid';
import { AppError } from '../../shared/errors';
import type { HidBackend, HidDeviceInfo, HidTransport } from './hid-transport';

type NodeHidModule = typeof import('node-hid');
/** The subset this backend uses; a test loader can provide (or fail to provide) it. */
export type NodeHid = Pick<NodeHidModule, 'devices' | 'getHidapiVersion'> & {
  HIDAsync: Pick<NodeHidModule['HIDAsync'], 'open'>;
};
export type NodeHidLoader = () => Promise<NodeHid>;

const loadNodeHid: NodeHidLoader = () => import('node-hid');

/**
 * Never rejects. When node-hid cannot be loaded the backend still exists and
 * its list() throws AppError('HID_UNAVAILABLE'), which the device manager shows
 * as its error state.
 */
export async function loadNodeHidBackend(load: NodeHidLoader = loadNodeHid): Promise<HidBackend> {
  try {
    const hid = await load();
    // node-hid binds its native part lazily too; force it now so a broken
    // binding fails here rather than on the first poll.
    hid.getHidapiVersion();
    return new NodeHidBackend(hid);
  } catch (e) {
    return unavailableBackend(new AppError('HID_UNAVAILABLE', e instanceof Error ? e.message : String(e)));
  }
}

function unavailableBackend(error: AppError): HidBackend {
  const fail = (): never => {
    throw error;
  };
  return { list: fail, open: fail };
}

class NodeHidBackend implements HidBackend {
  constructor(private readonly hid: NodeHid) {}

  list(): HidDeviceInfo[] {
    return this.hid.devices().flatMap((d: Device): HidDeviceInfo[] =>
      d.path
        ? [{
            vendorId: d.vendorId,
            productId: d.productId,
            path: d.path,
            serialNumber: d.serialNumber || undefined,
            manufacturer: d.manufacturer,
            product: d.product,
            usagePage: d.usagePage,
            usage: d.usage,
            interface: d.interface,
          }]
        : [],
    );
  }

  open(info: HidDeviceInfo): HidTransport {
    return new NodeHidTransport(this.hid, info.path);
  }
}

class NodeHidTransport implements HidTransport {
  private device: HIDAsync | null = null;
  private dataListener: (report: Uint8Array) => void = () => {};
  private errorListener: (err: Error) => void = () => {};

  constructor(
    private readonly hid: NodeHid,
    private readonly path: string,
  ) {}

  async open(): Promise<void> {
    if (this.device) return;
    const device = await this.hid.HIDAsync.open(this.path);
    // Copied: node-hid may reuse its buffers.
    device.on('data', (data: Buffer) => this.dataListener(Uint8Array.from(data)));
    device.on('error', (err: unknown) => this.errorListener(err instanceof Error ? err : new Error(String(err))));
    this.device = device;
  }

  async write(report: Uint8Array): Promise<void> {
    if (!this.device) throw new Error('HID device is not open');
    await this.device.write(Buffer.from(report.buffer, report.byteOffset, report.byteLength));
  }

  onData(cb: (report: Uint8Array) => void): void {
    this.dataListener = cb;
  }

  onError(cb: (err: Error) => void): void {
    this.errorListener = cb;
  }

  async close(): Promise<void> {
    const device = this.device;
    this.device = null;
    await device?.close();
  }
}
