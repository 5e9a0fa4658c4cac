import { describe, expect, it } from 'vitest';
import { STATUS_QUERIES } from '../../main/devices/printer-status';
import { holdsQueue, type PrinterProblem } from '../../shared/devices';
import { checkFraming, frameOutputReports, inputPayload } from '../../main/devices/report-framing';

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 1) & 0xff);

describe('HID output report framing', () => {
  it.each([
    [8, 0],
    [32, 0],
    [64, 0],
    [8, 3],
    [64, 1],
  ])('splits a payload into %i-byte reports with report id %i first', (reportSize, reportId) => {
    const payload = bytes(3 * reportSize + 5);
    const reports = frameOutputReports(payload, { reportSize, reportId });
    expect(reports).toHaveLength(4);
    for (const r of reports) {
      expect(r.length).toBe(reportSize + 1); // hidapi: id byte + report
      expect(r[0]).toBe(reportId);
    }
    const joined = Uint8Array.from(reports.flatMap((r) => [...r.subarray(1)]));
    expect(joined.subarray(0, payload.length)).toEqual(payload);
    expect([...joined.subarray(payload.length)]).toEqual(new Array(reportSize - 5).fill(0)); // last report zero padded
  });

  it('sends an exact multiple without an extra report, and nothing for nothing', () => {
    expect(frameOutputReports(bytes(64), { reportSize: 32, reportId: 0 })).toHaveLength(2);
    expect(frameOutputReports(new Uint8Array(0), { reportSize: 32, reportId: 0 })).toEqual([]);
  });

  it('rejects impossible framing', () => {
    expect(() => checkFraming({ reportSize: 0, reportId: 0 })).toThrow(RangeError);
    expect(() => checkFraming({ reportSize: 64, reportId: 256 })).toThrow(RangeError);
    expect(() => checkFraming({ reportSize: 6.5, reportId: 0 })).toThrow(RangeError);
  });

  it('strips the id byte from input reports only when reports are numbered', () => {
    expect(inputPayload(Uint8Array.of(4, 9), { reportId: 0 })).toEqual(Uint8Array.of(4, 9));
    expect(inputPayload(Uint8Array.of(4, 9), { reportId: 4 })).toEqual(Uint8Array.of(9));
  });
});

describe('printer status requests and replies', () => {
  it('asks a TSPL printer with <ESC>!? and reads one bit per condition', () => {
    const [q] = STATUS_QUERIES.tspl;
    expect([...q.request]).toEqual([0x1b, 0x21, 0x3f]);
    expect(q.parse(Uint8Array.of(0x00))).toEqual([]);
    expect(q.parse(Uint8Array.of(0x20))).toEqual(['busy']); // printing: shown, holds nothing
    expect(['busy', 'paper-out'].filter((p) => holdsQueue(p as PrinterProblem))).toEqual(['paper-out']);
    expect(q.parse(Uint8Array.of(0x04))).toEqual(['paper-out']);
    expect(q.parse(Uint8Array.of(0x05))).toEqual(['head-open', 'paper-out']);
    expect(q.parse(Uint8Array.of(0x0a))).toEqual(['paper-jam', 'ribbon-out']);
    expect(q.parse(Uint8Array.of(0xd0))).toEqual(['paused', 'cover-open', 'overheated']);
    expect(q.parse(new Uint8Array(0))).toBeNull();
  });

  it('asks an ESC/POS printer with DLE EOT 1, 2 and 4 and checks the fixed bits', () => {
    const [printer, offline, paper] = STATUS_QUERIES.escpos;
    expect([printer, offline, paper].map((q) => [...q.request])).toEqual([
      [0x10, 0x04, 1],
      [0x10, 0x04, 2],
      [0x10, 0x04, 4],
    ]);
    expect(printer.parse(Uint8Array.of(0x12))).toEqual([]);
    expect(printer.parse(Uint8Array.of(0x1a))).toEqual(['offline']);
    expect(offline.parse(Uint8Array.of(0x16))).toEqual(['cover-open']);
    expect(offline.parse(Uint8Array.of(0x1a))).toEqual(['busy']); // paper fed by the feed button
    expect(offline.parse(Uint8Array.of(0x72))).toEqual(['paper-out', 'error']);
    expect(paper.parse(Uint8Array.of(0x7e))).toEqual(['paper-out', 'paper-out']);
    expect(paper.parse(Uint8Array.of(0x1e))).toEqual([]); // near end only: still printing
    // Bits 1 and 4 must be on, 0 and 7 off; anything else is not a DLE EOT reply.
    expect(printer.parse(Uint8Array.of(0xff))).toBeNull();
    expect(printer.parse(Uint8Array.of(0x00))).toBeNull();
  });
});
