// Printers: from a scan-in to the last byte of its privacy label handed to
// the printer connection (the job marked done), p95 per connection type: a
// HID printer (virtual, 64-byte reports), USB Printer Class (libusb faked at
// the `usb` package's boundary), raw TCP to a loopback printer answering
// status requests, and CUPS through a private cupsd where one can run. Beside
// each, from the same runs, the time until the label was encoded and queued
// (scan-in, layout, encoding, sealing, audit): what the connection adds is
// the difference.
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type AppServices } from '../main/app/services';
import { Connections } from '../main/devices/connections';
import { CupsSpooler } from '../main/devices/connections/cups';
import { UsbPrinterBackend } from '../main/devices/connections/usb-printer';
import { DeviceManager } from '../main/devices/device-manager';
import { VirtualHidBackend } from '../main/devices/virtual/virtual-backend';
import { VirtualPrinter } from '../main/devices/virtual/virtual-printer';
import { VirtualTcpPrinter } from '../main/devices/virtual/tcp-printer';
import { importManifest } from '../main/inbound/import-manifest';
import type { Actor } from '../shared/actor';
import type { DeviceChoice, UriChoice } from '../shared/devices';
import { FakeUsb } from '../test/helpers/fake-usb';
import { cupsMissing, startPrivateCups } from '../test/helpers/private-cups';
import type { EmbeddedStation } from '../main/store/station';
import { benchStation } from './station';
import { fmt, quantiles } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const ACTOR: Actor = { userId: 0, username: 'bench', displayName: 'bench', role: 'supervisor', workstation: hostname() };
const WARM_UP = 5;

interface Rig {
  name: string;
  choose(m: DeviceManager): Promise<void>;
}

/** Scan-in, then the label: µs until it was queued, and until the printer connection had its last byte. */
async function scanAndPrint(s: AppServices, m: DeviceManager, waybill: string): Promise<{ queued: number; sent: number }> {
  const t0 = process.hrtime.bigint();
  const since = () => Number(process.hrtime.bigint() - t0) / 1000;
  let jobId = -1;
  const done = new Promise<number>((resolve, reject) => {
    const off = m.onJob((j) => {
      if (j.id !== jobId) return;
      if (j.status !== 'done' && j.status !== 'failed') return;
      off();
      if (j.status === 'done') resolve(since());
      else reject(new Error(j.lastError ?? 'failed'));
    });
  });
  const { parcelId } = await s.inbound.scanIn(ACTOR, { waybill });
  // The queue starts draining inside print(), before it returns: the job id is known first from its event.
  const off = m.onJob((j) => {
    if (jobId < 0 && j.status === 'queued') jobId = j.id;
  });
  await s.devices.print(ACTOR, parcelId);
  off();
  const queued = since();
  return { queued, sent: await done };
}

export async function printersBench(opts: { quick: boolean }): Promise<void> {
  const perType = opts.quick ? 40 : 200;
  console.log(`load average ${fmt(loadavg()[0], 1)}; native TSPL 60×40 labels; ${perType} per connection type`);
  const hidPrinter = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
  const usb = new FakeUsb();
  usb.add(0x0fe6, 0x811e, 'BENCH', 'XP-365B', 'Xprinter');
  const tcp = new VirtualTcpPrinter('tspl');
  await tcp.listen();
  const cups = cupsMissing() ? null : await startPrivateCups();
  cups?.addFileQueue('bench');
  const byUri = (uri: string) => (m: DeviceManager) => m.chooseUri({ role: 'printer', uri, language: 'tspl' } satisfies UriChoice);
  const rigs: Rig[] = [
    { name: 'HID (virtual, 64-byte reports)', choose: (m) => m.choose({ role: 'printer', ...hidPrinter.info, language: 'tspl', ...hidPrinter.framing } satisfies DeviceChoice) },
    { name: 'USB Printer Class (libusb faked)', choose: byUri('usb://0fe6:811e/BENCH') },
    { name: 'raw TCP (loopback printer)', choose: byUri(tcp.uri) },
    ...(cups ? [{ name: 'CUPS (private cupsd, IPP Print-Job)', choose: byUri('cups://bench') }] : []),
  ];
  if (!cups) console.log(`CUPS row skipped: ${cupsMissing()}`);

  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    const station = benchStation(join(dir, 'station.db'));
    const rows = syntheticRows(rigs.length * (perType + WARM_UP), 17);
    await importManifest(station, 'bench.csv', toCsv(rows));
    let next = 0;
    const waybill = () => rows[next++].waybill;
    let manager: DeviceManager | null = null;
    const services = createServices(station, {
      now: () => new Date(),
      workstation: 'bench',
      devices: (s) =>
        (manager = new DeviceManager({
          backend: new VirtualHidBackend(hidPrinter),
          connections: new Connections({ usb: new UsbPrinterBackend(async () => usb, () => false), cups: cups ? new CupsSpooler(cups.env) : undefined }),
          station: s as EmbeddedStation,
          warn: () => {},
        })),
    });
    const m = manager!;
    await m.start();
    for (const rig of rigs) {
      await rig.choose(m);
      await m.idle();
      const us: number[] = [];
      const baseUs: number[] = [];
      for (let i = 0; i < perType + WARM_UP; i++) {
        const { queued, sent } = await scanAndPrint(services, m, waybill());
        await m.idle();
        if (i < WARM_UP) continue;
        us.push(sent);
        baseUs.push(queued);
      }
      const t = quantiles(us);
      const b = quantiles(baseUs);
      console.log(
        `${rig.name}: scan-in → last label byte handed to the connection p50 ${fmt(t.p50 / 1000, 2)} ms, p95 ${fmt(t.p95 / 1000, 2)} ms ` +
          `(same runs, until the label was queued: p95 ${fmt(b.p95 / 1000, 2)} ms) target p95 < 100 ms ${t.p95 < 100_000 ? '✓' : '✗'}`,
      );
    }
    await services.close();
  } finally {
    await tcp.close();
    await cups?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
