// A scanner in USB virtual COM mode, with serialport faked at its boundary
// only: its lines arrive as scans on the same event as HID POS scans, split
// reads and CR LF included; a pulled cable is noticed and the port reopened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connections } from '../../main/devices/connections';
import { SerialScannerBackend, SerialScanDecoder, type SerialLike, type SerialPortInfo, type SerialPortLike } from '../../main/devices/connections/serial-scanner';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import type { EmbeddedStation as Station } from '../../main/store/station';
import type { ScanEvent } from '../../shared/scan';
import { newStation, tempDir } from '../helpers/fixtures';
import { until } from '../helpers/until';

class FakePort implements SerialPortLike {
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
  send(text: string): void {
    for (const cb of this.listeners.data ?? []) cb(Buffer.from(text, 'utf8'));
  }
  pull(): void {
    this.isOpen = false;
    for (const cb of this.listeners.close ?? []) cb(new Error('Disconnected'));
  }
}

class FakeSerial implements SerialLike {
  ports: SerialPortInfo[] = [{ path: '/dev/ttyACM0', vendorId: '1eab', productId: '1d06', serialNumber: 'NL1', manufacturer: 'Newland' }, { path: '/dev/ttyS0' }];
  opened: FakePort[] = [];
  async list(): Promise<SerialPortInfo[]> {
    return this.ports;
  }
  open(opts: { path: string }): SerialPortLike {
    const port = new FakePort(opts.path);
    this.opened.push(port);
    return port;
  }
}

describe('virtual COM scanner', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let m: DeviceManager;
  beforeEach(() => {
    tmp = tempDir();
    ({ station } = newStation(tmp.dir));
  });
  afterEach(async () => {
    await m?.close();
    station.close();
    tmp.cleanup();
  });

  it('turns its lines into scans on the scan event, and reopens the port after a replug', async () => {
    const serial = new FakeSerial();
    m = new DeviceManager({ backend: new VirtualHidBackend(), connections: new Connections({ serial: new SerialScannerBackend(async () => serial) }), station, pollMs: 50, warn: () => {} });
    const scans: ScanEvent[] = [];
    m.onScan((s) => scans.push(s));
    await m.start();
    await m.chooseUri({ role: 'scanner', uri: 'serial://1eab:1d06/NL1' });
    expect(m.status().find((s) => s.role === 'scanner')).toMatchObject({ state: 'connected', uri: 'serial://1eab:1d06/NL1' });
    const port = serial.opened[0];
    port.send('SF14022791');
    port.send('37720\r\n]C0JT0001234567\r');
    expect(scans.map(({ code, symbology, source }) => ({ code, symbology, source }))).toEqual([
      { code: 'SF1402279137720', symbology: null, source: 'serial' },
      { code: 'JT0001234567', symbology: ']C0', source: 'serial' },
    ]);
    port.pull();
    await until(() => serial.opened.length === 2 && serial.opened[1].isOpen);
    serial.opened[1].send('YT1234567890123\n');
    expect(scans.at(-1)).toMatchObject({ code: 'YT1234567890123', source: 'serial' });
  });

  it('drops a runaway line without a line end, with a reason and not the content', () => {
    const warnings: string[] = [];
    const d = new SerialScanDecoder({ warn: (w) => warnings.push(w), now: () => 0 });
    expect(d.push(new Uint8Array(9000).fill(0x41))).toEqual([]);
    expect(warnings).toEqual(['serial scanner: dropped a line of over 8192 bytes without a line end']);
    expect(d.push(new TextEncoder().encode('\r\nABC12345\r\n'))).toEqual([{ code: 'ABC12345', symbology: null, source: 'serial', at: 0 }]);
  });
});
