// Runs the lifecycle's due work (a rotation to resume, the daily purge, a
// scheduled backup) as soon as the station unlocks and then every hour while
// it stays open; the work itself decides what is due by the station clock.
// Timers are injected, so tests drive it without waiting. One run at a time:
// a tick that comes while the previous one still works is skipped.
import type { Timers } from '../time/timers';

export const TICK_MS = 60 * 60 * 1000;

export class LifecycleScheduler {
  private every: unknown = null;
  private running: Promise<void> | null = null;

  constructor(
    private readonly work: () => Promise<void>,
    private readonly timers: Timers,
    private readonly warn: (message: string) => void,
  ) {}

  start(): void {
    if (this.every !== null) return;
    this.every = this.timers.setInterval(this.tick, TICK_MS);
    this.tick();
  }

  /** Stops the timer and waits for a run in progress (which stops at its next batch). */
  async stop(): Promise<void> {
    if (this.every !== null) this.timers.clearInterval(this.every);
    this.every = null;
    await this.running;
  }

  private readonly tick = (): void => {
    if (this.running || this.every === null) return;
    this.running = this.work()
      .catch((e: unknown) => this.warn(`lifecycle: ${e instanceof Error ? e.message : String(e)}`))
      .finally(() => {
        this.running = null;
      });
  };
}
