// Talking to one opened label printer: sending a job as framed output reports,
// resumable at a byte offset, and asking for its status.
import type { PrinterChoice, PrinterProblem } from '../../shared/devices';
import type { HidTransport } from './hid-transport';
import { STATUS_QUERIES, type StatusQuery } from './printer-status';
import { frameOutputReports, inputPayload } from './report-framing';
import type { Timers } from '../time/timers';

export class PrinterLink {
  private onReply: ((payload: Uint8Array) => void) | null = null;
  private cancel: ((err: Error) => void) | null = null;
  /** Whether this printer has ever answered a status request on this connection. */
  private answered = false;
  private silent = false;

  constructor(
    private readonly transport: HidTransport,
    private readonly printer: PrinterChoice,
    private readonly timers: Timers,
    private readonly statusTimeoutMs: number,
  ) {
    transport.onData((report) => this.onReply?.(inputPayload(report, printer)));
  }

  /**
   * What the printer reports now; null when it does not answer. A printer
   * that never answered the first request is not asked again on this
   * connection, so a printer without status reporting does not slow every job.
   */
  async status(): Promise<PrinterProblem[] | null> {
    if (this.silent) return null;
    const problems = new Set<PrinterProblem>();
    for (const query of STATUS_QUERIES[this.printer.language]) {
      const reply = await this.ask(query);
      if (reply === null) {
        if (!this.answered) this.silent = true;
        return null;
      }
      for (const p of reply) problems.add(p);
    }
    this.answered = true;
    return [...problems];
  }

  /** Sends payload[from..]; `progress(bytesSent)` after each report the OS accepted. Rejects when a write fails. */
  async send(payload: Uint8Array, from: number, progress: (bytesSent: number) => void): Promise<void> {
    let sent = from;
    for (const report of frameOutputReports(payload.subarray(from), this.printer)) {
      await this.transport.write(report);
      sent = Math.min(payload.length, sent + this.printer.reportSize);
      progress(sent);
    }
  }

  /** Ends a status request still waiting for its answer: the device is being closed. */
  abandon(): void {
    this.cancel?.(new Error('printer closed while waiting for its status'));
  }

  private ask(query: StatusQuery): Promise<PrinterProblem[] | null> {
    return new Promise((resolve, reject) => {
      const settle = (): void => {
        this.timers.clearTimeout(timer);
        this.onReply = null;
        this.cancel = null;
      };
      const timer = this.timers.setTimeout(() => {
        settle();
        resolve(null);
      }, this.statusTimeoutMs);
      this.cancel = (err) => {
        settle();
        reject(err);
      };
      this.onReply = (payload) => {
        const problems = query.parse(payload);
        if (problems === null) return; // not the answer; keep waiting
        settle();
        resolve(problems);
      };
      this.send(query.request, 0, () => {}).catch((e: unknown) => this.cancel?.(e instanceof Error ? e : new Error(String(e))));
    });
  }
}
