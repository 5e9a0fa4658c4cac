// The daily view: counts only, never personal data. On-shelf and overdue are
// as at the end of each day (as at now, for today), rebuilt from arrival and
// departure times: a parcel counts if it had arrived and had not yet left.
import type { DailyReport, DayCounts } from '../../shared/counter';
import type { Queryable } from '../store/engine/store';
import { addDays, dayStart, localDay } from '../settings/calendar';
import { Settings } from '../settings/settings';
import { overdueCondition, overdueRule } from './overdue-cutoff';

// Each part stays on an index: current shelf by arrival, and the few parcels
// that left after the moment in question by their departure time. The
// subquery is named: PostgreSQL before 16 requires it.
const AT_MOMENT = `
  SELECT COUNT(*) AS on_shelf, COALESCE(SUM(CASE WHEN @due THEN 1 ELSE 0 END), 0) AS overdue FROM (
    SELECT arrived_at, carrier FROM parcels WHERE status = 'on_shelf' AND arrived_at < @end
    UNION ALL SELECT arrived_at, carrier FROM parcels WHERE picked_up_at >= @end AND arrived_at < @end
    UNION ALL SELECT arrived_at, carrier FROM parcels WHERE returned_at >= @end AND arrived_at < @end) AS moment`;

const FLOWS = `SELECT
  (SELECT COUNT(*) FROM parcels WHERE arrived_at >= @start AND arrived_at < @end) AS arrived,
  (SELECT COUNT(*) FROM parcels WHERE picked_up_at >= @start AND picked_up_at < @end) AS picked_up,
  (SELECT COUNT(*) FROM parcels WHERE returned_at >= @start AND returned_at < @end) AS returned`;

const SHELVES = `SELECT shelf, SUM(occupied) AS parcels FROM shelf_slots GROUP BY shelf
                 HAVING shelf <= ? OR SUM(occupied) > 0 ORDER BY shelf`;

export async function dailyReport(q: Queryable, opts: { now?: () => Date; days?: number } = {}): Promise<DailyReport> {
  const now = (opts.now ?? (() => new Date()))();
  const store = new Settings();
  const settings = await store.counter(q);
  const rule = await overdueRule(store, q);
  const today = localDay(now, settings.timeZone);
  const days: DayCounts[] = [];
  for (let i = 0; i < (opts.days ?? 7); i++) {
    const day = addDays(today, -i);
    const start = dayStart(day, settings.timeZone).toISOString();
    // Nothing has happened after now, so today's end stands for now.
    const end = dayStart(addDays(day, 1), settings.timeZone).toISOString();
    const due = overdueCondition(day, rule, { arrived: 'arrived_at', carrier: 'carrier' });
    const f = (await q.get<{ arrived: number; picked_up: number; returned: number }>(FLOWS, { start, end }))!;
    const m = (await q.get<{ on_shelf: number; overdue: number }>(AT_MOMENT.replace('@due', due.sql), { end, ...due.params }))!;
    days.push({ day, arrived: Number(f.arrived), pickedUp: Number(f.picked_up), returned: Number(f.returned), onShelf: Number(m.on_shelf), overdue: Number(m.overdue) });
  }
  const shelves = (await q.all<{ shelf: number; parcels: number }>(SHELVES, settings.shelves)).map((s) => ({ shelf: s.shelf, parcels: Number(s.parcels) }));
  return { days, shelves };
}
