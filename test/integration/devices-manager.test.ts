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
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../../main/store/station';
import type { DeviceStatus, PrinterChoice, PrinterLanguage, ScannerChoice } from '../../shared/devices';
import { AppError } from '../../shared/errors';
import type { ScanEvent } from '../../shared/scan';
import { ManualTimers } from '../helpers/manual-timers';
import { newStation, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';

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

describe('device manager', () => {
  let tmp: ReturnType<typeof tempDir>;
  let path: string;
  let station: Station;
  const managers: DeviceManager[] = [];
  const track = <T extends { m: DeviceManager }>(r: T): T => {
    managers.push(r.m);
    return r;
  };
  beforeEach(() => {
    tmp = tempDir();
    ({ path, station } = newStation(tmp.dir));
  });
  afterEach(async () => {
    for (const m of managers.splice(0)) await m.close();
    if (station.db.open) station.close();
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
      station.close();
      station = unlockWithPassphrase(path, TEST_PASSPHRASE);
      const second = track(rig(station, new VirtualHidBackend(scanner)));
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
      const job = m.print('tspl', payload);
      expect(job).toMatchObject({ status: 'queued', format: 'tspl', attempts: 0 });
      await m.idle();
      expect(printer.reports).toEqual(frameOutputReports(payload, { reportSize, reportId: 0 }));
      expect(m.printJobs()[0]).toMatchObject({ id: job.id, status: 'done', attempts: 1, lastError: null });
    });

    it('unplugged mid-job then replugged: the job completes exactly once', async () => {
      const framing = { reportSize: 32, reportId: 0 };
      const { printer, m, state, timers } = await printerRig({ language: 'tspl', ...framing });
      const jobs: string[] = [];
      m.onJob((j) => jobs.push(`${j.id}:${j.status}`));
      const payload = label(32 * 10 + 7);
      printer.unplugAfterReports(3);
      const job = m.print('tspl', payload);
      await m.idle();
      expect(state('printer').state).toBe('disconnected');
      expect(m.printJobs()[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: 'could not write to device: disconnected' });
      expect(printer.reports).toHaveLength(3);

      printer.plug('/dev/hidraw9');
      await timers.advance(1500);
      await m.idle();
      expect(state('printer').state).toBe('connected');
      expect(m.printJobs()[0]).toMatchObject({ id: job.id, status: 'done', attempts: 2 });
      expect(printer.reports).toEqual(frameOutputReports(payload, framing));
      expect(jobs).toEqual([`${job.id}:queued`, `${job.id}:printing`, `${job.id}:queued`, `${job.id}:printing`, `${job.id}:done`]);
    });

    it('keeps the queue across a store close and reopen, and resumes a cut-off job where it stopped', async () => {
      const framing = { reportSize: 64, reportId: 0 };
      const { printer, m } = await printerRig({ language: 'tspl', ...framing });
      const [a, b] = [label(64 * 5, 'JOB-A'), label(100, 'JOB-B')];
      printer.unplugAfterReports(2);
      m.print('tspl', a);
      m.print('tspl', b);
      await m.idle();
      expect(m.printJobs().map((j) => j.status)).toEqual(['queued', 'queued']);
      await m.close();
      station.close();

      station = unlockWithPassphrase(path, TEST_PASSPHRASE);
      printer.plug();
      const again = track(rig(station, new VirtualHidBackend(printer)));
      await again.m.start();
      await again.m.idle();
      expect(again.m.printJobs().map((j) => j.status)).toEqual(['done', 'done']);
      expect(printer.reports).toEqual([...frameOutputReports(a, framing), ...frameOutputReports(b, framing)]);
    });

    it('after a crash mid-job, prints the job again from the start rather than lose it', async () => {
      const framing = { reportSize: 64, reportId: 0 };
      const printer = new VirtualPrinter({ language: 'tspl', ...framing });
      printer.plugged = false;
      const first = track(rig(station, new VirtualHidBackend(printer)));
      await first.m.choose(printerChoice(printer));
      const payload = label(300);
      const job = first.m.print('tspl', payload);
      station.db.prepare("UPDATE print_jobs SET status = 'printing', bytes_sent = 128 WHERE id = ?").run(job.id);
      await first.m.close();

      printer.plug();
      const after = track(rig(station, new VirtualHidBackend(printer)));
      await after.m.start();
      await after.m.idle();
      expect(after.m.printJobs()[0]).toMatchObject({ status: 'done', lastError: INTERRUPTED_BY_RESTART });
      expect(printer.reports).toEqual(frameOutputReports(payload, framing));
      expect(after.warnings).toEqual(['1 print job(s) were cut off by the app closing; they will print again']);
    });

    it.each<PrinterLanguage>(['tspl', 'escpos'])('holds the queue while a %s printer reports paper out', async (language) => {
      const { printer, m, state, timers } = await printerRig({ language, reportSize: 64, reportId: language === 'tspl' ? 0 : 2 });
      printer.problems = ['paper-out'];
      const job = m.print(language, label(200));
      await m.idle();
      expect(state('printer')).toMatchObject({ state: 'connected', problems: ['paper-out'] });
      expect(m.printJobs()[0]).toMatchObject({ id: job.id, status: 'queued', attempts: 0 });
      expect(printer.reports).toEqual([]);

      printer.problems = [];
      await timers.advance(1500);
      await m.idle();
      expect(state('printer').problems).toEqual([]);
      expect(m.printJobs()[0].status).toBe('done');
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
      r.m.print('escpos', payload);
      await r.m.idle();
      expect(r.m.printJobs()[0].status).toBe('done');
      expect(printer.statusRequests).toBe(1);
      expect(printer.reports).toEqual(frameOutputReports(payload, printer.framing));
    });

    it('fails a job of the wrong format visibly, and reprints a finished one', async () => {
      const { printer, m } = await printerRig({ language: 'escpos', reportSize: 64, reportId: 0 });
      const wrong = m.print('tspl', label(10));
      await m.idle();
      expect(m.printJobs()[0]).toMatchObject({ id: wrong.id, status: 'failed' });
      expect(m.printJobs()[0].lastError).toContain('The print job format does not match the printer language');

      const payload = label(90);
      const first = m.print('escpos', payload);
      await m.idle();
      const again = m.reprint(first.id);
      await m.idle();
      expect(m.printJobs()[0]).toMatchObject({ id: again.id, status: 'done', reprintOf: first.id });
      const once = frameOutputReports(payload, printer.framing);
      expect(printer.reports).toEqual([...once, ...once]);
      expect(() => m.reprint(9999)).toThrow(expect.objectContaining({ code: 'PRINT_JOB_NOT_FOUND' }));
      // After the retention purge emptied the label, a reprint says why instead of failing its MAC.
      station.db.prepare("UPDATE print_jobs SET payload = X'' WHERE id = ?").run(first.id);
      expect(() => m.reprint(first.id)).toThrow(expect.objectContaining({ code: 'DATA_ERASED' }));
    });

    it('marks a job failed, not lost, after too many broken transmissions', async () => {
      const { printer, m, timers } = await printerRig({ language: 'tspl', reportSize: 8, reportId: 0 }, { maxAttempts: 2 });
      printer.unplugAfterReports(1);
      m.print('tspl', label(64));
      await m.idle();
      printer.plug();
      printer.unplugAfterReports(1);
      await timers.advance(1500);
      await m.idle();
      expect(m.printJobs()[0]).toMatchObject({ status: 'failed', attempts: 2, lastError: 'could not write to device: disconnected' });
    });

    it('needs a chosen printer to queue a label', () => {
      const r = track(rig(station, new VirtualHidBackend()));
      expect(() => r.m.print('tspl', label(10))).toThrow(expect.objectContaining({ code: 'PRINTER_NOT_CHOSEN' }));
    });

    it('moves queued jobs to a newly chosen printer', async () => {
      const old = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
      old.plugged = false;
      const replacement = new VirtualPrinter({ language: 'tspl', reportSize: 32, reportId: 0, info: { path: 'virtual:printer-2', serialNumber: 'P2' } });
      const r = track(rig(station, new VirtualHidBackend(old, replacement)));
      await r.m.start();
      await r.m.choose(printerChoice(old));
      const payload = label(100);
      r.m.print('tspl', payload);
      await r.m.choose(printerChoice(replacement));
      await r.m.idle();
      expect(r.m.printJobs()[0]).toMatchObject({ status: 'done', printerKey: 'fffe:0002:sn:P2' });
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
      r.m.print('tspl', payload);
      await r.m.idle();
      await switching;
      await r.m.idle();
      expect(old.reports).toHaveLength(50);
      expect(r.m.printJobs()[0]).toMatchObject({ status: 'done', printerKey: 'fffe:0002:sn:P2' });
      expect(replacement.reports).toEqual(frameOutputReports(payload, replacement.framing));
    });

    it('keeps label payloads sealed at rest', async () => {
      const { m } = await printerRig({ language: 'tspl', reportSize: 64, reportId: 0 });
      m.print('tspl', label(400));
      await m.idle();
      await m.close();
      station.close();
      expect(readFileSync(path).includes(Buffer.from(MARKER))).toBe(false);
    });
  });
});
