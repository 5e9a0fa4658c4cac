// Devices chosen by URI, kept in the station store per workstation: the one owner of device_uris.
import type { DeviceRole, PrinterLanguage, UriChoice } from '../../shared/devices';
import type { Queryable } from '../store/engine/store';

interface UriRow {
  role: DeviceRole;
  uri: string;
  language: PrinterLanguage | null;
}

export class DeviceUris {
  constructor(
    private readonly store: Queryable,
    private readonly workstation: string,
  ) {}

  async get(role: DeviceRole): Promise<UriChoice | null> {
    const row = await this.store.get<UriRow>('SELECT role, uri, language FROM device_uris WHERE workstation = ? AND role = ?', this.workstation, role);
    if (!row) return null;
    // The table's CHECK guarantees a printer's language.
    return row.role === 'printer' ? { role: 'printer', uri: row.uri, language: row.language! } : { role: 'scanner', uri: row.uri };
  }

  async set(tx: Queryable, c: UriChoice): Promise<void> {
    await this.forget(tx, c.role);
    await tx.run(
      'INSERT INTO device_uris (workstation, role, uri, language, chosen_at) VALUES (?, ?, ?, ?, ?)',
      this.workstation, c.role, c.uri, c.role === 'printer' ? c.language : null, new Date().toISOString(),
    );
  }

  async forget(tx: Queryable, role: DeviceRole): Promise<void> {
    await tx.run('DELETE FROM device_uris WHERE workstation = ? AND role = ?', this.workstation, role);
  }
}
