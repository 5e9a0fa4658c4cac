// What every export says about itself (station, period, who exported it and
// when) and how it writes times: station-local wall clock, to the minute.
import { addDays, dayStart } from '../settings/calendar';
import { reportLabel } from './report-text';
import { Settings } from '../settings/settings';
import type { Queryable } from '../store/engine/store';
import type { Station } from '../store/station';

export interface ExportContext {
  stationName: string;
  /** Station-local days, inclusive. */
  from: string;
  to: string;
  timeZone: string;
  now: Date;
  /** Staff name of the person exporting (or "CLI"). */
  exportedBy: string;
}

/** The station's own zone (counter settings), whatever zone the PC is set to. */
export const stationTimeZone = async (q: Queryable): Promise<string> => (await new Settings().counter(q)).timeZone;

export async function exportContext(station: Station, from: string, to: string, exportedBy: string, now: Date): Promise<ExportContext> {
  return { stationName: station.name, from, to, timeZone: await stationTimeZone(station.store), now, exportedBy };
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** "2026-11-25 09:12" in the station's zone. */
export function localDateTime(iso: string | Date, timeZone: string): string {
  let f = formatters.get(timeZone);
  if (!f) {
    // sv-SE writes ISO-like "YYYY-MM-DD HH:MM".
    f = new Intl.DateTimeFormat('sv-SE', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    formatters.set(timeZone, f);
  }
  return f.format(typeof iso === 'string' ? new Date(iso) : iso);
}

/** "2026-11-25 09:12:05 UTC+08:00": a moment to the second in the station's zone, with its offset, for a signature. */
export function localTimeWithOffset(iso: string | Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('sv-SE', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset',
  }).formatToParts(typeof iso === 'string' ? new Date(iso) : iso);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  // "GMT+08:00" ("GMT" alone at UTC itself).
  const offset = part('timeZoneName').replace(/^GMT/, '') || '+00:00';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')}:${part('second')} UTC${offset}`;
}

/** The instants [fromIso, toIso) covering the local days from..to. */
export function periodRange(from: string, to: string, timeZone: string): { fromIso: string; toIso: string } {
  return { fromIso: dayStart(from, timeZone).toISOString(), toIso: dayStart(addDays(to, 1), timeZone).toISOString() };
}

/** Who exported it and when, in the station's zone. */
export const exportedFact = (ctx: Pick<ExportContext, 'now' | 'timeZone' | 'exportedBy'>): [string, string] => [
  reportLabel('facts', 'exported'),
  `${localDateTime(ctx.now, ctx.timeZone)} · ${ctx.exportedBy}`,
];

export function exportFacts(ctx: ExportContext): [string, string][] {
  return [
    [reportLabel('facts', 'station'), ctx.stationName],
    [reportLabel('facts', 'period'), `${ctx.from} – ${ctx.to} (${ctx.timeZone})`],
    exportedFact(ctx),
  ];
}

export const staffLabel = (s: { username: string; displayName: string }): string =>
  s.displayName && s.displayName !== s.username ? `${s.displayName} (${s.username})` : s.username;
