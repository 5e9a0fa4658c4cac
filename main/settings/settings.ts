// Station settings: typed keys with defaults, stored as JSON in `settings`.
// Each issue adds its keys here, so every tunable lives in one list.
import type { Db } from '../store/database';

export const SETTING_DEFAULTS = {
  /** Idle minutes before the counter session locks and asks for the PIN. */
  'auth.idleLockMinutes': 5,
  /** A shift (one TOTP login) lasts at most this long: a station day runs about 07:00–21:00. */
  'auth.shiftHours': 14,
  /** Seconds an unmasked value stays on screen. */
  'unmask.revealSeconds': 30,
  /** Anomaly rules: a counter needs far fewer than these; more looks like browsing. */
  'anomaly.lookupsPerMinute': 20,
  'anomaly.distinctTailsWithoutHandover': 8,
  'anomaly.unmasksPerShift': 3,
  'anomaly.failedLoginsPer10Minutes': 5,
  'anomaly.exportsPerHour': 3,
  /** Opening hours in station local time, "HH:MM-HH:MM"; activity outside them is flagged. */
  'anomaly.openingHours': '07:00-22:00',
  /** Privacy label defaults. */
  'labels.size': '60x40',
  'labels.dpi': 203,
  'labels.qr': true,
  /** Printers without a built-in Chinese font get the label as a bitmap. */
  'labels.raster': false,
  /** Detached paper waybills not destroyed after this many days are outstanding (1–90). */
  'ledger.outstandingDays': 7,
  /** Retention (issue #7): days after pickup, after return, and after import of a parcel that never arrived, before its personal data is erased. */
  'retention.pickedUpDays': 30,
  'retention.returnedDays': 30,
  'retention.expectedDays': 90,
  /** Incident mode: while set, only supervisors may open full personal data. */
  'lifecycle.restricted': false,
  /** Encrypted backups: folder ('' = no scheduled backups), hours between them, how many files to keep. */
  'backup.folder': '',
  'backup.intervalHours': 24,
  'backup.keep': 7,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
type Widen<T> = T extends number ? number : T extends string ? string : T extends boolean ? boolean : T;
export type SettingValue<K extends SettingKey> = Widen<(typeof SETTING_DEFAULTS)[K]>;

export class Settings {
  // The anomaly rules read several keys on every request: prepared once.
  private readonly read;

  constructor(private readonly db: Db) {
    this.read = db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE key = ?');
  }

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.read.get(key);
    return (row ? JSON.parse(row.value) : SETTING_DEFAULTS[key]) as SettingValue<K>;
  }

  set<K extends SettingKey>(key: K, value: SettingValue<K>): void {
    this.db
      .prepare('INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
      .run(key, JSON.stringify(value));
  }

  all(): { [K in SettingKey]: SettingValue<K> } {
    return Object.fromEntries(Object.keys(SETTING_DEFAULTS).map((k) => [k, this.get(k as SettingKey)])) as {
      [K in SettingKey]: SettingValue<K>;
    };
  }
}
