// The lifecycle scheduler on injected timers and a test clock: work at
// unlock, then hourly checks; a daily purge, a backup when one is due, an
// interrupted rotation resumed, one run at a time, and close stops it.
import { readdirSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuditLog } from '../../main/audit/audit-log';
import { Lifecycle } from '../../main/lifecycle/lifecycle';
import { LifecycleScheduler, TICK_MS } from '../../main/lifecycle/scheduler';
import { Settings } from '../../main/settings/settings';
import type { EmbeddedStation as Station } from '../../main/store/station';
import { count, testClock } from '../helpers/counter';
import { newStation, TEST_PASSPHRASE, tempDir } from '../helpers/fixtures';
import { ManualTimers } from '../helpers/manual-timers';
import { workThroughCounter, type WorkedParcels } from '../helpers/lifecycle';

const HOUR = 3_600_000;

// SQLite only: its stations are opened as files (not yet moved onto the engine matrix; README, "Tests against PostgreSQL").
describe('lifecycle scheduler', () => {
  it('runs at start and every hour, one run at a time, and stops on close', async () => {
    const timers = new ManualTimers();
    const warnings: string[] = [];
    let runs = 0;
    let release: () => void = () => {};
    const scheduler = new LifecycleScheduler(
      async () => {
        runs++;
        if (runs === 3) throw new Error('disk full');
        await new Promise<void>((resolve) => (release = resolve));
      },
      timers,
      (m) => warnings.push(m),
    );
    scheduler.start();
    expect(runs).toBe(1);
    await timers.advance(TICK_MS * 2); // still running: the ticks are skipped
    expect(runs).toBe(1);
    release();
    await timers.advance(TICK_MS);
    expect(runs).toBe(2);
    release();
    await timers.advance(TICK_MS);
    expect(warnings).toEqual(['lifecycle: disk full']);
    await timers.advance(TICK_MS);
    expect(runs).toBe(4);
    const stopped = scheduler.stop();
    release();
    await stopped;
    await timers.advance(TICK_MS * 5);
    expect(runs).toBe(4);
  });
});

describe('what the scheduler finds due', () => {
  let tmp: ReturnType<typeof tempDir>;
  let station: Station;
  let worked: WorkedParcels;
  const clock = testClock('2026-03-02T02:00:00Z');
  const timers = new ManualTimers();
  const progress: string[] = [];
  let lifecycle: Lifecycle;
  /** Station time and the timers move together. */
  const wait = async (ms: number) => {
    clock.advance({ minutes: ms / 60_000 });
    await timers.advance(ms);
  };

  beforeEach(async () => {
    tmp = tempDir();
    station = newStation(tmp.dir).station;
    worked = await workThroughCounter(station, clock);
    const audit = new AuditLog(station, clock.now);
    lifecycle = new Lifecycle(station, {
      settings: new Settings(),
      audit,
      record: (tx, e) => audit.record(tx, e),
      now: clock.now,
      workstation: 'counter-1',
      timers,
      emit: (p) => progress.push(p.job),
    });
  });
  afterEach(async () => {
    await lifecycle.close();
    station.close();
    tmp.cleanup();
  });

  it('at unlock resumes an interrupted rotation and makes a due backup; then purges once a day', async () => {
    const supervisor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor' as const, workstation: 'x' };
    await lifecycle.updateSettings(supervisor, { backupFolder: tmp.dir });
    await lifecycle.rotation.begin(TEST_PASSPHRASE);
    lifecycle.start();
    await vi.waitFor(() => expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.pcbak'))).toHaveLength(1), { timeout: 60_000 });
    expect(station.keys.next).toBeNull();
    expect(progress).toEqual(expect.arrayContaining(['rotation', 'purge', 'backup']));
    await lifecycle.updateSettings(supervisor, { backupFolder: '' });

    // Hourly checks for 32 days: the purge runs once a day and erases the parcels that left once they are due.
    for (let h = 0; h < 32 * 24; h++) await wait(HOUR);
    expect(count(station, 'SELECT COUNT(*) FROM parcels WHERE erased_at IS NOT NULL')).toBe(worked.pickedUp.length + worked.returned.length);
    const steps = (await new AuditLog(station).query(station.store, { action: 'lifecycle', limit: 1000 })).map((e) => e.detail.step);
    // Only a scheduled purge that erased something leaves an audit entry.
    expect(steps.filter((s) => s === 'purge')).toHaveLength(1);
    expect(steps).toEqual(expect.arrayContaining(['rotation.done', 'backup']));
    // The last check was within the day, though it found nothing.
    const last = (await lifecycle.status()).lastPurge!;
    expect(last.erased).toBe(0);
    expect(clock.now().getTime() - Date.parse(last.at)).toBeLessThan(24 * HOUR);
  });
});
