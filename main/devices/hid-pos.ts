// HID POS barcode scanners (usage page 0x8C): the "scanned data" input report.
// Layout as documented by Honeywell and Access-IS for their HID POS mode,
// for a report of N bytes (N = 64 on full-speed devices):
//
//   [0]        report id, 0x02
//   [1]        number of data bytes in this report, at most N - 8
//   [2..4]     AIM symbology identifier: ']', code character, modifier
//              (e.g. "]C0" Code 128, "]E0" EAN-13, "]Q1" QR); zeros if not sent
//   [5..N-4]   data, zero padded
//   [N-3]      vendor symbology id (Honeywell Code ID); not used here
//   [N-2]      reserved
//   [N-1]      bit 0: the code continues in the next report
//
// A code longer than N - 8 bytes is split over several reports, each carrying
// the same AIM identifier, all but the last with the continuation bit set.
import type { ScanEvent } from '../../shared/scan';

export const HID_POS_SCANNED_DATA_REPORT_ID = 0x02;
const HEADER = 5;
const TRAILER = 3;
const AIM_FLAG = 0x5d; // ']'
const CONTINUED = 0x01;

/** Data bytes one report of `reportSize` bytes carries. */
export const hidPosCapacity = (reportSize: number): number => reportSize - HEADER - TRAILER;

type Parsed = { ok: true; symbology: string | null; data: Uint8Array; continued: boolean } | { ok: false; reason: string };

function parseReport(report: Uint8Array, reportId: number): Parsed {
  const capacity = hidPosCapacity(report.length);
  if (capacity < 1) return { ok: false, reason: `report too short (${report.length} bytes)` };
  if (report[0] !== reportId) return { ok: false, reason: `unexpected report id 0x${report[0].toString(16).padStart(2, '0')}` };
  const length = report[1];
  if (length > capacity) return { ok: false, reason: `data length ${length} exceeds the ${capacity}-byte capacity of a ${report.length}-byte report` };
  const aim = report.subarray(2, HEADER);
  let symbology: string | null = null;
  if (aim[0] === AIM_FLAG && aim[1] >= 0x21 && aim[1] <= 0x7e && aim[2] >= 0x21 && aim[2] <= 0x7e) {
    symbology = String.fromCharCode(...aim);
  } else if (aim.some((b) => b !== 0)) {
    // Another vendor layout (data straight after the length byte) lands here:
    // better refused with a warning than read with its first bytes missing.
    return { ok: false, reason: 'no AIM symbology identifier at bytes 2-4' };
  }
  return { ok: true, symbology, data: report.subarray(HEADER, HEADER + length), continued: (report[report.length - 1] & CONTINUED) !== 0 };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const gb18030 = new TextDecoder('gb18030');

/** Codes are ASCII or UTF-8; QR codes printed by Chinese systems are sometimes GB18030. */
export function decodeText(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    return gb18030.decode(bytes);
  }
}

export interface HidPosDecoderOptions {
  /** Receives reasons only, never scanned content. */
  warn: (message: string) => void;
  now: () => number;
  reportId?: number;
  /** A continuation arriving later than this belongs to no code: the pending part is dropped. */
  maxGapMs?: number;
  /** Longest code accepted; protects against a stream of continued reports. */
  maxCodeBytes?: number;
}

interface Pending {
  symbology: string | null;
  chunks: Uint8Array[];
  bytes: number;
  lastAt: number;
}

/**
 * Turns the scanner's input reports into scans. Garbage, truncated or
 * out-of-sequence reports are dropped with a warning, together with any
 * half-received code they interrupt; they never throw.
 */
export class HidPosDecoder {
  private readonly reportId: number;
  private readonly maxGapMs: number;
  private readonly maxCodeBytes: number;
  private pending: Pending | null = null;

  constructor(private readonly opts: HidPosDecoderOptions) {
    this.reportId = opts.reportId ?? HID_POS_SCANNED_DATA_REPORT_ID;
    this.maxGapMs = opts.maxGapMs ?? 1000;
    this.maxCodeBytes = opts.maxCodeBytes ?? 8192;
  }

  push(report: Uint8Array): ScanEvent | null {
    const now = this.opts.now();
    if (this.pending && now - this.pending.lastAt > this.maxGapMs) {
      this.drop('the rest of a split barcode never arrived');
    }
    const parsed = parseReport(report, this.reportId);
    if (!parsed.ok) {
      this.opts.warn(`HID POS: ignored an input report: ${parsed.reason}`);
      this.drop('interrupted by an invalid report');
      return null;
    }
    if (this.pending && this.pending.symbology !== parsed.symbology) {
      this.drop('a report of another symbology arrived before its end');
    }
    const p = (this.pending ??= { symbology: parsed.symbology, chunks: [], bytes: 0, lastAt: now });
    p.chunks.push(Uint8Array.from(parsed.data));
    p.bytes += parsed.data.length;
    p.lastAt = now;
    if (p.bytes > this.maxCodeBytes) {
      this.drop(`longer than ${this.maxCodeBytes} bytes`);
      return null;
    }
    if (parsed.continued) return null;
    this.pending = null;
    if (p.bytes === 0) {
      this.opts.warn('HID POS: ignored an empty barcode');
      return null;
    }
    const bytes = new Uint8Array(p.bytes);
    let at = 0;
    for (const c of p.chunks) {
      bytes.set(c, at);
      at += c.length;
    }
    return { code: decodeText(bytes), symbology: p.symbology, source: 'hid-pos', at: now };
  }

  private drop(reason: string): void {
    if (!this.pending) return;
    this.opts.warn(`HID POS: dropped an incomplete barcode (${this.pending.bytes} bytes): ${reason}`);
    this.pending = null;
  }
}

/** The reports a scanner sends for `code`; used by the virtual scanner. */
export function encodeHidPosReports(
  code: string | Uint8Array,
  { reportSize = 64, symbology = ']C0', reportId = HID_POS_SCANNED_DATA_REPORT_ID }: { reportSize?: number; symbology?: string | null; reportId?: number } = {},
): Uint8Array[] {
  const capacity = hidPosCapacity(reportSize);
  if (capacity < 1 || capacity > 0xff) throw new RangeError(`HID POS reports must be 9 to 263 bytes, not ${reportSize}`);
  if (symbology !== null && !/^\][\x21-\x7e]{2}$/.test(symbology)) throw new RangeError(`not an AIM identifier: ${symbology}`);
  const data = typeof code === 'string' ? new TextEncoder().encode(code) : code;
  const reports: Uint8Array[] = [];
  for (let off = 0; off === 0 || off < data.length; off += capacity) {
    const chunk = data.subarray(off, off + capacity);
    const r = new Uint8Array(reportSize);
    r[0] = reportId;
    r[1] = chunk.length;
    if (symbology) r.set([...symbology].map((c) => c.charCodeAt(0)), 2);
    r.set(chunk, HEADER);
    if (off + capacity < data.length) r[reportSize - 1] = CONTINUED;
    reports.push(r);
  }
  return reports;
}
