// A printer behind the OS spooler (CUPS, the Windows print spooler): a job is
// handed over whole, and the queue's state stands in for the printer's own
// status reply. Shaped like a byte transport so the device manager treats a
// queue like any other printer: "open" checks that the queue exists.
import type { PrinterProblem } from '../../../shared/devices';
import type { ByteTransport, PrinterChannel } from '../printer-channel';

export interface Spooler {
  /** The queue's problems now; throws AppError('PRINTER_UNREACHABLE') when there is no such queue. */
  state(queue: string): Promise<PrinterProblem[]>;
  /** Hands one whole job to the queue; rejects with AppError('SPOOLER_FAILED') when it is refused. */
  submit(queue: string, job: Uint8Array): Promise<void>;
}

export class SpoolTransport implements ByteTransport {
  private isOpen = false;

  constructor(
    private readonly spooler: Spooler,
    private readonly queue: string,
  ) {}

  async open(): Promise<void> {
    await this.spooler.state(this.queue);
    this.isOpen = true;
  }

  async write(job: Uint8Array): Promise<void> {
    if (!this.isOpen) throw new Error(`print queue ${this.queue} is not open`);
    await this.spooler.submit(this.queue, job);
  }

  // A spooler answers nothing on the data path and reports no read errors.
  onData(): void {}
  onError(): void {}

  async close(): Promise<void> {
    this.isOpen = false;
  }

  /** One write per job: a spooled job cannot be resumed part-way, only sent again. */
  channel(): PrinterChannel {
    return {
      chunkSize: Number.MAX_SAFE_INTEGER,
      write: (chunk) => this.write(chunk),
      onReply: () => {},
      query: () => this.spooler.state(this.queue),
    };
  }
}
