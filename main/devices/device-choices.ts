// The supervisor's choice of scanner and printer, kept in the station store
// per workstation (each counter PC has its own), and finding the chosen
// device again among those plugged in.
import type { DeviceChoice, DeviceIdentity, DeviceRole, HidDeviceInfo, PrinterChoice, PrinterLanguage, ScannerChoice } from '../../shared/devices';
import type { Queryable } from '../store/engine/store';

interface ChoiceRow {
  role: DeviceRole;
  vendor_id: number;
  product_id: number;
  serial: string | null;
  path: string;
  usage_page: number | null;
  interface: number | null;
  product: string | null;
  language: PrinterLanguage | null;
  report_size: number | null;
  report_id: number | null;
}

const opt = <T>(v: T | null): T | undefined => (v === null ? undefined : v);

function fromRow(r: ChoiceRow): DeviceChoice {
  const identity: DeviceIdentity = {
    vendorId: r.vendor_id,
    productId: r.product_id,
    serialNumber: opt(r.serial),
    path: r.path,
    usagePage: opt(r.usage_page),
    interface: opt(r.interface),
    product: opt(r.product),
  };
  if (r.role === 'scanner') return { role: 'scanner', ...identity };
  // The table's CHECK guarantees these are set for a printer.
  return { role: 'printer', ...identity, language: r.language!, reportSize: r.report_size!, reportId: r.report_id! };
}

export class DeviceChoices {
  constructor(
    private readonly store: Queryable,
    private readonly workstation: string,
  ) {}

  async get(role: 'scanner'): Promise<ScannerChoice | null>;
  async get(role: 'printer'): Promise<PrinterChoice | null>;
  async get(role: DeviceRole): Promise<DeviceChoice | null>;
  async get(role: DeviceRole): Promise<DeviceChoice | null> {
    const row = await this.store.get<ChoiceRow>('SELECT * FROM device_choices WHERE workstation = ? AND role = ?', this.workstation, role);
    return row ? fromRow(row) : null;
  }

  async set(tx: Queryable, c: DeviceChoice): Promise<void> {
    const printer = c.role === 'printer' ? c : null;
    await this.forget(tx, c.role);
    await tx.run(
      `INSERT INTO device_choices
         (workstation, role, vendor_id, product_id, serial, path, usage_page, interface, product, language, report_size, report_id, chosen_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      this.workstation, c.role, c.vendorId, c.productId, c.serialNumber ?? null, c.path, c.usagePage ?? null, c.interface ?? null,
      c.product ?? null, printer?.language ?? null, printer?.reportSize ?? null, printer?.reportId ?? null, new Date().toISOString(),
    );
  }

  async forget(tx: Queryable, role: DeviceRole): Promise<void> {
    await tx.run('DELETE FROM device_choices WHERE workstation = ? AND role = ?', this.workstation, role);
  }
}

const hex4 = (n: number): string => n.toString(16).padStart(4, '0');

/** Stable name of a chosen device, recorded on its print jobs. */
export const deviceKey = (d: DeviceIdentity): string =>
  `${hex4(d.vendorId)}:${hex4(d.productId)}:${d.serialNumber ? `sn:${d.serialNumber}` : `path:${d.path}`}`;

/**
 * The plugged-in device that is the chosen one. The serial number decides
 * when there is one; otherwise the path, and, since a replug can renumber the
 * path (/dev/hidraw3 becomes hidraw4), the only serial-less device of the same
 * model and interface is taken as the same device. Two such devices are
 * ambiguous and neither is taken.
 */
export function findDevice(choice: DeviceIdentity, present: readonly HidDeviceInfo[]): HidDeviceInfo | null {
  const sameModel = present.filter(
    (d) =>
      d.vendorId === choice.vendorId &&
      d.productId === choice.productId &&
      (choice.usagePage === undefined || d.usagePage === choice.usagePage) &&
      (choice.interface === undefined || d.interface === choice.interface),
  );
  if (choice.serialNumber) return sameModel.find((d) => d.serialNumber === choice.serialNumber) ?? null;
  // A device with a serial number is not the serial-less one that was chosen.
  const unnamed = sameModel.filter((d) => !d.serialNumber);
  return unnamed.find((d) => d.path === choice.path) ?? (unnamed.length === 1 ? unnamed[0] : null);
}
