// A HID POS scanner in software: scan() sends the reports a real one would.
import { HID_POS_SCANNER_USAGE_PAGE, type HidDeviceInfo } from '../hid-transport';
import { encodeHidPosReports } from '../hid-pos';
import { VirtualDevice } from './virtual-backend';

export class VirtualScanner extends VirtualDevice {
  constructor(
    info: Partial<HidDeviceInfo> = {},
    private readonly reportSize = 64,
  ) {
    super({
      vendorId: 0xfffe,
      productId: 0x0001,
      path: 'virtual:scanner',
      product: 'Virtual HID POS scanner',
      usagePage: HID_POS_SCANNER_USAGE_PAGE,
      usage: 0x02,
      ...info,
    });
  }

  /** `symbology` null: the scanner is set not to send AIM identifiers. */
  scan(code: string, symbology: string | null = ']C0'): void {
    for (const r of encodeHidPosReports(code, { reportSize: this.reportSize, symbology })) this.emit(r);
  }

  /** Any bytes at all, for garbage and truncation tests. */
  sendRaw(report: Uint8Array): void {
    this.emit(report);
  }

  // A real scanner takes beeper and LED commands here; nothing to simulate.
  protected receive(): void {}
}
