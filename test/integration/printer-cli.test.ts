// `print` and `printers` on the real CLI, in child processes: a label to a
// loopback network printer that reads back as the waybill, a printer that
// cannot be reached (fast, non-zero, a JSON error), a printer out of paper,
// and the printers found through a private CUPS server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualTcpPrinter } from '../../main/devices/virtual/tcp-printer';
import { importManifest } from '../../main/inbound/import-manifest';
import { cliAuditTrail, runCliAsync } from '../helpers/cli';
import { ENGINE_CASES, newStationOn } from '../helpers/engines';
import { fixtureRows, readFixture, tempDir, TEST_PASSPHRASE } from '../helpers/fixtures';
import { decodeTspl, readSymbols } from '../helpers/label-decoder';
import { cupsMissing, startPrivateCups } from '../helpers/private-cups';
import { closedPort } from '../helpers/net';

const PASS = { STATION_PASSPHRASE: TEST_PASSPHRASE };

describe.each(ENGINE_CASES)('CLI print and printers (%s)', { timeout: 120_000 }, (_name, engine) => {
  const tmp = tempDir();
  let db: string;
  let dispose: () => Promise<void>;
  const row = fixtureRows('manifest-small.csv')[0];

  beforeAll(async () => {
    const made = await newStationOn(engine, tmp.dir);
    ({ target: db, dispose } = made);
    await importManifest(made.station, 'manifest-small.csv', readFixture('manifest-small.csv'));
    await made.station.close();
  });
  afterAll(async () => {
    await dispose();
    tmp.cleanup();
  });

  it('prints a label to a network printer and says what it sent', async () => {
    const printer = new VirtualTcpPrinter('tspl');
    await printer.listen();
    try {
      const r = await runCliAsync(['print', '--db', db, '--waybill', row.waybill_no, '--printer', `tcp://127.0.0.1:${printer.port}`], PASS);
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines).toEqual([{ waybillNo: row.waybill_no, printer: `tcp://127.0.0.1:${printer.port}`, format: 'tspl', bytes: printer.received.length, status: 'ready' }]);
      expect(printer.statusRequests).toBe(1);
      const bytes = printer.bytes();
      expect(await readSymbols(decodeTspl(bytes, 203).canvas)).toEqual(expect.arrayContaining([{ format: 'Code128', text: row.waybill_no }]));
      const digits = row.recipient_phone.replace(/\D/g, '');
      expect(Buffer.from(bytes).toString('latin1')).not.toContain(digits.slice(0, -4));
      expect((await cliAuditTrail(db, TEST_PASSPHRASE)).at(-1)).toEqual({
        action: 'label.print',
        parcelIds: [expect.any(Number)],
        detail: { format: 'tspl', size: '60x40', printer: `tcp://127.0.0.1:${printer.port}` },
      });
    } finally {
      await printer.close();
    }
  });

  it('a printer that cannot be reached: non-zero within seconds, a JSON error, nothing recorded', async () => {
    const before = (await cliAuditTrail(db, TEST_PASSPHRASE)).length;
    const started = Date.now();
    const r = await runCliAsync(['print', '--db', db, '--waybill', row.waybill_no, '--printer', `tcp://127.0.0.1:${await closedPort()}`, '--format', 'escpos'], PASS);
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'PRINTER_UNREACHABLE', message: expect.stringContaining('Cannot reach the printer') });
    expect(await cliAuditTrail(db, TEST_PASSPHRASE)).toHaveLength(before);
  });

  it('a printer out of paper: refused before anything is sent', async () => {
    const printer = new VirtualTcpPrinter('escpos');
    printer.problems = ['paper-out'];
    await printer.listen();
    try {
      const r = await runCliAsync(['print', '--db', db, '--waybill', row.waybill_no, '--printer', printer.uri, '--format', 'escpos', '--size', '80'], PASS);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stderr).error).toMatchObject({ code: 'PRINTER_NOT_READY', message: expect.stringContaining('paper-out') });
      expect(printer.received).toHaveLength(0);
    } finally {
      await printer.close();
    }
  });

  it('refuses a malformed printer URI and an unknown format', async () => {
    const bad = await runCliAsync(['print', '--db', db, '--waybill', row.waybill_no, '--printer', 'lpt://1'], PASS);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stderr).error.code).toBe('PRINTER_URI_INVALID');
    const format = await runCliAsync(['print', '--db', db, '--waybill', row.waybill_no, '--printer', 'tcp://127.0.0.1', '--format', 'pdf'], PASS);
    expect(format.code).toBe(2);
  });

  it.skipIf(cupsMissing())('printers lists the CUPS queues, one JSON object per line', async () => {
    const cups = await startPrivateCups();
    try {
      cups.addFileQueue('counter-labels');
      const r = await runCliAsync(['printers'], cups.env);
      expect(r.code, r.stderr).toBe(0);
      expect(r.lines).toContainEqual({ uri: 'cups://counter-labels', kind: 'cups', state: 'idle' });
      // Every line is a printer or the reason a kind could not be searched (no USB on this machine, say).
      for (const line of r.lines) expect(line).toSatisfy((l: Record<string, unknown>) => typeof l.uri === 'string' || typeof l.error === 'object');
    } finally {
      await cups.stop();
    }
  });
});
