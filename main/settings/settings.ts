// Station settings, the one module that keeps them: typed keys with defaults,
// stored as JSON in `settings` (each feature adds its keys here, so every tunable
// lives in one list), and the counter's layout, overdue threshold, undo window
// and time zone in the one-row `counter_settings`, whose shelf layout decides
// the rows of `shelf_slots`. Read on every operation, so a change made at one
// counter applies at the others on their next scan.
import type { Actor } from '../../shared/actor';
import { LAYER_CAPACITY_MAX, SHELF_NAME_MAX, SLOT_MODES, type CounterSettings, type ShelfPlan } from '../../shared/counter';
import { CARRIERS } from '../../shared/parcel';
import { AppError } from '../../shared/errors';
import type { Queryable, Tx } from '../store/engine/store';
import { isTimeZone } from './calendar';

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
  /** Who picks the slot at scan-in, the shelves' names, a layer's capacity and per-carrier overdue days (shared/counter.ts ShelfPlan). */
  'counter.slotMode': 'app',
  'counter.shelfNames': '[]',
  'counter.layerCapacity': 0,
  'counter.carrierOverdueDays': '{}',
  /** Privacy label defaults. */
  'labels.size': '60x40',
  /** Each workstation's printer's own label size and language, by workstation (devices/printer-labels.ts). */
  'labels.printers': '{}',
  'labels.dpi': 203,
  'labels.qr': true,
  /** Printers without a built-in Chinese font get the label as a bitmap. */
  'labels.raster': false,
  /** Detached paper waybills not destroyed after this many days are outstanding (1–90). */
  'ledger.outstandingDays': 7,
  /** Retention: days after pickup, after return, and after import of a parcel that never arrived, before its personal data is erased. */
  'retention.pickedUpDays': 30,
  'retention.returnedDays': 30,
  'retention.expectedDays': 90,
  /** Incident mode: while set, only supervisors may open full personal data. */
  'lifecycle.restricted': false,
  /** Encrypted backups: folder ('' = no scheduled backups), hours between them, how many files to keep. */
  'backup.folder': '',
  'backup.intervalHours': 24,
  'backup.keep': 7,
  /** Pickup notices: an arrival notice after scan-in, a reminder before the overdue day. */
  'notify.arrival': false,
  'notify.overdue': false,
  /** The reminder goes this many days before a parcel becomes overdue. */
  'notify.overdueDaysBefore': 1,
  /** Arrivals for one number within this many seconds of each other go out as one notice. */
  'notify.batchSeconds': 120,
  /** No texts in these station-local hours ('' = none); notices wait until they end. */
  'notify.quietHours': '21:00-08:00',
  /** aliyun | tencent | webhook | manual; credentials are kept sealed apart (main/notify/credentials.ts). */
  'notify.provider': 'manual',
  /** The provider's endpoint ('' = its public one); a webhook needs one. */
  'notify.endpoint': '',
  'notify.signName': '',
  /** Requests per second the provider allows this account. */
  'notify.ratePerSecond': 10,
  /** Opening hours as the notice states them, and an optional short link. */
  'notify.hours': '07:00-22:00',
  'notify.link': '',
  /** The approved templates: provider template code and the station's copy of its wording (the provider adds the 【signature】). */
  'notify.arrivalTemplateCode': '',
  'notify.arrivalTemplateText': '您的包裹已到{station}，取件码{codes}，营业时间{hours}。{link}',
  'notify.overdueTemplateCode': '',
  'notify.overdueTemplateText': '您在{station}的包裹{days}天后将滞留，取件码{codes}，营业时间{hours}。{link}',
  /** Carrier settlement: fee per parcel received, in fen, by carrier, as JSON ({"SF": 50}). */
  'settlement.fees': '{}',
  /** Handover photo (出库拍照): 'always', 'proxy' (proxy pickups only) or 'off'. */
  'photo.mode': 'off',
  /** The part of the camera frame kept (the counter top, not the person), as fractions: {"x","y","w","h"}. */
  'photo.crop': '{"x":0,"y":0,"w":1,"h":1}',
} as const;

export type SettingKey = keyof typeof SETTING_DEFAULTS;
type Widen<T> = T extends number ? number : T extends string ? string : T extends boolean ? boolean : T;
export type SettingValue<K extends SettingKey> = Widen<(typeof SETTING_DEFAULTS)[K]>;

interface CounterRow {
  shelves: number;
  layers: number;
  overdue_days: number;
  undo_minutes: number;
  time_zone: string;
}

const COUNTER_LIMITS: Record<Exclude<keyof CounterSettings, 'timeZone'>, [number, number]> = {
  shelves: [1, 999],
  layers: [1, 99],
  overdueDays: [1, 365],
  undoMinutes: [0, 1440],
};

const SQL = {
  read: 'SELECT value FROM settings WHERE key = ?',
  write: 'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  counter: 'SELECT shelves, layers, overdue_days, undo_minutes, time_zone FROM counter_settings WHERE id = 1',
  updateCounter: `UPDATE counter_settings SET shelves = ?, layers = ?, overdue_days = ?, undo_minutes = ?, time_zone = ?,
                  updated_by = ?, updated_at = ? WHERE id = 1`,
  slot: 'INSERT INTO shelf_slots (shelf, layer) VALUES (?, ?) ON CONFLICT DO NOTHING',
};

