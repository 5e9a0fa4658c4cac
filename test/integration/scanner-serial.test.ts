// A scanner in USB virtual COM mode, with serialport faked at its boundary
// only: its lines arrive as scans on the same event as HID POS scans, split
// reads and CR LF included; a pulled cable is noticed and the port reopened.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Connections } from '../../main/devices/connections';
import { SerialScannerBackend, SerialScanDecoder } from '../../main/devices/connections/serial-scanner';
import { DeviceManager } from '../../main/devices/device-manager';
import { VirtualHidBackend } from '../../main/devices/virtual/virtual-backend';
import { VIRTUAL_SERIAL_PORTS, VirtualSerial } from '../../main/devices/virtual/virtual-serial';
import type { EmbeddedStation as Station } from '../../main/store/station';
import type { ScanEvent } from '../../shared/scan';
import { newStation, tempDir } from '../helpers/fixtures';
import { until } from '../helpers/until';

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
    const serial = new VirtualSerial();
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

  it('finds the serial ports with USB ids as serial:// scanners, and says why none can be searched', async () => {
    const serial = new VirtualSerial([...VIRTUAL_SERIAL_PORTS, { path: 'COM7', vendorId: '05E0', productId: '1200', manufacturer: 'Zebra' }]);
    expect(await new Connections({ serial: new SerialScannerBackend(async () => serial) }).discoverScanners()).toEqual([
      { uri: 'serial://1eab:1d06/NL1', kind: 'serial', path: '/dev/ttyACM0', maker: 'Newland' },
      { uri: 'serial://05e0:1200', kind: 'serial', path: 'COM7', maker: 'Zebra' },
    ]);
    const broken = new SerialScannerBackend(async () => {
      throw new Error('No native build was found');
    });
    expect(await new Connections({ serial: broken }).discoverScanners()).toEqual([{ kind: 'serial', error: expect.objectContaining({ code: 'SERIAL_UNAVAILABLE' }) }]);
    expect(await new Connections({}).discoverScanners()).toEqual([{ kind: 'serial', error: expect.objectContaining({ code: 'PRINTER_CONNECTION_UNSUPPORTED' }) }]);
  });

  it('drops a runaway line without a line end, with a reason and not the content', () => {
    const warnings: string[] = [];
    const d = new SerialScanDecoder({ warn: (w) => warnings.push(w), now: () => 0 });
    expect(d.push(new Uint8Array(9000).fill(0x41))).toEqual([]);
    expect(warnings).toEqual(['serial scanner: dropped a line of over 8192 bytes without a line end']);
    expect(d.push(new TextEncoder().encode('\r\nABC12345\r\n'))).toEqual([{ code: 'ABC12345', symbology: null, source: 'serial', at: 0 }]);
  });
});
