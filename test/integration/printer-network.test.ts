// A network label printer (raw TCP on the loopback, answering its language's
// status requests) chosen by URI: labels arrive whole and read back, paper-out
// holds the queue, and a printer that is off fails the job fast while it stays
// queued for the retry that prints it once the printer is back.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connections } from '../../main/devices/connections';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VirtualTcpPrinter } from '../../main/devices/virtual/tcp-printer';
import { renderLabel } from '../../main/labels';
import { ParcelLookup } from '../../main/counter/lookup';
import { importManifest } from '../../main/inbound/import-manifest';
import type { EmbeddedStation as Station } from '../../main/store/station';
import type { DeviceStatus, PrinterLanguage, PrintJobSummary } from '../../shared/devices';
import { decodeEscPos, decodeTspl, readSymbols } from '../helpers/label-decoder';
import { until } from '../helpers/until';
import { fixtureRows, newStation, readFixture, tempDir } from '../helpers/fixtures';

const row = fixtureRows('manifest-small.csv')[0];

describe('network printer (raw TCP)', { timeout: 60_000 }, () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  const managers: DeviceManager[] = [];
  const printers: VirtualTcpPrinter[] = [];

  beforeEach(async () => {
    tmp = tempDir();
    ({ station } = newStation(tmp.dir));
    await importManifest(station, 'manifest-small.csv', readFixture('manifest-small.csv'));
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
    for (const p of printers.splice(0)) await p.close().catch(() => {});
    station.close();
    tmp.cleanup();
  });

  async function printer(language: PrinterLanguage, port = 0): Promise<VirtualTcpPrinter> {
    const p = new VirtualTcpPrinter(language);
    printers.push(p);
    await p.listen(port);
    return p;
  }

  function manager() {
    const m = new DeviceManager({ backend: new VirtualHidBackend(), connections: new Connections({}), station, pollMs: 200, warn: () => {} });
    managers.push(m);
    const jobs: PrintJobSummary[] = [];
    const statuses: DeviceStatus[] = [];
    m.onJob((j) => jobs.push(j));
    m.onStatus((s) => statuses.push(s));
    const printerStatus = () => m.status().find((s) => s.role === 'printer')!;
    return { m, jobs, statuses, printerStatus };
  }

  async function labelBytes(format: PrinterLanguage) {
    const [parcel] = await new ParcelLookup(station).find(station.store, { by: 'waybill', value: row.waybill_no });
    return { parcel, bytes: await renderLabel(parcel, format, { size: '60x40', dpi: 203, qr: false, stationName: station.name, date: new Date() }) };
  }


  it.each(['tspl', 'escpos'] as const)('%s: the label arrives whole, reads back as the waybill, and holds no full phone', async (language) => {
    const p = await printer(language);
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: p.uri, language });
    expect(r.printerStatus()).toMatchObject({ state: 'connected', uri: p.uri, device: null, problems: [] });
    const { parcel, bytes } = await labelBytes(language);
    const job = await r.m.print(language, bytes);
    await p.waitFor(bytes.length);
    await r.m.idle();
    expect((await r.m.printJobs())[0]).toMatchObject({ id: job.id, status: 'done', printerKey: p.uri, attempts: 1 });
    expect(p.bytes()).toEqual(bytes);
    expect(p.statusRequests).toBeGreaterThan(0);
    const canvas = language === 'tspl' ? decodeTspl(p.bytes(), 203).canvas : decodeEscPos(p.bytes(), 480).canvas;
    expect(await readSymbols(canvas)).toEqual(expect.arrayContaining([{ format: 'Code128', text: parcel.waybillNo }]));
    const digits = row.recipient_phone.replace(/\D/g, '');
    expect(Buffer.from(p.bytes()).toString('latin1')).not.toContain(digits.slice(0, -4));
  });

  it('paper out is shown and holds the queue; the label prints once paper is back', async () => {
    const p = await printer('tspl');
    p.problems = ['paper-out'];
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: p.uri, language: 'tspl' });
    const { bytes } = await labelBytes('tspl');
    await r.m.print('tspl', bytes);
    await until(() => r.printerStatus().problems.includes('paper-out'));
    expect((await r.m.printJobs())[0].status).toBe('queued');
    expect(p.received).toHaveLength(0);
    p.problems = [];
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    await p.waitFor(bytes.length); // 'done' means the kernel has the bytes; the printer reads them a moment later
    expect(p.bytes()).toEqual(bytes);
    expect(r.printerStatus().problems).toEqual([]);
  });

  it.each(['tspl', 'escpos'] as const)('%s: busy is shown and holds nothing: the label goes straight to the printer', async (language) => {
    const p = await printer(language);
    p.problems = ['busy'];
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: p.uri, language });
    const { bytes } = await labelBytes(language);
    await r.m.print(language, bytes);
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    await p.waitFor(bytes.length);
    expect(p.bytes()).toEqual(bytes);
    expect(r.printerStatus().problems).toEqual(['busy']);
  });

  it('a printer that is off: the job fails within 10 s with a clear message, stays queued, and prints when the printer is back', async () => {
    const p = await printer('tspl');
    const port = p.port;
    await p.close(); // switched off: the port is closed
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: `tcp://127.0.0.1:${port}`, language: 'tspl' });
    const { bytes } = await labelBytes('tspl');
    const started = Date.now();
    const job = await r.m.print('tspl', bytes);
    await until(() => r.jobs.some((j) => j.id === job.id && j.lastError !== null));
    expect(Date.now() - started).toBeLessThan(10_000);
    const told = (await r.m.printJobs())[0];
    expect(told).toMatchObject({ id: job.id, status: 'queued' });
    expect(told.lastError).toMatch(/无法连接打印机.*Cannot reach the printer.*ECONNREFUSED/);
    expect(r.printerStatus()).toMatchObject({ state: 'disconnected', problems: ['offline'], error: { code: 'PRINTER_UNREACHABLE' } });

    const back = await printer('tspl', port);
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    await back.waitFor(bytes.length);
    expect(back.bytes()).toEqual(bytes);
    expect(r.printerStatus()).toMatchObject({ state: 'connected', problems: [], error: null });
  });

  it('a printer switched off while idle is noticed, and the next label prints once it is back', async () => {
    const p = await printer('tspl');
    const port = p.port;
    const r = manager();
    await r.m.start();
    await r.m.chooseUri({ role: 'printer', uri: p.uri, language: 'tspl' });
    await r.m.idle();
    await p.close();
    await until(() => r.printerStatus().state !== 'connected');
    const { bytes } = await labelBytes('tspl');
    await r.m.print('tspl', bytes);
    const back = await printer('tspl', port);
    await until(async () => (await r.m.printJobs())[0].status === 'done');
    await back.waitFor(bytes.length);
    expect(back.bytes()).toEqual(bytes);
  });

  it('refuses a URI that is malformed or of the wrong kind for the role', async () => {
    const r = manager();
    await r.m.start();
    await expect(r.m.chooseUri({ role: 'printer', uri: 'tcp://', language: 'tspl' })).rejects.toMatchObject({ code: 'PRINTER_URI_INVALID' });
    await expect(r.m.chooseUri({ role: 'printer', uri: 'serial://1eab:1d06', language: 'tspl' })).rejects.toMatchObject({ code: 'PRINTER_URI_INVALID' });
    await expect(r.m.chooseUri({ role: 'scanner', uri: 'tcp://127.0.0.1' })).rejects.toMatchObject({ code: 'PRINTER_URI_INVALID' });
    expect(r.printerStatus().state).toBe('not-chosen');
  });
});
