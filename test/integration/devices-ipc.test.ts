// Devices and labels through the real router, with virtual devices behind the
// HID transport: a HID POS scan reaches the renderer as an event, a privacy
// label is previewed and printed, and only masked data reaches the printer.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VirtualPrinter } from '../../main/devices/virtual/virtual-printer';
import { VirtualScanner } from '../../main/devices/virtual/virtual-scanner';
import type { CounterLookupResult, ScanInResult } from '../../shared/counter';
import type { DeviceStatus, PrintJobSummary } from '../../shared/devices';
import type { LabelPreview } from '../../shared/ipc/devices';
import { parsePhone } from '../../shared/phone';
import { valueOf } from '../helpers/results';
import { startApp, type TestApp } from '../helpers/app';
import { ENGINE_CASES } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir } from '../helpers/fixtures';

const ok = valueOf;
const until = async (cond: () => boolean, ms = 5000) => {
  for (const end = Date.now() + ms; !cond(); ) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe.each(ENGINE_CASES)('devices and labels over IPC (%s)', (_engine, engine) => {
  let tmp: ReturnType<typeof tempDir>;
  let t: TestApp;
  const scanner = new VirtualScanner({}, 32);
  const printer = new VirtualPrinter({ language: 'tspl', reportSize: 64, reportId: 0 });
  const row = fixtureRows('manifest-small.csv')[7];

  beforeEach(async () => {
    tmp = tempDir();
    printer.reports.length = 0;
    t = await startApp(tmp.dir, [{ username: 'li', role: 'clerk' }], { hidBackend: new VirtualHidBackend(scanner, printer), engine });
    ok(await t.call('manifest.import', { fileName: 'm.csv', bytes: readFixture('manifest-small.csv') }));
  });
  afterEach(async () => {
    await t.close();
    tmp.cleanup();
  });

  it('the supervisor chooses devices (step-up); a HID POS scan arrives as a scan event', async () => {
    const listed = ok<{ path: string }[]>(await t.call('devices.list', {}));
    expect(listed.map((d) => d.path).sort()).toEqual(['virtual:printer', 'virtual:scanner']);
    const status = ok<DeviceStatus[]>(
      await t.call('devices.choose', { role: 'scanner', ...scanner.info, totp: t.code('boss') } as never),
    );
    expect(status.find((s) => s.role === 'scanner')?.device?.path).toBe('virtual:scanner');
    await until(() => t.events.some((e) => e.event === 'devices.status' && (e.payload as DeviceStatus).state === 'connected'));
    scanner.scan(row.waybill_no);
    await until(() => t.events.some((e) => e.event === 'scan'));
    expect(t.events.find((e) => e.event === 'scan')?.payload).toMatchObject({ code: row.waybill_no, source: 'hid-pos', symbology: ']C0' });

    await t.login('li');
    const r = await t.call('devices.choose', { role: 'scanner', ...scanner.info, totp: t.code('li') } as never);
    expect(r.ok ? '' : r.error.code).toBe('FORBIDDEN');
  });

  it('previews and prints a privacy label with masked data only', async () => {
    ok(await t.call('devices.choose', { role: 'printer', ...printer.info, language: 'tspl', reportSize: 64, reportId: 0, totp: t.code('boss') } as never));
    await t.login('li');
    const scanned = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: row.waybill_no }));
    const found = ok<CounterLookupResult>(await t.call('counter.find', { by: 'code', value: scanned.parcel.pickupCode! }));
    const parcelId = found.kind === 'customer' ? found.parcels[0].id : 0;

    const preview = ok<LabelPreview>(await t.call('labels.preview', { parcelId }));
    expect([...preview.png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');

    const job = ok<PrintJobSummary>(await t.call('labels.print', { parcelId }));
    await until(() => t.events.some((e) => e.event === 'print.job' && (e.payload as PrintJobSummary).id === job.id && (e.payload as PrintJobSummary).status === 'done'));
    const sent = Buffer.concat(printer.reports.map((r) => r.subarray(1)));
    const text = sent.toString('latin1');
    expect(text).toContain('SIZE 60 mm');
    expect(text).toContain(row.waybill_no);
    // Nothing personal went to the printer.
    const phone = parsePhone(row.recipient_phone)!;
    expect(sent.includes(Buffer.from(phone.digits))).toBe(false);
    expect(sent.includes(Buffer.from(row.recipient_name))).toBe(false);

    await t.login('boss');
    const prints = ok<{ parcelIds: number[]; username: string }[]>(await t.call('audit.list', { action: 'label.print' }));
    expect(prints).toMatchObject([{ parcelIds: [parcelId], username: 'li' }]);
  });

  it('without a chosen printer, printing says so', async () => {
    await t.login('li');
    const scanned = ok<ScanInResult>(await t.call('counter.scanIn', { waybill: row.waybill_no }));
    const found = ok<CounterLookupResult>(await t.call('counter.find', { by: 'code', value: scanned.parcel.pickupCode! }));
    const r = await t.call('labels.print', { parcelId: found.kind === 'customer' ? found.parcels[0].id : 0 });
    expect(r.ok ? '' : r.error.code).toBe('PRINTER_NOT_CHOSEN');
    expect(r.ok ? '' : r.error.message.zh).toMatch(/打印机/);
  });
});
