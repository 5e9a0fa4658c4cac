// Station settings: typed keys with defaults, stored as JSON in `settings`.
// Each issue adds its keys here, so every tunable lives in one list.
import type { Db } from '../store/database';

export const SETTING_DEFAULTS = {
  /** Idle minutes before the counter session locks and asks for the PIN. */
  'auth.idleLockMinutes': 5,
  /** A shift (one TOTP login) lasts at most this long. */
  'auth.shiftHours': 12,
  /** Seconds an unmasked value stays on screen. */
  'unmask.revealSeconds': 30,
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
export type SettingValue<K extends SettingKey> = (typeof SETTING_DEFAULTS)[K] extends number ? number : (typeof SETTING_DEFAULTS)[K];

export class Settings {
  constructor(private readonly db: Db) {}

  get<K extends SettingKey>(key: K): SettingValue<K> {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as { value: string } | undefined;
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
