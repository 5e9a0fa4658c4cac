// Days and times as the counter reads them, in the PC's own time zone (the
// station's): "2026-11-25" for date fields, "2026-11-25 09:12" in tables.
const pad = (n: number) => String(n).padStart(2, '0');

export const localDay = (d: Date = new Date()): string => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;

export const isDay = (s: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(s);

/** The first day of the current month. */
export function monthStart(d: Date = new Date()): string {
  return localDay(new Date(d.getFullYear(), d.getMonth(), 1));
}

/** The instant a local day starts, as main's ISO timestamps (audit.list compares instants). */
export function dayStartIso(day: string, plusDays = 0): string {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + plusDays).toISOString();
}

export function formatDateTime(iso: string, seconds = false): string {
  const d = new Date(iso);
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}${seconds ? `:${pad(d.getSeconds())}` : ''}`;
  return `${localDay(d)} ${time}`;
}
