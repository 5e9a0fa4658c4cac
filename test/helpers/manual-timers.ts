// A clock that moves only when a test says so; due timers fire in order and
// pending promises settle between them.
import type { Timers } from '../../main/time/timers';

interface Pending {
  at: number;
  fn: () => void;
  every: number | null;
}

const settle = (): Promise<void> => new Promise((r) => setImmediate(r));

export class ManualTimers implements Timers {
  private t = 1_700_000_000_000;
  private seq = 0;
  private readonly pending = new Map<number, Pending>();

  now(): number {
    return this.t;
  }

  setTimeout(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { at: this.t + ms, fn, every: null });
    return this.seq;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  setInterval(fn: () => void, ms: number): unknown {
    this.pending.set(++this.seq, { at: this.t + ms, fn, every: ms });
    return this.seq;
  }

  clearInterval(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  async advance(ms: number): Promise<void> {
    const end = this.t + ms;
    for (;;) {
      await settle();
      const next = [...this.pending].filter(([, p]) => p.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!next) break;
      const [id, p] = next;
      this.t = p.at;
      if (p.every === null) this.pending.delete(id);
      else p.at += p.every;
      p.fn();
    }
    this.t = end;
    await settle();
  }
}
