import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { loadNodeHidBackend, type NodeHid } from '../../main/devices/node-hid-backend';
import { AppError } from '../../shared/errors';

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
};

class FakeHidAsync extends EventEmitter {
  writes: Buffer[] = [];
  closed = false;
  async write(values: Buffer): Promise<number> {
    this.writes.push(Buffer.from(values));
    return values.length;
  }
  async close(): Promise<void> {
    this.closed = true;
  }
}

describe('node-hid backend', () => {
  it.each([
    ['the module cannot be loaded', () => Promise.reject(new Error('libudev.so.1: cannot open shared object file'))],
    [
      'the native binding has the wrong ABI',
      async (): Promise<NodeHid> => ({
        devices: () => [],
        getHidapiVersion: () => {
          throw new Error('was compiled against a different Node.js version (NODE_MODULE_VERSION 115)');
        },
        HIDAsync: { open: () => Promise.reject(new Error('unreachable')) },
      }),
    ],
  ])('reports a bilingual error state instead of crashing when %s', async (_why, loader) => {
    const backend = await loadNodeHidBackend(loader);
    const e = thrown(() => backend.list());
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('HID_UNAVAILABLE');
    expect((e as AppError).message).toMatch(/^无法加载 USB HID 驱动 \/ Cannot load the USB HID driver \(.+\)$/);
    expect((e as AppError).toData().detail).toBeTruthy();
    expect((thrown(() => backend.open({ vendorId: 1, productId: 2, path: 'x' })) as AppError).code).toBe('HID_UNAVAILABLE');
  });

  it('lists devices with a path, opens by path, writes reports and copies input', async () => {
    const device = new FakeHidAsync();
    const opened: string[] = [];
    const backend = await loadNodeHidBackend(async () => ({
      getHidapiVersion: () => '0.14.0',
      devices: () => [
        { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw3', serialNumber: '', product: 'Scanner', release: 1, interface: 0, usagePage: 0x8c, usage: 2 },
        { vendorId: 1, productId: 2, release: 1, interface: 0 },
      ],
      HIDAsync: {
        open: async (path: string) => {
          opened.push(path);
          return device as never;
        },
      } as unknown as NodeHid['HIDAsync'],
    }));
    expect(backend.list()).toEqual([
      { vendorId: 0x0c2e, productId: 0x0b61, path: '/dev/hidraw3', serialNumber: undefined, manufacturer: undefined, product: 'Scanner', usagePage: 0x8c, usage: 2, interface: 0 },
    ]);
    const t = backend.open(backend.list()[0]);
    const got: Uint8Array[] = [];
    const errors: string[] = [];
    t.onData((r) => got.push(r));
    t.onError((e) => errors.push(e.message));
    await t.open();
    expect(opened).toEqual(['/dev/hidraw3']);
    const frame = Uint8Array.of(0, 1, 2, 3).subarray(1);
    await t.write(frame);
    expect([...device.writes[0]]).toEqual([1, 2, 3]);
    const buf = Buffer.from([2, 9]);
    device.emit('data', buf);
    buf[0] = 0xff; // node-hid may reuse its buffer
    expect(got).toEqual([Uint8Array.of(2, 9)]);
    device.emit('error', new Error('could not read from HID device'));
    expect(errors).toEqual(['could not read from HID device']);
    await t.close();
    expect(device.closed).toBe(true);
    await expect(t.write(frame)).rejects.toThrow(/not open/);
  });

  it('loads the real node-hid here, or reports why not', async () => {
    const backend = await loadNodeHidBackend();
    const e = thrown(() => expect(Array.isArray(backend.list())).toBe(true));
    if (e !== undefined) expect((e as AppError).code).toBe('HID_UNAVAILABLE');
  });
});
