// Insider-anomaly rules. Pure: they see a stream of observations with times
// and answer which rule, if any, the latest one broke. Thresholds come from
// settings; the state is sliding windows kept per user.
import type { AlertFacts } from '../../shared/ipc/audit';
import { minuteOfDay } from '../settings/calendar';

export type AnomalyRule =
  | 'lookup-rate'
  | 'tail-browsing'
  | 'unmask-count'
  | 'outside-hours'
  | 'failed-logins'
  | 'bulk-export';

export interface AnomalyThresholds {
  lookupsPerMinute: number;
  distinctTailsWithoutHandover: number;
  unmasksPerShift: number;
  failedLoginsPer10Minutes: number;
  exportsPerHour: number;
  /** Minutes since local midnight. */
  openFrom: number;
  openTo: number;
  timeZone: string;
}

export type Observation =
  | { kind: 'lookup'; key: string; at: number; tail?: string }
  | { kind: 'handover'; key: string; at: number }
  | { kind: 'unmask'; key: string; at: number; shiftStartedAt: number }
  | { kind: 'export'; key: string; at: number }
  | { kind: 'login-failed'; key: string; at: number }
  | { kind: 'activity'; key: string; at: number };

export interface AnomalyHit {
  rule: AnomalyRule;
  /** Non-personal: counts and thresholds only; the screens put them into words. */
  facts: AlertFacts;
}

const MINUTE = 60_000;

export function parseOpeningHours(text: string): { openFrom: number; openTo: number } {
  const m = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text);
  if (!m) return { openFrom: 0, openTo: 24 * 60 };
  return { openFrom: Number(m[1]) * 60 + Number(m[2]), openTo: Number(m[3]) * 60 + Number(m[4]) };
}

interface UserWindows {
  lookups: number[];
  tails: Set<string>;
  unmasks: number[];
  exports: number[];
  failures: number[];
  /**
   * Rules that already fired for this person: one alert each until a review
   * (or a new shift), so a supervisor who is not locked is not flooded.
   * A reviewed outside-hours alert stays acknowledged for the rest of the shift.
   */
  fired: Set<AnomalyRule>;
}

export class AnomalyRules {
  private readonly windows = new Map<string, UserWindows>();

  constructor(private readonly t: () => AnomalyThresholds) {}

  private w(key: string): UserWindows {
    let w = this.windows.get(key);
    if (!w) this.windows.set(key, (w = { lookups: [], tails: new Set(), unmasks: [], exports: [], failures: [], fired: new Set() }));
    return w;
  }

  /** After a supervisor's review: windows start afresh, late work is acknowledged. */
  reviewed(key: string): void {
    const hours = this.w(key).fired.has('outside-hours');
    this.windows.set(key, { lookups: [], tails: new Set(), unmasks: [], exports: [], failures: [], fired: new Set(hours ? ['outside-hours'] : []) });
  }

  /** Different tails looked up since the last handover (or review). */
  tailsWithoutHandover(key: string): number {
    return this.w(key).tails.size;
  }

  /** A new shift starts with nothing acknowledged. */
  shiftStarted(key: string): void {
    this.w(key).fired.clear();
  }

  observe(o: Observation): AnomalyHit | null {
    const hit = this.evaluate(o);
    if (!hit) return null;
    const { fired } = this.w(o.key);
    if (fired.has(hit.rule)) return null;
    fired.add(hit.rule);
    return hit;
  }

  private evaluate(o: Observation): AnomalyHit | null {
    const t = this.t();
    const w = this.w(o.key);
    const within = (list: number[], ms: number) => {
      while (list.length && list[0] <= o.at - ms) list.shift();
      list.push(o.at);
      return list.length;
    };
    switch (o.kind) {
      case 'lookup': {
        const n = within(w.lookups, MINUTE);
        if (n > t.lookupsPerMinute) return { rule: 'lookup-rate', facts: { count: n, limit: t.lookupsPerMinute } };
        if (o.tail !== undefined) {
          w.tails.add(o.tail);
          if (w.tails.size > t.distinctTailsWithoutHandover) {
            return { rule: 'tail-browsing', facts: { count: w.tails.size, limit: t.distinctTailsWithoutHandover } };
          }
        }
        return null;
      }
      case 'handover':
        w.tails.clear();
        return null;
      case 'unmask': {
        while (w.unmasks.length && w.unmasks[0] < o.shiftStartedAt) w.unmasks.shift();
        w.unmasks.push(o.at);
        if (w.unmasks.length > t.unmasksPerShift) return { rule: 'unmask-count', facts: { count: w.unmasks.length, limit: t.unmasksPerShift } };
        return null;
      }
      case 'export': {
        const n = within(w.exports, 60 * MINUTE);
        if (n > t.exportsPerHour) return { rule: 'bulk-export', facts: { count: n, limit: t.exportsPerHour } };
        return null;
      }
      case 'login-failed': {
        const n = within(w.failures, 10 * MINUTE);
        if (n >= t.failedLoginsPer10Minutes) return { rule: 'failed-logins', facts: { count: n, limit: t.failedLoginsPer10Minutes } };
        return null;
      }
      // Every authorised request and every login is activity: the opening-hours rule.
      case 'activity':
        return this.hours(o.at, t);
    }
  }

  private hours(at: number, t: AnomalyThresholds): AnomalyHit | null {
    const m = minuteOfDay(at, t.timeZone);
    const open = t.openFrom <= t.openTo ? m >= t.openFrom && m < t.openTo : m >= t.openFrom || m < t.openTo;
    return open ? null : { rule: 'outside-hours', facts: { minute: m } };
  }
}
