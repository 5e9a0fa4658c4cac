// Raw TCP printing (port 9100): the printer reads the socket as if it were
// its USB cable and answers status requests on it. A printer that is off
// does not answer the SYN at all, so the connect has its own short timeout
// instead of the OS's (which is minutes).
import { Socket } from 'node:net';
import { AppError } from '../../../shared/errors';
import { TransportListeners, type ByteTransport } from '../printer-channel';

export const TCP_CONNECT_TIMEOUT_MS = 3000;

export class TcpTransport extends TransportListeners implements ByteTransport {
  private socket: Socket | null = null;

  constructor(
    private readonly host: string,
    private readonly port: number,
    private readonly connectTimeoutMs = TCP_CONNECT_TIMEOUT_MS,
  ) {
    super();
  }

  open(): Promise<void> {
    if (this.socket) return Promise.resolve();
    const where = `${this.host}:${this.port}`;
    return new Promise((resolve, reject) => {
      const socket = new Socket();
      const fail = (why: string): void => {
        socket.destroy();
        reject(new AppError('PRINTER_UNREACHABLE', `${where}: ${why}`));
      };
      socket.setTimeout(this.connectTimeoutMs, () => fail(`no answer within ${this.connectTimeoutMs} ms`));
      socket.once('error', (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
      socket.connect({ host: this.host, port: this.port }, () => {
        socket.setTimeout(0);
        socket.removeAllListeners('error');
        socket.setNoDelay(true);
        socket.setKeepAlive(true, 10_000);
        socket.on('data', (data: Buffer) => this.dataListener(Uint8Array.from(data)));
        socket.on('error', (e: NodeJS.ErrnoException) => this.lost(socket, new Error(`${where}: ${e.code ?? e.message}`)));
        socket.on('close', () => this.lost(socket, new Error(`${where}: connection closed by the printer`)));
        this.socket = socket;
        resolve();
      });
    });
  }

  /** Resolves once the kernel has the bytes. */
  write(chunk: Uint8Array): Promise<void> {
    const socket = this.socket;
    if (!socket) return Promise.reject(new Error(`${this.host}:${this.port}: not connected`));
    return new Promise((resolve, reject) => socket.write(chunk, (e) => (e ? reject(e) : resolve())));
  }

  async close(): Promise<void> {
    const socket = this.socket;
    this.socket = null;
    if (!socket) return;
    // Let what was written drain before the printer sees the end of the stream.
    await new Promise<void>((resolve) => socket.end(resolve));
    socket.destroy();
  }

  private lost(socket: Socket, err: Error): void {
    if (this.socket !== socket) return;
    this.socket = null;
    socket.destroy();
    this.errorListener(err);
  }
}
