// Station-local days: the counter's "today" is the station's, not UTC's.
import { describe, expect, it } from 'vitest';
import { addDays, dayStart, daysBetween, isTimeZone, localDay, minuteOfDay } from '../../main/settings/calendar';

describe('station calendar', () => {
  it('puts 16:00 UTC on the next Shanghai day', () => {
    expect(localDay(new Date('2025-03-01T15:59:59Z'), 'Asia/Shanghai')).toBe('2025-03-01');
    expect(localDay(new Date('2025-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe('2025-03-02');
    expect(dayStart('2025-03-02', 'Asia/Shanghai').toISOString()).toBe('2025-03-01T16:00:00.000Z');
  });

  it('finds midnight across a daylight-saving change', () => {
    // New York springs forward on 2025-03-09 (UTC-5 → UTC-4) and falls back on 2025-11-02.
    expect(dayStart('2025-03-09', 'America/New_York').toISOString()).toBe('2025-03-09T05:00:00.000Z');
    expect(dayStart('2025-03-10', 'America/New_York').toISOString()).toBe('2025-03-10T04:00:00.000Z');
    expect(dayStart('2025-11-03', 'America/New_York').toISOString()).toBe('2025-11-03T05:00:00.000Z');
  });

  it('gives the minute of the station’s day, for its opening hours', () => {
    expect(minuteOfDay(Date.parse('2025-03-01T15:59:30Z'), 'Asia/Shanghai')).toBe(23 * 60 + 59);
    expect(minuteOfDay(Date.parse('2025-03-01T16:00:00Z'), 'Asia/Shanghai')).toBe(0);
    expect(minuteOfDay(Date.parse('2025-03-09T12:30:00Z'), 'America/New_York')).toBe(8 * 60 + 30);
  });

  it('counts calendar days across months and years', () => {
    expect(addDays('2024-12-30', 3)).toBe('2025-01-02');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(daysBetween('2024-12-30', '2025-01-06')).toBe(7);
  });

  it('accepts IANA zones and rejects anything else', () => {
    expect(isTimeZone('Asia/Urumqi')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
