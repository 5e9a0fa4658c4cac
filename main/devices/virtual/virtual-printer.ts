// A label printer in software: records every output report it is sent,
// answers status requests in its language, and can run out of paper or be
// unplugged after a given number of reports.
import type { PrinterLanguage, PrinterProblem } from '../../../shared/devices';
import type { HidDeviceInfo } from '../hid-transport';
import { ESCPOS_STATUS_BITS, STATUS_QUERIES, TSPL_STATUS_BITS, type StatusQuery } from '../printer-status';
import type { OutputFraming } from '../report-framing';
import { VirtualDevice, type VirtualTransport } from './virtual-backend';

export interface VirtualPrinterOptions extends OutputFraming {
  language: PrinterLanguage;
  info?: Partial<HidDeviceInfo>;
}

const bitsFor = (problems: readonly PrinterProblem[], table: readonly (PrinterProblem | null)[]): number =>
  table.reduce((byte, p, bit) => (p && problems.includes(p) ? byte | (1 << bit) : byte), 0);

/** The byte a printer with `problems` answers to a status request of its language. */
export function statusReplyByte(language: PrinterLanguage, problems: readonly PrinterProblem[], query: StatusQuery): number {
  if (language === 'tspl') return bitsFor(problems, TSPL_STATUS_BITS);
  const n = query.request[2] as 1 | 2 | 4;
  return 0x12 | bitsFor(problems, ESCPOS_STATUS_BITS[n]);
}

export class VirtualPrinter extends VirtualDevice {
  readonly language: PrinterLanguage;
  readonly framing: OutputFraming;
  /** Data reports received, exactly as written (report id first). */
  readonly reports: Uint8Array[] = [];
  problems: PrinterProblem[] = [];
  /** False: behaves like a printer without status reporting over HID. */
  answersStatus = true;
  statusRequests = 0;
  private unplugAfter: number | null = null;

  constructor({ language, reportSize, reportId, info = {} }: VirtualPrinterOptions) {
    super({ vendorId: 0xfffe, productId: 0x0002, path: 'virtual:printer', product: `Virtual ${language.toUpperCase()} label printer`, usagePage: 0xff00, ...info });
    this.language = language;
    this.framing = { reportSize, reportId };
  }

  /** Pulls the cable right after the next `n` data reports arrive. */
  unplugAfterReports(n: number): void {
    this.unplugAfter = n;
  }

  protected receive(report: Uint8Array, from: VirtualTransport): void {
    const { reportSize, reportId } = this.framing;
    if (report.length !== reportSize + 1 || report[0] !== reportId) {
      throw new Error(`bad output report: ${report.length} bytes, id ${report[0]}`);
    }
    const body = report.subarray(1);
    const reply = this.statusReply(body);
    if (reply !== undefined) {
      this.statusRequests++;
      if (reply !== null) from.deliver(this.inputReport(reply));
      return;
    }
    this.reports.push(report);
    if (this.unplugAfter !== null && --this.unplugAfter === 0) {
      this.unplugAfter = null;
      this.unplug();
    }
  }

  /** The status byte for a status request; null if it stays silent; undefined if `body` is data. */
  private statusReply(body: Uint8Array): number | null | undefined {
    const query = STATUS_QUERIES[this.language].find(
      (q) => q.request.every((b, i) => body[i] === b) && body.subarray(q.request.length).every((b) => b === 0),
    );
    if (!query) return undefined;
    if (!this.answersStatus) return null;
    return statusReplyByte(this.language, this.problems, query);
  }

  private inputReport(status: number): Uint8Array {
    const { reportSize, reportId } = this.framing;
    const r = new Uint8Array(reportId === 0 ? reportSize : reportSize + 1);
    r[reportId === 0 ? 0 : 1] = status;
    if (reportId !== 0) r[0] = reportId;
    return r;
  }
}
