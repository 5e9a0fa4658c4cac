import { describe, expect, it } from 'vitest';
import { formatDeviceUri, normaliseDeviceUri, parseDeviceUri } from '../../shared/printer-uri';

describe('device URIs', () => {
  it('reads each connection type', () => {
    expect(parseDeviceUri('usb://0FE6:811E')).toEqual({ kind: 'usb', vendorId: 0x0fe6, productId: 0x811e });
    expect(parseDeviceUri('usb://0fe6:811e/SN%2F01')).toEqual({ kind: 'usb', vendorId: 0x0fe6, productId: 0x811e, serialNumber: 'SN/01' });
    expect(parseDeviceUri('tcp://192.168.1.50')).toEqual({ kind: 'tcp', host: '192.168.1.50', port: 9100 });
    expect(parseDeviceUri('tcp://printer.local:6101')).toEqual({ kind: 'tcp', host: 'printer.local', port: 6101 });
    expect(parseDeviceUri('tcp://[fe80::1]:9100')).toEqual({ kind: 'tcp', host: 'fe80::1', port: 9100 });
    expect(parseDeviceUri('cups://Xprinter_XP-365B')).toEqual({ kind: 'cups', queue: 'Xprinter_XP-365B' });
    expect(parseDeviceUri('win://Gprinter GP-1324D')).toEqual({ kind: 'win', queue: 'Gprinter GP-1324D' });
    expect(parseDeviceUri('hid://fffe:0002')).toEqual({ kind: 'hid', vendorId: 0xfffe, productId: 2 });
    expect(parseDeviceUri('serial://1eab:1d06/ABC')).toEqual({ kind: 'serial', vendorId: 0x1eab, productId: 0x1d06, serialNumber: 'ABC' });
  });

  it('refuses what is malformed instead of reading part of it', () => {
    for (const bad of ['', 'tcp://', 'tcp://host:0', 'tcp://host:70000', 'tcp://a b', 'usb://0fe6', 'usb://0fe6:811e1', 'lpt://1', 'cups://two words', 'cups://a/b', 'win://bad\nname', 'cups://%E0', 'usb://0fe6:811e/%', '192.168.1.50']) {
      expect(parseDeviceUri(bad), bad).toBeNull();
    }
  });

  it('has one spelling, which reads back as itself', () => {
    expect(normaliseDeviceUri('TCP://Printer.local')).toBe('tcp://Printer.local:9100');
    expect(normaliseDeviceUri('usb://0FE6:811E/sn 1')).toBe('usb://0fe6:811e/sn%201');
    for (const uri of ['tcp://[fe80::1]:9100', 'usb://0fe6:811e/sn%201', 'win://Gprinter GP-1324D', 'cups://labels', 'hid://fffe:0002']) {
      expect(formatDeviceUri(parseDeviceUri(uri)!)).toBe(uri);
    }
  });
});
