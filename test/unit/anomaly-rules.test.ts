import { describe, expect, it } from 'vitest';
import { AnomalyRules, parseOpeningHours, type AnomalyThresholds } from '../../main/audit/anomaly-rules';

const T: AnomalyThresholds = {
  lookupsPerMinute: 5,
  distinctTailsWithoutHandover: 3,
  unmasksPerShift: 2,
  failedLoginsPer10Minutes: 3,
  exportsPerHour: 2,
  ...parseOpeningHours('08:00-21:00'),
  timeZone: 'Asia/Shanghai',
};
const NOON = Date.parse('2026-11-25T12:00:00+08:00');
const rules = () => new AnomalyRules(() => T);

describe('anomaly rules, each at and over its threshold', () => {
  it('lookup rate: at the limit passes, one more fires; a minute later the window has moved', () => {
    const r = rules();
    for (let i = 0; i < 5; i++) expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + i })).toBeNull();
    expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 10 })?.rule).toBe('lookup-rate');
    const r2 = rules();
    for (let i = 0; i < 5; i++) r2.observe({ kind: 'lookup', key: 'u', at: NOON + i * 15_000 });
    expect(r2.observe({ kind: 'lookup', key: 'u', at: NOON + 75_000 })).toBeNull();
  });

  it('tail browsing: distinct tails without a handover; a handover resets the streak', () => {
    const r = rules();
    for (const tail of ['1111', '2222', '3333', '1111']) expect(r.observe({ kind: 'lookup', key: 'u', at: NOON, tail })).toBeNull();
    expect(r.observe({ kind: 'handover', key: 'u', at: NOON })).toBeNull();
    for (const tail of ['4444', '5555', '6666']) expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 61_000, tail })).toBeNull();
    expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 62_000, tail: '7777' })?.rule).toBe('tail-browsing');
  });

  it('unmask count per shift: a new shift starts the count again', () => {
    const r = rules();
    expect(r.observe({ kind: 'unmask', key: 'u', at: NOON, shiftStartedAt: NOON - 1 })).toBeNull();
    expect(r.observe({ kind: 'unmask', key: 'u', at: NOON + 1, shiftStartedAt: NOON - 1 })).toBeNull();
    expect(r.observe({ kind: 'unmask', key: 'u', at: NOON + 2, shiftStartedAt: NOON - 1 })?.rule).toBe('unmask-count');
    expect(r.observe({ kind: 'unmask', key: 'u', at: NOON + 5, shiftStartedAt: NOON + 3 })).toBeNull();
  });

  it('bulk export: more than the hourly limit fires', () => {
    const r = rules();
    expect(r.observe({ kind: 'export', key: 'u', at: NOON })).toBeNull();
    expect(r.observe({ kind: 'export', key: 'u', at: NOON + 1 })).toBeNull();
    expect(r.observe({ kind: 'export', key: 'u', at: NOON + 2 })?.rule).toBe('bulk-export');
  });

  it('failed logins: the threshold-th failure in 10 minutes fires, older ones fall out', () => {
    const r = rules();
    expect(r.observe({ kind: 'login-failed', key: 'n', at: NOON })).toBeNull();
    expect(r.observe({ kind: 'login-failed', key: 'n', at: NOON + 11 * 60_000 })).toBeNull();
    expect(r.observe({ kind: 'login-failed', key: 'n', at: NOON + 12 * 60_000 })).toBeNull();
    expect(r.observe({ kind: 'login-failed', key: 'n', at: NOON + 13 * 60_000 })?.rule).toBe('failed-logins');
  });

  it('opening hours in the station’s time zone; one alert per shift, a review acknowledges late work', () => {
    const r = rules();
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T20:59:00+08:00') })).toBeNull();
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T21:00:00+08:00') })?.rule).toBe('outside-hours');
    // Not again in the same shift, reviewed or not.
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T21:30:00+08:00') })).toBeNull();
    r.reviewed('u');
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T22:00:00+08:00') })).toBeNull();
    r.shiftStarted('u');
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-26T07:59:00+08:00') })?.rule).toBe('outside-hours');
  });

  it('a rule fires once until reviewed, then watches a fresh window', () => {
    const r = rules();
    for (let i = 0; i < 5; i++) r.observe({ kind: 'lookup', key: 'u', at: NOON + i });
    expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 6 })?.rule).toBe('lookup-rate');
    expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 7 })).toBeNull();
    r.reviewed('u');
    for (let i = 0; i < 5; i++) expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 10 + i })).toBeNull();
    expect(r.observe({ kind: 'lookup', key: 'u', at: NOON + 20 })?.rule).toBe('lookup-rate');
  });

  it('overnight opening hours wrap midnight', () => {
    const r = new AnomalyRules(() => ({ ...T, ...parseOpeningHours('20:00-02:00') }));
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T23:30:00+08:00') })).toBeNull();
    expect(r.observe({ kind: 'activity', key: 'u', at: Date.parse('2026-11-25T12:00:00+08:00') })?.rule).toBe('outside-hours');
  });
});
