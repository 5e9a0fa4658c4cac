// What a printer link writes through, whatever the cable: HID output reports,
// a USB bulk endpoint, a TCP socket or the OS spooler. A channel takes a job
// in chunks (the resume points of an interrupted job) and hands back what the
// printer answers to a status request.
import type { PrinterProblem } from '../../shared/devices';
import type { HidTransport } from './hid-transport';
import { frameOutputReports, inputPayload, type OutputFraming } from './report-framing';

/**
 * A connection that carries bytes both ways. HidTransport already has this
 * shape; USB bulk, TCP and spooler connections implement it too, so the device
 * manager opens, watches and closes them all alike.
 */
export type ByteTransport = HidTransport;

/** The listener half of a transport: one listener for what arrives, one for the connection failing. */
export abstract class TransportListeners {
  protected dataListener: (bytes: Uint8Array) => void = () => {};
  protected errorListener: (err: Error) => void = () => {};

  onData(cb: (bytes: Uint8Array) => void): void {
    this.dataListener = cb;
  }

  onError(cb: (err: Error) => void): void {
    this.errorListener = cb;
  }
}

export interface PrinterChannel {
  /** Payload bytes per write: the progress recorded for a resume moves by this much. */
  readonly chunkSize: number;
  write(chunk: Uint8Array): Promise<void>;
  /** Sets the (single) listener for what the printer sends back. */
  onReply(cb: (bytes: Uint8Array) => void): void;
  /** A channel that knows the printer's state without asking it in its language (a spooler queue). */
  query?(): Promise<PrinterProblem[] | null>;
}

/** HID: each chunk is one framed output report. */
export const hidChannel = (transport: HidTransport, framing: OutputFraming): PrinterChannel => ({
  chunkSize: framing.reportSize,
  write: async (chunk) => {
    for (const report of frameOutputReports(chunk, framing)) await transport.write(report);
  },
  onReply: (cb) => transport.onData((report) => cb(inputPayload(report, framing))),
});

/** A byte stream (USB bulk, TCP): chunks as they are. */
export const streamChannel = (transport: ByteTransport, chunkSize: number, query?: PrinterChannel['query']): PrinterChannel => ({
  chunkSize,
  write: (chunk) => transport.write(chunk),
  onReply: (cb) => transport.onData(cb),
  ...(query ? { query } : {}),
});