const PLAN_KEYS = ['counter.slotMode', 'counter.shelfNames', 'counter.layerCapacity', 'counter.carrierOverdueDays'] as const;

function checkPlan(p: Partial<ShelfPlan>): void {
  const bad = (field: string) => {
    throw new AppError('INVALID_INPUT', field);
  };
  if (p.slotMode !== undefined && !SLOT_MODES.includes(p.slotMode)) bad('slotMode');
  if (p.shelfNames && (p.shelfNames.length > COUNTER_LIMITS.shelves[1] || p.shelfNames.some((n) => n.length > SHELF_NAME_MAX))) bad('shelfNames');
  if (p.layerCapacity !== undefined && !(Number.isInteger(p.layerCapacity) && p.layerCapacity >= 0 && p.layerCapacity <= LAYER_CAPACITY_MAX)) bad('layerCapacity');
  for (const [carrier, days] of Object.entries(p.carrierOverdueDays ?? {})) {
    const [min, max] = COUNTER_LIMITS.overdueDays;
    if (!(CARRIERS as readonly string[]).includes(carrier) || !(Number.isInteger(days) && days >= min && days <= max)) bad('carrierOverdueDays');
  }
}

/** A stored setting's value (JSON), or its default when none is stored. */
const valueOf = <K extends SettingKey>(key: K, stored: string | undefined): SettingValue<K> =>
  (stored !== undefined ? JSON.parse(stored) : SETTING_DEFAULTS[key]) as SettingValue<K>;

/** The settings of whichever store `q` reads: nothing is cached, so every counter sees a change at once. */
export class Settings {
  async get<K extends SettingKey>(q: Queryable, key: K): Promise<SettingValue<K>> {
    return valueOf(key, await q.value<string>(SQL.read, key));
  }

  /** Several settings in one query. */
  async many<K extends SettingKey>(q: Queryable, keys: readonly K[]): Promise<{ [P in K]: SettingValue<P> }> {
    const rows = await q.all<{ key: K; value: string }>(`SELECT key, value FROM settings WHERE key IN (${keys.map(() => '?').join(', ')})`, ...keys);
    const stored = new Map(rows.map((r) => [r.key, r.value]));
    return Object.fromEntries(keys.map((k) => [k, valueOf(k, stored.get(k))])) as { [P in K]: SettingValue<P> };
  }

  async set<K extends SettingKey>(q: Queryable, key: K, value: SettingValue<K>): Promise<void> {
    await q.run(SQL.write, key, JSON.stringify(value));
  }

  async counter(q: Queryable): Promise<CounterSettings> {
    const r = (await q.get<CounterRow>(SQL.counter))!;
    return { shelves: r.shelves, layers: r.layers, overdueDays: r.overdue_days, undoMinutes: r.undo_minutes, timeZone: r.time_zone };
  }

  async plan(q: Queryable): Promise<ShelfPlan> {
    const v = await this.many(q, PLAN_KEYS);
    return {
      slotMode: v['counter.slotMode'] as ShelfPlan['slotMode'],
      shelfNames: JSON.parse(v['counter.shelfNames']) as string[],
      layerCapacity: v['counter.layerCapacity'],
      carrierOverdueDays: JSON.parse(v['counter.carrierOverdueDays']) as ShelfPlan['carrierOverdueDays'],
    };
  }

  async updatePlan(tx: Tx, patch: Partial<ShelfPlan>): Promise<ShelfPlan> {
    checkPlan(patch);
    if (patch.slotMode !== undefined) await this.set(tx, 'counter.slotMode', patch.slotMode);
    // Trailing unnamed shelves are not kept, so the list never outgrows the layout by accident.
    if (patch.shelfNames) await this.set(tx, 'counter.shelfNames', JSON.stringify(trimEnd(patch.shelfNames.map((n) => n.trim()))));
    if (patch.layerCapacity !== undefined) await this.set(tx, 'counter.layerCapacity', patch.layerCapacity);
    if (patch.carrierOverdueDays) await this.set(tx, 'counter.carrierOverdueDays', JSON.stringify(patch.carrierOverdueDays));
    return this.plan(tx);
  }

  /** Shrinking the layout only stops new parcels going to the dropped slots; their parcels stay findable. */
  async updateCounter(tx: Tx, actor: Actor, patch: Partial<CounterSettings>, now: () => Date = () => new Date()): Promise<CounterSettings> {
    for (const [key, [min, max]] of Object.entries(COUNTER_LIMITS) as [keyof typeof COUNTER_LIMITS, [number, number]][]) {
      const v = patch[key];
      if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) throw new AppError('INVALID_INPUT', key);
    }
    if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone)) throw new AppError('INVALID_INPUT', 'timeZone');
    const s = { ...(await this.counter(tx)), ...patch };
    await tx.run(SQL.updateCounter, s.shelves, s.layers, s.overdueDays, s.undoMinutes, s.timeZone, actor.userId, now().toISOString());
    for (let shelf = 1; shelf <= s.shelves; shelf++) for (let layer = 1; layer <= s.layers; layer++) await tx.run(SQL.slot, shelf, layer);
    return this.counter(tx);
  }
}

const trimEnd = (names: string[]): string[] => {
  let n = names.length;
  while (n > 0 && !names[n - 1]) n--;
  return names.slice(0, n);
};
