// The anomaly rules' thresholds and the station's opening hours, as a
// supervisor sets them (the rules themselves: main/audit/anomaly-rules.ts).
export const ANOMALY_LIMITS = {
  lookupsPerMinute: [1, 600],
  distinctTailsWithoutHandover: [1, 200],
  unmasksPerShift: [1, 100],
  failedLoginsPer10Minutes: [1, 100],
  exportsPerHour: [1, 100],
} as const;
export type AnomalyLimit = keyof typeof ANOMALY_LIMITS;

export type AnomalySettings = Record<AnomalyLimit, number> & {
  /** Station local time, "HH:MM-HH:MM"; activity outside them is flagged. */
  openingHours: string;
};

/** "07:00-22:00": two valid times of day, opening before closing. */
export function isOpeningHours(text: string): boolean {
  const m = /^([01]\d|2[0-3]):([0-5]\d)-([01]\d|2[0-4]):([0-5]\d)$/.exec(text);
  if (!m) return false;
  const from = Number(m[1]) * 60 + Number(m[2]);
  const to = Number(m[3]) * 60 + Number(m[4]);
  return to <= 24 * 60 && from < to;
}
