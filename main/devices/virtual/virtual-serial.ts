// Virtual COM ports in software, at the serialport boundary: a scanner in USB
// CDC mode sends its lines with send(); pull() is the cable coming out.
import type { SerialLike, SerialPortInfo, SerialPortLike } from '../connections/serial-scanner';

export class VirtualSerialPort implements SerialPortLike {
  isOpen = false;
  private listeners: Record<string, ((x?: unknown) => void)[]> = {};

  constructor(readonly path: string) {}

  open(cb: (err: Error | null) => void): void {
    this.isOpen = true;
    queueMicrotask(() => cb(null));
  }

  write(_data: Uint8Array, cb: (err: Error | null | undefined) => void): void {
    cb(null);
  }

  close(cb: (err: Error | null) => void): void {
    this.isOpen = false;
    cb(null);
  }

  on(event: 'data', cb: (data: Uint8Array) => void): void;
  on(event: 'error' | 'close', cb: (err?: Error | null) => void): void;
  on(event: string, cb: (x: never) => void): void {
    (this.listeners[event] ??= []).push(cb as (x?: unknown) => void);
  }

  /** Bytes as the scanner sends them: a code and its line end, or part of one. */
  send(text: string): void {
    for (const cb of this.listeners.data ?? []) cb(Buffer.from(text, 'utf8'));
  }

  pull(): void {
    this.isOpen = false;
    for (const cb of this.listeners.close ?? []) cb(new Error('Disconnected'));
  }
}

/** A Newland scanner in virtual COM mode beside a motherboard port without USB ids, unless told otherwise. */
export const VIRTUAL_SERIAL_PORTS: readonly SerialPortInfo[] = [
  { path: '/dev/ttyACM0', vendorId: '1eab', productId: '1d06', serialNumber: 'NL1', manufacturer: 'Newland' },
  { path: '/dev/ttyS0' },
];

export class VirtualSerial implements SerialLike {
  readonly opened: VirtualSerialPort[] = [];

  constructor(public ports: SerialPortInfo[] = [...VIRTUAL_SERIAL_PORTS]) {}

  async list(): Promise<SerialPortInfo[]> {
    return this.ports;
  }

  open(opts: { path: string }): SerialPortLike {
    const port = new VirtualSerialPort(opts.path);
    this.opened.push(port);
    return port;
  }

  /** The port most recently opened, as the device manager holds it. */
  latest(): VirtualSerialPort | undefined {
    return this.opened.at(-1);
  }
}
