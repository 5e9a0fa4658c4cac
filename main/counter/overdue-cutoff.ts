// When a parcel counts as overdue on a given station day: it arrived before
// the start of (day − threshold + 1), the threshold being its carrier's where
// the station sets one, else the station's. One SQL condition with named
// parameters, so the list (returns.ts) and the daily counts (daily.ts) agree.
import type { CounterSettings, ShelfPlan } from '../../shared/counter';
import { CARRIERS } from '../../shared/parcel';
import type { SqlValue } from '../store/engine/store';
import { addDays, dayStart } from '../settings/calendar';

export interface OverdueCondition {
  /** `arrived < …`, over the columns named. */
  sql: string;
  params: Record<string, SqlValue>;
}

export function overdueCondition(
  day: string,
  counter: Pick<CounterSettings, 'overdueDays' | 'timeZone'>,
  plan: Pick<ShelfPlan, 'carrierOverdueDays'>,
  columns: { arrived: string; carrier: string },
): OverdueCondition {
  const cutoff = (days: number) => dayStart(addDays(day, 1 - days), counter.timeZone).toISOString();
  const params: Record<string, SqlValue> = { overdueCutoff: cutoff(counter.overdueDays) };
  const cases = CARRIERS.filter((c) => plan.carrierOverdueDays[c] !== undefined).map((c, i) => {
    params[`overdueCarrier${i}`] = c;
    params[`overdueCutoff${i}`] = cutoff(plan.carrierOverdueDays[c]!);
    return ` WHEN @overdueCarrier${i} THEN @overdueCutoff${i}`;
  });
  const sql = cases.length ? `${columns.arrived} < CASE ${columns.carrier}${cases.join('')} ELSE @overdueCutoff END` : `${columns.arrived} < @overdueCutoff`;
  return { sql, params };
}
