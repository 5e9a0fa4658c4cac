// Station-local calendar days. "Today", days on the shelf and the daily view
// follow the station's wall clock (Asia/Shanghai by default), not UTC and not
// whatever zone the counter PC happens to be set to.

const formatters = new Map<string, Intl.DateTimeFormat>();

// Building a formatter costs far more than using one, and every scan asks.
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

/** Wall-clock fields at `at` in the zone, as if they were UTC (epoch ms). */
function wallClock(at: Date, timeZone: string): number {
  const p = Object.fromEntries(formatter(timeZone).formatToParts(at).map((x) => [x.type, Number(x.value)]));
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** Minutes since local midnight at the instant (epoch ms) in the zone. */
export function minuteOfDay(at: number, timeZone: string): number {
  return Math.floor((wallClock(new Date(at), timeZone) % 86_400_000) / 60_000);
}

/** YYYY-MM-DD of the instant in the zone. */
export function localDay(at: Date, timeZone: string): string {
  return new Date(wallClock(at, timeZone)).toISOString().slice(0, 10);
}

/** The first instant of a local day. */
export function dayStart(day: string, timeZone: string): Date {
  const midnight = Date.parse(`${day}T00:00:00Z`);
  const guess = midnight - (wallClock(new Date(midnight), timeZone) - midnight);
  // A DST change between the guess and midnight shifts the offset once more.
  return new Date(midnight - (wallClock(new Date(guess), timeZone) - guess));
}

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}
