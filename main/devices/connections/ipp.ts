// A job straight to cupsd over IPP (RFC 8010/8011) instead of one `lp` process
// per label: starting a process costs more than the whole label. Only what a
// raw label queue needs: Print-Job with the document as it stands
// (application/vnd.cups-raw, as `lp -o raw` sends it) and the queue's
// printer-state from Get-Printer-Attributes. cupsd is reached as the CUPS
// tools reach it: CUPS_SERVER (a socket path or host[:port]), else the local
// socket, else localhost:631.
import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { userInfo } from 'node:os';

const OP = { printJob: 0x0002, getPrinterAttributes: 0x000b } as const;
const TAG = { operation: 0x01, end: 0x03, integer: 0x21, enum: 0x23, name: 0x42, keyword: 0x44, uri: 0x45, charset: 0x47, language: 0x48, mime: 0x49 } as const;
/** IPP status codes at or above this are errors; client-error-not-found names a queue that does not exist. */
export const IPP_ERROR = 0x0400;
export const IPP_NOT_FOUND = 0x0406;
/** printer-state: 3 idle, 4 processing, 5 stopped. */
export const PRINTER_STOPPED = 5;
const LOCAL_SOCKETS = ['/run/cups/cups.sock', '/var/run/cups/cups.sock', '/private/var/run/cupsd'];
const TIMEOUT_MS = 10_000;

export interface IppAnswer {
  status: number;
  /** Each attribute's first value: integers and enums as numbers, the rest as text. */
  attributes: Map<string, number | string>;
}

type Target = { socketPath: string } | { host: string; port: number };

function targetOf(server: string | undefined): Target {
  if (server?.startsWith('/')) return { socketPath: server };
  if (server) {
    const [host, port] = server.split(':');
    return { host, port: Number(port || 631) };
  }
  const socketPath = LOCAL_SOCKETS.find((p) => existsSync(p));
  return socketPath ? { socketPath } : { host: 'localhost', port: 631 };
}

function attribute(tag: number, name: string, value: string | Buffer): Buffer {
  const n = Buffer.from(name);
  const v = typeof value === 'string' ? Buffer.from(value) : value;
  const head = Buffer.alloc(3);
  head.writeUInt8(tag, 0);
  head.writeUInt16BE(n.length, 1);
  const len = Buffer.alloc(2);
  len.writeUInt16BE(v.length, 0);
  return Buffer.concat([head, n, len, v]);
}

/** An IPP request: the operation attributes in the order RFC 8011 asks (charset, language, target first), then the document. */
export function encodeRequest(operation: number, requestId: number, queue: string, attrs: Buffer[], document: Uint8Array = new Uint8Array()): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt16BE(0x0101, 0);
  head.writeUInt16BE(operation, 2);
  head.writeUInt32BE(requestId, 4);
  return Buffer.concat([
    head,
    Buffer.of(TAG.operation),
    attribute(TAG.charset, 'attributes-charset', 'utf-8'),
    attribute(TAG.language, 'attributes-natural-language', 'en'),
    attribute(TAG.uri, 'printer-uri', `ipp://localhost/printers/${encodeURIComponent(queue)}`),
    attribute(TAG.name, 'requesting-user-name', userInfo().username),
    ...attrs,
    Buffer.of(TAG.end),
    document,
  ]);
}

export function decodeAnswer(b: Buffer): IppAnswer {
  const attributes = new Map<string, number | string>();
  let at = 8;
  let name = '';
  while (at < b.length) {
    const tag = b[at++];
    if (tag === TAG.end) break;
    // A group's delimiter: its attributes follow.
    if (tag < 0x10) continue;
    const nameLength = b.readUInt16BE(at);
    // A name of length 0: another value of the attribute before, which keeps its first.
    if (nameLength) name = b.toString('utf8', at + 2, at + 2 + nameLength);
    at += 2 + nameLength;
    const valueLength = b.readUInt16BE(at);
    const value = b.subarray(at + 2, at + 2 + valueLength);
    at += 2 + valueLength;
    if (nameLength && !attributes.has(name)) attributes.set(name, (tag === TAG.integer || tag === TAG.enum) && valueLength === 4 ? value.readInt32BE(0) : value.toString('utf8'));
  }
  return { status: b.readUInt16BE(2), attributes };
}

/** Talks IPP to one cupsd. */
export class IppClient {
  private readonly target: Target;
  private next = 1;

  /** `server`: as CUPS_SERVER, for a private server; unset, the local one. */
  constructor(server?: string) {
    this.target = targetOf(server);
  }

  printJob(queue: string, job: Uint8Array, jobName: string): Promise<IppAnswer> {
    return this.call(
      queue,
      encodeRequest(OP.printJob, this.next++, queue, [attribute(TAG.name, 'job-name', jobName), attribute(TAG.mime, 'document-format', 'application/vnd.cups-raw')], job),
    );
  }

  printerState(queue: string): Promise<IppAnswer> {
    return this.call(queue, encodeRequest(OP.getPrinterAttributes, this.next++, queue, [attribute(TAG.keyword, 'requested-attributes', 'printer-state')]));
  }

  private call(queue: string, body: Buffer): Promise<IppAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        {
          ...this.target,
          method: 'POST',
          path: `/printers/${encodeURIComponent(queue)}`,
          headers: { 'content-type': 'application/ipp', 'content-length': body.length, host: 'localhost' },
          timeout: TIMEOUT_MS,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const answer = Buffer.concat(chunks);
            if (res.statusCode !== 200 || answer.length < 8) reject(new Error(`HTTP ${res.statusCode ?? '?'}`));
            else resolve(decodeAnswer(answer));
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', reject);
      req.end(body);
    });
  }
}
