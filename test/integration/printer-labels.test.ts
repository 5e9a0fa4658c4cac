// Each printer's own label size and language (站务设置 → 标签打印机): two
// counters share a station, one with a 40×30 roll printing Chinese, the other
// a 60×40 roll printing English. The labels are read back off the printers'
// bytes; a printer without its own prints the station's size in Chinese; the
// change is a supervisor's, audited by what changed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices, type AppServices } from '../../main/app/services';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VirtualPrinter } from '../../main/devices/virtual/virtual-printer';
import type { Station } from '../../main/store/station';
import type { PrinterChoice } from '../../shared/devices';
import { clerk, sfWaybill, testClock } from '../helpers/counter';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { tempDir } from '../helpers/fixtures';
import { decodeTspl } from '../helpers/label-decoder';
import { ManualTimers } from '../helpers/manual-timers';

const boss = { ...clerk(1, 'boss'), role: 'supervisor' as const };
const DOTS_PER_MM = 203 / 25.4;

interface Counter {
  services: AppServices;
  manager: DeviceManager;
  printer: VirtualPrinter;
}

describe.each(ENGINE_CASES)('label size and language per printer (%s)', (_name, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let dispose: () => Promise<void>;
  const counters: Counter[] = [];

  async function counter(workstation: string): Promise<Counter> {
    const printer = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
    let manager: DeviceManager | null = null;
    const services = createServices(station, {
      now: testClock().now,
      workstation,
      devices: (s) => (manager = new DeviceManager({ backend: new VirtualHidBackend(printer), station: s, workstation, timers: new ManualTimers(), warn: () => {} })),
    });
    await manager!.start();
    const choice: PrinterChoice = { role: 'printer', ...printer.info, language: printer.language, ...printer.framing };
    await services.devices.choose(boss, choice);
    const c = { services, manager: manager!, printer };
    counters.push(c);
    return c;
  }

  /** Prints a new parcel's label at this counter and reads back what the printer got. */
  async function printed(c: Counter) {
    const { parcelId, parcel } = await c.services.inbound.scanIn(clerk(2), {
      waybill: sfWaybill(),
      recipient: { name: '张三丰', phone: '13800138001', address: '北京市朝阳区望京街道阜通东大街6号' },
    });
    c.printer.reports.length = 0;
    await c.services.devices.print(clerk(2), parcelId);
    await c.manager.idle();
    const bytes = Buffer.concat(c.printer.reports.map((r) => r.subarray(1)));
    // The last report is padded with zeros past the job's end.
    const label = decodeTspl(bytes.subarray(0, bytes.findLastIndex((b) => b !== 0) + 1), 203);
    const [shelf, layer] = parcel.pickupCode!.split('-');
    return { widthMm: Math.round(label.canvas.width / DOTS_PER_MM), heightMm: Math.round(label.canvas.height / DOTS_PER_MM), texts: label.texts, shelf, layer };
  }

  beforeEach(async () => {
    tmp = tempDir();
    ({ station, dispose } = await newStationOn(engine, tmp.dir));
  });
  afterEach(async () => {
    // Both counters share one station, which dispose() closes; neither started its schedules.
    for (const c of counters.splice(0)) await c.manager.close();
    await dispose();
    tmp.cleanup();
  });

  it('prints 40×30 in Chinese at one counter and 60×40 in English at the other; a printer without its own takes the station size in Chinese', async () => {
    const a = await counter('counter-A');
    const b = await counter('counter-B');

    const before = await printed(b);
    expect(before).toMatchObject({ widthMm: 60, heightMm: 40 });
    expect(before.texts).toContain(`${before.shelf} 号架 ${before.layer} 层`);

    const view = await a.services.devices.setPrinterLabels(boss, [
      { workstation: 'counter-A', size: '40x30', language: 'zh' },
      { workstation: 'counter-B', size: '60x40', language: 'en' },
    ]);
    expect(view).toMatchObject({ here: 'counter-A', stationSize: '60x40' });
    expect(view.printers).toEqual([
      { workstation: 'counter-A', printer: 'Virtual TSPL label printer', size: '40x30', language: 'zh', own: true },
      { workstation: 'counter-B', printer: 'Virtual TSPL label printer', size: '60x40', language: 'en', own: true },
    ]);

    const atA = await printed(a);
    expect(atA).toMatchObject({ widthMm: 40, heightMm: 30 });
    expect(atA.texts).toContain(`${atA.shelf} 号架 ${atA.layer} 层`);
    const atB = await printed(b);
    expect(atB).toMatchObject({ widthMm: 60, heightMm: 40 });
    expect(atB.texts).toContain(`Shelf ${atB.shelf} · layer ${atB.layer}`);
    expect(atB.texts.join(' ')).not.toMatch(/号架/);

    // Saving the same again changes nothing and records nothing more; each change is one entry per printer.
    await b.services.devices.setPrinterLabels(boss, [{ workstation: 'counter-B', size: '60x40', language: 'en' }]);
    const entries = (await a.services.audit.auditEntries({ action: 'settings.change' })).filter((e) => e.detail.scope === 'labels');
    expect(entries.map((e) => e.detail).sort((x, y) => String(x.workstation).localeCompare(String(y.workstation)))).toEqual([
      { scope: 'labels', workstation: 'counter-A', labelSize: '40x30', labelLanguage: 'zh' },
      { scope: 'labels', workstation: 'counter-B', labelSize: '60x40', labelLanguage: 'en' },
    ]);
  });

  it('the test page and the shelf labels follow the counter printer’s setup', async () => {
    const a = await counter('counter-A');
    await a.services.devices.setPrinterLabels(boss, [{ workstation: 'counter-A', size: '40x30', language: 'en' }]);
    a.printer.reports.length = 0;
    await a.services.devices.testPage();
    await a.manager.idle();
    const bytes = Buffer.concat(a.printer.reports.map((r) => r.subarray(1)));
    const page = decodeTspl(bytes.subarray(0, bytes.findLastIndex((x) => x !== 0) + 1), 203);
    expect(Math.round(page.canvas.width / DOTS_PER_MM)).toBe(40);

    const [shelf] = await a.services.shelves.shelfLabels({ layers: ['2-3'], symbol: 'code128', format: 'tspl' });
    const label = decodeTspl(shelf.bytes, 203);
    expect([Math.round(label.canvas.width / DOTS_PER_MM), Math.round(label.canvas.height / DOTS_PER_MM)]).toEqual([40, 30]);
    expect(label.texts).toContain('Shelf 2 · layer 3');
  });
});
