// USB Printer Class through the device manager, with libusb faked at the
// `usb` package's boundary only: discovery of class-7 devices, jobs on bulk
// OUT, status on bulk IN, an unplug in the middle of a job, and a printer the
// OS driver holds.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connections, STREAM_CHUNK } from '../../main/devices/connections';
import { UsbPrinterBackend, usblpHolds, type UsbDeviceLike } from '../../main/devices/connections/usb-printer';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import type { EmbeddedStation as Station } from '../../main/store/station';
import { FakeUsb } from '../helpers/fake-usb';
import { until } from '../helpers/until';
import { newStation, tempDir } from '../helpers/fixtures';

const job = (n: number): Uint8Array => Uint8Array.from({ length: n }, (_, i) => 0x20 + (i % 90));

describe('USB printer class', { timeout: 30_000 }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let usb: FakeUsb;
  let held: Set<UsbDeviceLike>;
  let managers: DeviceManager[];

  beforeEach(() => {
    tmp = tempDir();
    ({ station } = newStation(tmp.dir));
    usb = new FakeUsb();
    held = new Set();
    managers = [];
  });
  afterEach(async () => {
    for (const m of managers) await m.close();
    station.close();
    tmp.cleanup();
  });

  const backend = () => new UsbPrinterBackend(async () => usb, (d) => held.has(d));
  function manager() {
    const m = new DeviceManager({ backend: new VirtualHidBackend(), connections: new Connections({ usb: backend() }), station, pollMs: 100, warn: () => {} });
    managers.push(m);
    return { m, printer: () => m.status().find((s) => s.role === 'printer')! };
  }

  it('discovers class-7 printers with maker and model, and which one the OS driver holds', async () => {
    usb.add(0x0fe6, 0x811e, 'XP1', 'XP-365B', 'Xprinter');
    const gp = usb.add(0x0471, 0x0055, null, 'GP-1324D', 'Gprinter');
    usb.add(0x0c2e, 0x0b61, null, 'Scanner', 'Honeywell', 3); // a HID device: not a printer
    held.add(gp);
    expect(await new Connections({ usb: backend() }).discover()).toEqual([
      { uri: 'usb://0fe6:811e/XP1', kind: 'usb', maker: 'Xprinter', model: 'XP-365B', osDriver: null },
      { uri: 'usb://0471:0055', kind: 'usb', maker: 'Gprinter', model: 'GP-1324D', osDriver: 'usblp' },
    ]);
    usb.broken = '/sys/bus/usb/devices/ not found';
    expect(await new Connections({ usb: backend() }).discover()).toEqual([{ kind: 'usb', error: expect.objectContaining({ code: 'USB_UNAVAILABLE' }) }]);
  });

  it('reads usblp’s hold on an interface from sysfs', () => {
    const d = { bus: '1-1.4', configuration: { configurationValue: 1, interfaces: [] } } as unknown as UsbDeviceLike;
    const seen: string[] = [];
    const held = usblpHolds(d, 0, (p) => (seen.push(p), true));
    expect(held).toBe(process.platform === 'linux');
    if (process.platform === 'linux') expect(seen).toEqual(['/sys/bus/usb/drivers/usblp/1-1.4:1.0']);
  });

  it('sends a job on bulk OUT and reads paper-out on bulk IN', async () => {
    const d = usb.add(0x0fe6, 0x811e, 'XP1', 'XP-365B', 'Xprinter');
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: 'usb://0fe6:811e/XP1', language: 'tspl' });
    expect(r.printer()).toMatchObject({ state: 'connected', uri: 'usb://0fe6:811e/XP1' });
    expect(d.claimed).toEqual(new Set([0]));
    const payload = job(3 * STREAM_CHUNK + 100);
    await r.m.print('tspl', payload);
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    expect(Uint8Array.from(d.received)).toEqual(payload);

    d.problems = ['paper-out'];
    await r.m.print('tspl', job(10));
    await until(() => r.printer().problems.includes('paper-out'));
    expect((await r.m.printJobs())[0].status).toBe('queued');
    d.problems = [];
    await until(async () => (await r.m.printJobs())[0].status === 'done');
  });

  it('unplugged mid-job: the job goes back to the queue and, plugged in again, resumes where it stopped', async () => {
    const d = usb.add(0x0fe6, 0x811e, 'XP1', 'XP-365B', 'Xprinter');
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: 'usb://0fe6:811e/XP1', language: 'tspl' });
    const payload = job(3 * STREAM_CHUNK);
    d.unplugAfter(STREAM_CHUNK);
    await r.m.print('tspl', payload);
    await until(async () => r.printer().state === 'disconnected' && (await r.m.printJobs())[0].status === 'queued');
    expect(d.received).toHaveLength(STREAM_CHUNK);
    expect((await r.m.printJobs())[0]).toMatchObject({ attempts: 1, lastError: expect.stringContaining('LIBUSB_ERROR_NO_DEVICE') });
    d.plug();
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    expect(Uint8Array.from(d.received)).toEqual(payload); // each byte exactly once
    expect((await r.m.printJobs())[0].attempts).toBe(2);
  });

  it('a printer the OS driver holds is refused with the way out: the spooler', async () => {
    const d = usb.add(0x0fe6, 0x811e, null, 'XP-365B', 'Xprinter');
    d.busy = true;
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: 'usb://0fe6:811e', language: 'tspl' });
    expect(r.printer()).toMatchObject({ state: 'error', error: { code: 'USB_DRIVER_CLAIMED' } });
    expect(r.printer().error!.message.en).toContain('system queue (cups:// or win://)');
    expect(d.opened).toBe(false); // let go again, for the driver
  });

  it('a printer that is not plugged in: the job waits with the reason', async () => {
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: 'usb://0fe6:811e', language: 'tspl' });
    await r.m.print('tspl', job(10));
    await until(async () => (await r.m.printJobs())[0].lastError !== null);
    expect((await r.m.printJobs())[0]).toMatchObject({ status: 'queued', lastError: expect.stringContaining('not plugged in') });
    expect(r.printer()).toMatchObject({ state: 'disconnected', problems: ['offline'] });
  });
});
