import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DeviceManager, type DeviceManagerOptions } from '../../main/devices/device-manager';
import type { HidBackend } from '../../main/devices/hid-transport';
import { loadNodeHidBackend } from '../../main/devices/node-hid-backend';
import { INTERRUPTED_BY_RESTART } from '../../main/devices/print-jobs';
import { frameOutputReports } from '../../main/devices/report-framing';
import { VirtualHidBackend, type VirtualDevice, type VirtualTransport } from '../../main/devices/virtual/virtual-backend';
import { VirtualPrinter, type VirtualPrinterOptions } from '../../main/devices/virtual/virtual-printer';
import { VirtualScanner } from '../../main/devices/virtual/virtual-scanner';
import { initialiseStationAt, openStation, type Station } from '../../main/store/station';
import type { DeviceStatus, PrinterChoice, PrinterLanguage, ScannerChoice } from '../../shared/devices';
import { AppError } from '../../shared/errors';
import type { ScanEvent } from '../../shared/scan';
import { ManualTimers } from '../helpers/manual-timers';
import { ENGINE_CASES } from '../helpers/engines';
import { TEST_KDF, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

const MARKER = 'PICKUP-8-2-1031';
/** A label-sized payload; only masked data, as the label encoder produces. */
function label(length: number, tag = MARKER): Uint8Array {
  const text = `SIZE 60 mm,40 mm\r\nCLS\r\nTEXT 10,10,"TSS24.BF2",0,1,1,"${tag} 张* 138****5678"\r\n`;
  const out = new Uint8Array(length);
  const bytes = new TextEncoder().encode(text.repeat(Math.ceil(length / text.length)));
  out.set(bytes.subarray(0, length));
  return out;
}

const scannerChoice = (d: VirtualDevice): ScannerChoice => ({ role: 'scanner', ...d.info });
const printerChoice = (p: VirtualPrinter): PrinterChoice => ({ role: 'printer', ...p.info, language: p.language, ...p.framing });

function rig(station: Station, backend: HidBackend, opts: Partial<DeviceManagerOptions> = {}) {
  const timers = new ManualTimers();
  const warnings: string[] = [];
  const m = new DeviceManager({ backend, station, timers, warn: (w) => warnings.push(w), ...opts });
  const statuses: DeviceStatus[] = [];
  const scans: ScanEvent[] = [];
  m.onStatus((s) => statuses.push(s));
  m.onScan((s) => scans.push(s));
  const state = (role: 'scanner' | 'printer') => m.status().find((s) => s.role === role)!;
  return { m, timers, warnings, statuses, scans, state };
}

describe.each(ENGINE_CASES)('device manager (%s)', (engineName, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let target: string;
  let drop: () => Promise<void>;
  let station: Station;
  let open: boolean;
  const managers: DeviceManager[] = [];
  const track = <T extends { m: DeviceManager }>(r: T): T => {
    managers.push(r.m);
    return r;
  };
  const closeStation = async () => {
    open = false;
    await station.close();
  };
  const reopen = async () => {
    if (open) await closeStation();
    station = await openStation(target, TEST_PASSPHRASE);
    open = true;
  };
  beforeEach(async () => {
    tmp = tempDir();
    ({ target, dispose: drop } = await engine.stationTarget(tmp.dir));
    await initialiseStationAt(target, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
    open = false;
    await reopen();
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
    if (open) await closeStation();
    await drop();
    tmp.cleanup();
  });

  describe('scanner', () => {
    it('opens the chosen HID POS scanner and turns its reports into scans', async () => {
      const scanner = new VirtualScanner({}, 32);
      const r = track(rig(station, new VirtualHidBackend(scanner)));
      await r.m.start();
      expect(r.state('scanner')).toMatchObject({ state: 'not-chosen', device: null });
      await r.m.choose(scannerChoice(scanner));
      expect(r.state('scanner')).toMatchObject({ state: 'connected', device: { path: 'virtual:scanner' }, error: null });
      const long = `JT${'0123456789'.repeat(6)}`; // three 32-byte reports
      scanner.scan('SF1402279137720');
      scanner.scan(long, ']C1');
      await r.timers.advance(0);
      expect(r.scans).toEqual([
        { code: 'SF1402279137720', symbology: ']C0', source: 'hid-pos', at: r.timers.now() },
        { code: long, symbology: ']C1', source: 'hid-pos', at: r.timers.now() },
      ]);
    });

    it('ignores garbage reports with a warning and stays connected', async () => {
      const scanner = new VirtualScanner();
      const r = track(rig(station, new VirtualHidBackend(scanner)));
      await r.m.start();
      await r.m.choose(scannerChoice(scanner));
      scanner.sendRaw(Uint8Array.of(0x02, 0xff, 0x00));
      scanner.sendRaw(new Uint8Array(64).fill(0xab));
      scanner.scan('YT88776655');
      await r.timers.advance(0);
      expect(r.scans.map((s) => s.code)).toEqual(['YT88776655']);
      expect(r.warnings).toHaveLength(2);
      expect(r.state('scanner').state).toBe('connected');
    });

    it('refuses a scanner that is not in HID POS mode', async () => {
      const keyboard = new VirtualScanner({ usagePage: 0x01, usage: 0x06 });
      const r = track(rig(station, new VirtualHidBackend(keyboard)));
      await expect(r.m.choose(scannerChoice(keyboard))).rejects.toMatchObject({ code: 'NOT_A_POS_SCANNER' });
    });

    it('remembers the choice in the store', async () => {
      const scanner = new VirtualScanner({ serialNumber: 'S123' });
      const first = track(rig(station, new VirtualHidBackend(scanner)));
      await first.m.choose(scannerChoice(scanner));
      await first.m.close();
      await reopen();
      const second = track(rig(station, new VirtualHidBackend(scanner)));
      await second.m.ready();
      expect(second.state('scanner')).toMatchObject({ state: 'disconnected', device: { serialNumber: 'S123' } });
      await second.m.start();
      expect(second.state('scanner').state).toBe('connected');
      await second.m.forget('scanner');
      expect(second.state('scanner')).toMatchObject({ state: 'not-chosen', device: null });
    });

    it('notices unplug and replug by polling, even under a new path', async () => {
      const scanner = new VirtualScanner({ serialNumber: 'S123' });
      const r = track(rig(station, new VirtualHidBackend(scanner), { pollMs: 1500 }));
      await r.m.start();
      await r.m.choose(scannerChoice(scanner));
      // Gone from the device list without a read error: only the poll can tell.
      scanner.plugged = false;
      await r.timers.advance(1500);
      expect(r.state('scanner').state).toBe('disconnected');
      scanner.plug('/dev/hidraw7');
      await r.timers.advance(1500);
      expect(r.state('scanner')).toMatchObject({ state: 'connected' });
      scanner.scan('6901234567892', ']E0');
      await r.timers.advance(0);
      expect(r.scans.map((s) => s.code)).toEqual(['6901234567892']);
      expect(r.statuses.filter((s) => s.role === 'scanner').map((s) => s.state)).toEqual(['disconnected', 'connected', 'disconnected', 'connected']);
    });

    it('reports an unplug at once through the read error, and reopens on the next poll', async () => {
      const scanner = new VirtualScanner();
      const r = track(rig(station, new VirtualHidBackend(scanner)));
      await r.m.start();
      await r.m.choose(scannerChoice(scanner));
      scanner.unplug();
      await r.timers.advance(0);
      expect(r.state('scanner').state).toBe('disconnected');
      expect(r.warnings).toEqual(['scanner: device disconnected: virtual:scanner']);
      scanner.plug();
      await r.timers.advance(1500);
      expect(r.state('scanner').state).toBe('connected');
    });

    it('shows a permission failure as an error state and recovers once access is granted', async () => {
      const scanner = new VirtualScanner();
      scanner.denyOpen = true;
      const r = track(rig(station, new VirtualHidBackend(scanner)));
      await r.m.start();
      await r.m.choose(scannerChoice(scanner));
      const s = r.state('scanner');
      expect(s.state).toBe('error');
      expect(s.error).toMatchObject({ code: 'DEVICE_OPEN_FAILED', detail: 'cannot open device with path virtual:scanner' });
      await r.timers.advance(3000);
      expect(r.warnings).toHaveLength(1); // once, not every poll
      scanner.denyOpen = false;
      await r.timers.advance(1500);
      expect(r.state('scanner')).toMatchObject({ state: 'connected', error: null });
    });
  });

  it('shows a missing HID driver as an error on both roles, without crashing', async () => {
    const backend = await loadNodeHidBackend(() => Promise.reject(new Error('libusb-1.0.so.0: cannot open shared object file')));
    const r = track(rig(station, backend));
    await r.m.start();
    for (const s of r.m.status()) {
      expect(s.state).toBe('error');
      expect(s.error).toMatchObject({
        code: 'HID_UNAVAILABLE',
        message: { zh: '无法加载 USB HID 驱动', en: 'Cannot load the USB HID driver' },
        detail: 'libusb-1.0.so.0: cannot open shared object file',
      });
    }
    expect(() => r.m.list()).toThrow(AppError);
    await r.timers.advance(3000);
    expect(r.statuses).toHaveLength(2); // no repeats while nothing changes
  });

  describe('printer and print queue', () => {
    async function printerRig(opts: VirtualPrinterOptions, managerOpts: Partial<DeviceManagerOptions> = {}) {
      const printer = new VirtualPrinter(opts);
      const r = track(rig(station, new VirtualHidBackend(printer), managerOpts));
      await r.m.start();
      await r.m.choose(printerChoice(printer));
      await r.m.idle();
      return { printer, ...r };
    }

    it.each([8, 32, 64])('prints a job in %i-byte output reports', async (reportSize) => {
      const { printer, m, state } = await printerRig({ language: 'tspl', reportSize, reportId: 0 });
      expect(state('printer').state).toBe('connected');
      const payload = label(500);
      const job = await m.print('tspl', payload);
      expect(job).toMatchObject({ status: 'queued', format: 'tspl', attempts: 0 });
      await m.idle();
      expect(printer.reports).toEqual(frameOutputReports(payload, { reportSize, reportId: 0 }));
      expect((await m.printJobs())[0]).toMatchObject({ id: job.id, status: 'done', attempts: 1, lastError: null });
    });

    it('unplugged mid-job then replugged: the job completes exactly once', async () => {
      const framing = { reportSize: 32, reportId: 0 };
      const { printer, m, state, timers } = await printerRig({ language: 'tspl', ...framing });
      const jobs: string[] = [];
      m.onJob((j) => jobs.push(`${j.id}:${j.status}`));
      const payload = label(32 * 10 + 7);
      printer.unplugAfterReports(3);
      const job = await m.print('tspl', payload);
      await m.idle();
      expect(state('printer').state).toBe('disconnected');
      expect((await m.printJobs())[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: 'could not write to device: disconnected' });
      expect(printer.reports).toHaveLength(3);

      printer.plug('/dev/hidraw9');
      await timers.advance(1500);
      await m.idle();
      expect(state('printer').state).toBe('connected');
      expect((await m.printJobs())[0]).toMatchObject({ id: job.id, status: 'done', attempts: 2 });
      expect(printer.reports).toEqual(frameOutputReports(payload, framing));
      expect(jobs).toEqual([`${job.id}:queued`, `${job.id}:printing`, `${job.id}:queued`, `${job.id}:printing`, `${job.id}:done`]);
    });

    it('keeps the queue across a store close and reopen, and resumes a cut-off job where it stopped', async () => {
      const framing = { reportSize: 64, reportId: 0 };
      const { printer, m } = await printerRig({ language: 'tspl', ...framing });
      const [a, b] = [label(64 * 5, 'JOB-A'), label(100, 'JOB-B')];
      printer.unplugAfterReports(2);
      await m.print('tspl', a);
      await m.print('tspl', b);
      await m.idle();
      expect((await m.printJobs()).map((j) => j.status)).toEqual(['queued', 'queued']);
      await m.close();
      await reopen();
      printer.plug();
      const again = track(rig(station, new VirtualHidBackend(printer)));
      await again.m.start();
      await again.m.idle();
      expect((await again.m.printJobs()).map((j) => j.status)).toEqual(['done', 'done']);
      expect(printer.reports).toEqual([...frameOutputReports(a, framing), ...frameOutputReports(b, framing)]);
    });

    it('after a crash mid-job, prints the job again from the start rather than lose it', async () => {
      const framing = { reportSize: 64, reportId: 0 };
      const printer = new VirtualPrinter({ language: 'tspl', ...framing });
      printer.plugged = false;
      const first = track(rig(station, new VirtualHidBackend(printer)));
      await first.m.choose(printerChoice(printer));
      const payload = label(300);
      const job = await first.m.print('tspl', payload);
      await station.store.run("UPDATE print_jobs SET status = 'printing', bytes_sent = 128 WHERE id = ?", job.id);
      await first.m.close();

      printer.plug();
      const after = track(rig(station, new VirtualHidBackend(printer)));
      await after.m.start();
      await after.m.idle();
      expect((await after.m.printJobs())[0]).toMatchObject({ status: 'done', lastError: INTERRUPTED_BY_RESTART });
      expect(printer.reports).toEqual(frameOutputReports(payload, framing));
      expect(after.warnings).toEqual(['1 print job(s) were cut off by the app closing; they will print again']);
    });

    it.each<PrinterLanguage>(['tspl', 'escpos'])('holds the queue while a %s printer reports paper out', async (language) => {
      const { printer, m, state, timers } = await printerRig({ language, reportSize: 64, reportId: language === 'tspl' ? 0 : 2 });
      printer.problems = ['paper-out'];
      const job = await m.print(language, label(200));
      await m.idle();
      expect(state('printer')).toMatchObject({ state: 'connected', problems: ['paper-out'] });
      expect((await m.printJobs())[0]).toMatchObject({ id: job.id, status: 'queued', attempts: 0 });
      expect(printer.reports).toEqual([]);

      printer.problems = [];
      await timers.advance(1500);
      await m.idle();
      expect(state('printer').problems).toEqual([]);
      expect((await m.printJobs())[0].status).toBe('done');
    });

    it('reports every problem a TSPL printer flags', async () => {
      const { printer, state, timers, m } = await printerRig({ language: 'tspl', reportSize: 32, reportId: 0 });
      printer.problems = ['head-open', 'ribbon-out'];
      await timers.advance(1500);
      await m.idle();
      expect(state('printer').problems).toEqual(['head-open', 'ribbon-out']);
    });

    it('prints on a printer that never answers status requests, asking only once', async () => {
      const printer = new VirtualPrinter({ language: 'escpos', reportSize: 64, reportId: 0 });
      printer.answersStatus = false;
      const r = track(rig(station, new VirtualHidBackend(printer), { statusTimeoutMs: 500 }));
      await r.m.start();
      await r.m.choose(printerChoice(printer));
      await r.timers.advance(500);
      await r.m.idle();
      const payload = label(150);
      await r.m.print('escpos', payload);
      await r.m.idle();
      expect((await r.m.printJobs())[0].status).toBe('done');
      expect(printer.statusRequests).toBe(1);
      expect(printer.reports).toEqual(frameOutputReports(payload, printer.framing));
    });

    it('fails a job of the wrong format visibly, and reprints a finished one', async () => {
      const { printer, m } = await printerRig({ language: 'escpos', reportSize: 64, reportId: 0 });
      const reprint = async (id: number) => m.announce(await station.store.transaction((tx) => m.reprint(tx, id)));
      const wrong = await m.print('tspl', label(10));
      await m.idle();
      expect((await m.printJobs())[0]).toMatchObject({ id: wrong.id, status: 'failed' });
      expect((await m.printJobs())[0].lastError).toContain('The print job format does not match the printer language');

      const payload = label(90);
      const first = await m.print('escpos', payload);
      await m.idle();
      const again = await reprint(first.id);
      await m.idle();
      expect((await m.printJobs())[0]).toMatchObject({ id: again.id, status: 'done', reprintOf: first.id });
      const once = frameOutputReports(payload, printer.framing);
      expect(printer.reports).toEqual([...once, ...once]);
      await expect(reprint(9999)).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_FOUND' });
      // After the retention purge emptied the label, a reprint says why instead of failing its MAC.
      await station.store.run('UPDATE print_jobs SET payload = ? WHERE id = ?', Buffer.alloc(0), first.id);
      await expect(reprint(first.id)).rejects.toMatchObject({ code: 'DATA_ERASED' });
    });

    it('marks a job failed, not lost, after too many broken transmissions', async () => {
      const { printer, m, timers } = await printerRig({ language: 'tspl', reportSize: 8, reportId: 0 }, { maxAttempts: 2 });
      printer.unplugAfterReports(1);
      await m.print('tspl', label(64));
      await m.idle();
      printer.plug();
      printer.unplugAfterReports(1);
      await timers.advance(1500);
      await m.idle();
      expect((await m.printJobs())[0]).toMatchObject({ status: 'failed', attempts: 2, lastError: 'could not write to device: disconnected' });
    });

    it('needs a chosen printer to queue a label', async () => {
      const r = track(rig(station, new VirtualHidBackend()));
      await expect(r.m.print('tspl', label(10))).rejects.toMatchObject({ code: 'PRINTER_NOT_CHOSEN' });
    });

    it('moves queued jobs to a newly chosen printer', async () => {
      const old = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
      old.plugged = false;
      const replacement = new VirtualPrinter({ language: 'tspl', reportSize: 32, reportId: 0, info: { path: 'virtual:printer-2', serialNumber: 'P2' } });
      const r = track(rig(station, new VirtualHidBackend(old, replacement)));
      await r.m.start();
      await r.m.choose(printerChoice(old));
      const payload = label(100);
      await r.m.print('tspl', payload);
      await r.m.choose(printerChoice(replacement));
      await r.m.idle();
      expect((await r.m.printJobs())[0]).toMatchObject({ status: 'done', printerKey: 'fffe:0002:sn:P2' });
      expect(replacement.reports).toEqual(frameOutputReports(payload, replacement.framing));
    });

    it('a job cut off by switching printers prints in full on the new one', async () => {
      let switching: Promise<void> | null = null;
      class OldPrinter extends VirtualPrinter {
        protected override receive(report: Uint8Array, from: VirtualTransport): void {
          super.receive(report, from);
          // The supervisor picks another printer while the 50th report is on its way.
          if (this.reports.length === 50) switching = r.m.choose(printerChoice(replacement));
        }
      }
      const old = new OldPrinter({ language: 'tspl', reportSize: 8, reportId: 0 });
      const replacement = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0, info: { path: 'virtual:printer-2', serialNumber: 'P2' } });
      const r = track(rig(station, new VirtualHidBackend(old, replacement)));
      await r.m.start();
      await r.m.choose(printerChoice(old));
      await r.m.idle();
      const payload = label(8 * 200);
      await r.m.print('tspl', payload);
      await r.m.idle();
      await switching;
      await r.m.idle();
      expect(old.reports).toHaveLength(50);
      expect((await r.m.printJobs())[0]).toMatchObject({ status: 'done', printerKey: 'fffe:0002:sn:P2' });
      expect(replacement.reports).toEqual(frameOutputReports(payload, replacement.framing));
    });

    it("one counter's queue is its own: a job queued at counter 1 is never printed by counter 2", async () => {
      const framing = { reportSize: 64, reportId: 0 };
      // The same printer model at both counters: the same printer key on their jobs.
      const [atOne, atTwo] = [new VirtualPrinter({ language: 'tspl', ...framing }), new VirtualPrinter({ language: 'tspl', ...framing })];
      atOne.plugged = false;
      const one = track(rig(station, new VirtualHidBackend(atOne), { workstation: 'counter-1' }));
      await one.m.start();
      await one.m.choose(printerChoice(atOne));
      const payload = label(200);
      const job = await one.m.print('tspl', payload);
      const cutOff = await one.m.print('tspl', label(100, 'CUT-OFF'));
      await station.store.run("UPDATE print_jobs SET status = 'printing' WHERE id = ?", cutOff.id);

      const two = track(rig(station, new VirtualHidBackend(atTwo), { workstation: 'counter-2' }));
      await two.m.start();
      expect(two.state('printer').state).toBe('not-chosen');
      await two.m.choose(printerChoice(atTwo));
      await two.timers.advance(1500);
      await two.m.idle();
      expect(atTwo.reports).toEqual([]);
      expect(await two.m.printJobs()).toEqual([]);
      expect(two.warnings).toEqual([]);
      await expect(station.store.transaction((tx) => two.m.reprint(tx, job.id))).rejects.toMatchObject({ code: 'PRINT_JOB_NOT_FOUND' });

      // Counter 1's own restart requeues its cut-off job, and its printer prints both.
      await one.m.close();
      atOne.plug();
      const oneAgain = track(rig(station, new VirtualHidBackend(atOne), { workstation: 'counter-1' }));
      await oneAgain.m.start();
      await oneAgain.m.idle();
      expect((await oneAgain.m.printJobs()).map((j) => [j.id, j.status])).toEqual([[cutOff.id, 'done'], [job.id, 'done']]);
      expect(oneAgain.warnings).toEqual(['1 print job(s) were cut off by the app closing; they will print again']);
      expect(atTwo.reports).toEqual([]);
    });

    it('keeps label payloads sealed at rest', async () => {
      const { m } = await printerRig({ language: 'tspl', reportSize: 64, reportId: 0 });
      await m.print('tspl', label(400));
      await m.idle();
      await m.close();
      const payloads = await station.store.all<{ payload: Uint8Array }>('SELECT payload FROM print_jobs');
      expect(payloads).toHaveLength(1);
      expect(payloads.some((r) => Buffer.from(r.payload).includes(Buffer.from(MARKER)))).toBe(false);
      await closeStation();
      if (engineName === 'sqlite') expect(readFileSync(target).includes(Buffer.from(MARKER))).toBe(false);
    });
  });
});
