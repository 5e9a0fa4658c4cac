// Devices chosen by URI, kept in the station store: the one owner of device_uris.
import type { DeviceRole, PrinterLanguage, UriChoice } from '../../shared/devices';
import type { Db } from '../store/database';

interface UriRow {
  role: DeviceRole;
  uri: string;
  language: PrinterLanguage | null;
}

export class DeviceUris {
  constructor(private readonly db: Db) {}

  get(role: DeviceRole): UriChoice | null {
    const row = this.db.prepare('SELECT role, uri, language FROM device_uris WHERE role = ?').get(role) as UriRow | undefined;
    if (!row) return null;
    // The table's CHECK guarantees a printer's language.
    return row.role === 'printer' ? { role: 'printer', uri: row.uri, language: row.language! } : { role: 'scanner', uri: row.uri };
  }

  set(c: UriChoice): void {
    this.db
      .prepare('INSERT OR REPLACE INTO device_uris (role, uri, language, chosen_at) VALUES (?, ?, ?, ?)')
      .run(c.role, c.uri, c.role === 'printer' ? c.language : null, new Date().toISOString());
  }

  forget(role: DeviceRole): void {
    this.db.prepare('DELETE FROM device_uris WHERE role = ?').run(role);
  }
}
