// How fast the outbox may go: a token bucket per provider (the providers cap
// requests per second and refuse bursts), and the wait before a message that
// failed for a passing reason is tried again.

/** Time as the pacing sees it; tests pass a clock they move themselves. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export class RateLimiter {
  private tokens: number;
  private last: number;

  /** `perSecond` requests on average, at most `burst` at once. */
  constructor(
    private readonly perSecond: number,
    private readonly clock: Clock = systemClock,
    private readonly burst = Math.max(1, Math.min(perSecond, 10)),
  ) {
    this.tokens = this.burst;
    this.last = clock.now();
  }

  /** Resolves when one more request may go. */
  async take(): Promise<void> {
    for (;;) {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
      if (this.tokens >= 1) {
        this.tokens -= 1;
        return;
      }
      await this.clock.sleep(Math.ceil(((1 - this.tokens) * 1000) / this.perSecond));
    }
  }
}

export const RETRY_BASE_MS = 30_000;
export const RETRY_CAP_MS = 60 * 60_000;
/** After this many tries a message is failed for good, with the last code. */
export const MAX_ATTEMPTS = 6;

/** Exponential: 30 s after the first try, doubling, at most an hour; throttling waits twice as long. */
export function retryDelay(attempt: number, throttled: boolean): number {
  const base = RETRY_BASE_MS * 2 ** Math.max(0, attempt - 1) * (throttled ? 2 : 1);
  return Math.min(RETRY_CAP_MS, base);
}
