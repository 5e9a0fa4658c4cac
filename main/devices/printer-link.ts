// Talking to one opened label printer: sending a job through its channel,
// resumable at a byte offset, and asking for its status.
import type { PrinterLanguage, PrinterProblem } from '../../shared/devices';
import type { PrinterChannel } from './printer-channel';
import { STATUS_QUERIES, type StatusQuery } from './printer-status';
import type { Timers } from '../time/timers';

export class PrinterLink {
  private onReply: ((payload: Uint8Array) => void) | null = null;
  private cancel: ((err: Error) => void) | null = null;
  /** Whether this printer has ever answered a status request on this connection. */
  private answered = false;
  private silent = false;

  constructor(
    private readonly channel: PrinterChannel,
    private readonly language: PrinterLanguage,
    private readonly timers: Timers,
    private readonly statusTimeoutMs: number,
  ) {
    channel.onReply((payload) => this.onReply?.(payload));
  }

  /**
   * What the printer reports now; null when it does not answer. A printer
   * that never answered the first request is not asked again on this
   * connection, so a printer without status reporting does not slow every job.
   */
  async status(): Promise<PrinterProblem[] | null> {
    if (this.channel.query) return this.channel.query();
    if (this.silent) return null;
    const problems = new Set<PrinterProblem>();
    for (const query of STATUS_QUERIES[this.language]) {
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

  /** Sends payload[from..]; `progress(bytesSent)` after each chunk the OS accepted. Rejects when a write fails. */
  async send(payload: Uint8Array, from: number, progress: (bytesSent: number) => void): Promise<void> {
    const { chunkSize } = this.channel;
    for (let sent = from; sent < payload.length; ) {
      const end = Math.min(payload.length, sent + chunkSize);
      await this.channel.write(payload.subarray(sent, end));
      sent = end;
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
