// When a parcel counts as overdue on a given station day: it arrived before
// the start of (day − threshold + 1), the threshold being its carrier's where
// the station sets one, else the station's. One SQL condition with named
// parameters, so everything that decides "overdue" (the returns list, the
// daily view, the daily close and the reminders) agrees.
import type { CounterSettings, ShelfPlan } from '../../shared/counter';
import { CARRIERS } from '../../shared/parcel';
import type { Queryable, SqlValue } from '../store/engine/store';
import { addDays, dayStart } from '../settings/calendar';
import type { Settings } from '../settings/settings';

export interface OverdueCondition {
  /** `arrived < …`, over the columns named. */
  sql: string;
  params: Record<string, SqlValue>;
}

/** The station's threshold, each carrier's own, and the zone whose days they count. */
export type OverdueRule = Pick<CounterSettings, 'overdueDays' | 'timeZone'> & Pick<ShelfPlan, 'carrierOverdueDays'>;

export interface OverdueColumns {
  arrived: string;
  carrier: string;
}

export async function overdueRule(settings: Settings, q: Queryable): Promise<OverdueRule> {
  const { overdueDays, timeZone } = await settings.counter(q);
  return { overdueDays, timeZone, carrierOverdueDays: (await settings.plan(q)).carrierOverdueDays };
}

/** `name` prefixes the parameters, so two conditions can share a statement. */
export function overdueCondition(day: string, rule: OverdueRule, columns: OverdueColumns, name = 'overdue'): OverdueCondition {
  const cutoff = (days: number) => dayStart(addDays(day, 1 - days), rule.timeZone).toISOString();
  const params: Record<string, SqlValue> = { [`${name}Cutoff`]: cutoff(rule.overdueDays) };
  const cases = CARRIERS.filter((c) => rule.carrierOverdueDays[c] !== undefined).map((c, i) => {
    params[`${name}Carrier${i}`] = c;
    params[`${name}Cutoff${i}`] = cutoff(rule.carrierOverdueDays[c]!);
    return ` WHEN @${name}Carrier${i} THEN @${name}Cutoff${i}`;
  });
  const sql = cases.length
    ? `${columns.arrived} < CASE ${columns.carrier}${cases.join('')} ELSE @${name}Cutoff END`
    : `${columns.arrived} < @${name}Cutoff`;
  return { sql, params };
}

/** Parcels not overdue on `day` that will be within `daysBefore` days: the reminder goes that long before each carrier's own overdue day. */
export function reminderCondition(day: string, daysBefore: number, rule: OverdueRule, columns: OverdueColumns): OverdueCondition {
  const later = overdueCondition(addDays(day, daysBefore), rule, columns, 'remind');
  const now = overdueCondition(day, rule, columns);
  return { sql: `(${later.sql}) AND NOT (${now.sql})`, params: { ...later.params, ...now.params } };
}
