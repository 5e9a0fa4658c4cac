// A network label printer in software: a raw TCP server (port 9100 style) on
// the loopback that keeps what it is sent and answers status requests in its
// language, as TSC and ESC/POS printers do on their Ethernet port. For tests,
// the e2e harness, the benchmarks and demos without a printer.
import { createServer, type Server, type Socket } from 'node:net';
import type { PrinterLanguage, PrinterProblem } from '../../../shared/devices';
import { STATUS_QUERIES } from '../printer-status';
import { statusReplyByte } from './virtual-printer';

export class VirtualTcpPrinter {
  /** Label bytes received, status requests taken out. */
  received: number[] = [];
  problems: PrinterProblem[] = [];
  statusRequests = 0;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly waiters: { bytes: number; resolve: () => void }[] = [];

  constructor(readonly language: PrinterLanguage) {
    this.server = createServer((socket) => this.serve(socket));
  }

  /** Listens on 127.0.0.1 (any free port unless given); resolves with the port. */
  listen(port = 0): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, '127.0.0.1', () => resolve(this.port));
    });
  }

  get port(): number {
    const address = this.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  get uri(): string {
    return `tcp://127.0.0.1:${this.port}`;
  }

  bytes(): Uint8Array {
    return Uint8Array.from(this.received);
  }

  /** Resolves once `n` label bytes in all have arrived. */
  waitFor(n: number): Promise<void> {
    if (this.received.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ bytes: n, resolve }));
  }

  /** Switched off: open connections are cut and no new one is taken. */
  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => {});
    let pending: number[] = [];
    socket.on('data', (data: Buffer) => {
      pending.push(...data);
      pending = this.consume(pending, socket);
      for (const w of this.waiters.filter((x) => this.received.length >= x.bytes)) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    });
  }

  /** Takes status requests out of the stream and answers them; keeps a possible request's first bytes for the next read. */
  private consume(bytes: number[], socket: Socket): number[] {
    const queries = STATUS_QUERIES[this.language];
    let i = 0;
    while (i < bytes.length) {
      const query = queries.find((q) => q.request.every((b, k) => bytes[i + k] === b));
      if (query) {
        this.statusRequests++;
        socket.write(Uint8Array.of(statusReplyByte(this.language, this.problems, query)));
        i += query.request.length;
        continue;
      }
      const partial = queries.some((q) => i + q.request.length > bytes.length && bytes.slice(i).every((b, k) => q.request[k] === b));
      if (partial) break;
      this.received.push(bytes[i++]);
    }
    return bytes.slice(i);
  }
}
