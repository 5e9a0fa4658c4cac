// The counter's station settings: shelf layout, overdue threshold, undo window
// and time zone. Read on every operation (one row), so a change made at one
// counter applies at the others on their next scan.
import type { Actor } from '../../shared/actor';
import type { CounterSettings } from '../../shared/counter';
import { AppError } from '../../shared/errors';
import type { Db } from '../store/database';
import { isTimeZone } from './calendar';

interface SettingsRow {
  shelves: number;
  layers: number;
  overdue_days: number;
  undo_minutes: number;
  time_zone: string;
}

export function readCounterSettings(db: Db): CounterSettings {
  const r = db
    .prepare('SELECT shelves, layers, overdue_days, undo_minutes, time_zone FROM counter_settings WHERE id = 1')
    .get() as SettingsRow;
  return { shelves: r.shelves, layers: r.layers, overdueDays: r.overdue_days, undoMinutes: r.undo_minutes, timeZone: r.time_zone };
}

const LIMITS: Record<Exclude<keyof CounterSettings, 'timeZone'>, [number, number]> = {
  shelves: [1, 999],
  layers: [1, 99],
  overdueDays: [1, 365],
  undoMinutes: [0, 1440],
};

/** Shrinking the layout only stops new parcels going to the dropped slots; their parcels stay findable. */
export function updateCounterSettings(
  db: Db,
  actor: Actor,
  patch: Partial<CounterSettings>,
  now: () => Date = () => new Date(),
): CounterSettings {
  for (const [key, [min, max]] of Object.entries(LIMITS) as [keyof typeof LIMITS, [number, number]][]) {
    const v = patch[key];
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) throw new AppError('INVALID_INPUT', key);
  }
  if (patch.timeZone !== undefined && !isTimeZone(patch.timeZone)) throw new AppError('INVALID_INPUT', 'timeZone');
  return db.transaction(() => {
    const s = { ...readCounterSettings(db), ...patch };
    db.prepare(
      `UPDATE counter_settings SET shelves = ?, layers = ?, overdue_days = ?, undo_minutes = ?, time_zone = ?,
              updated_by = ?, updated_at = ? WHERE id = 1`,
    ).run(s.shelves, s.layers, s.overdueDays, s.undoMinutes, s.timeZone, actor.userId, now().toISOString());
    const slot = db.prepare('INSERT OR IGNORE INTO shelf_slots (shelf, layer) VALUES (?, ?)');
    for (let shelf = 1; shelf <= s.shelves; shelf++) for (let layer = 1; layer <= s.layers; layer++) slot.run(shelf, layer);
    return readCounterSettings(db);
  }).immediate();
}
