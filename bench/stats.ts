export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/** p50 and p95 of `us` (sorted here, in place). */
export function quantiles(us: number[]): { p50: number; p95: number } {
  us.sort((a, b) => a - b);
  return { p50: percentile(us, 50), p95: percentile(us, 95) };
}

/** Runs `fn` over every input and returns p50/p95 in microseconds. */
export function timeEach<T>(inputs: T[], fn: (x: T) => unknown): { p50: number; p95: number } {
  for (const x of inputs.slice(0, 50)) fn(x); // warm-up
  const us: number[] = [];
  for (const x of inputs) {
    const t = process.hrtime.bigint();
    fn(x);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return quantiles(us);
}

/** As timeEach, for calls that answer through a promise (the store interface's). */
export async function timeEachAsync<T>(inputs: T[], fn: (x: T) => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  for (const x of inputs.slice(0, 50)) await fn(x); // warm-up
  const us: number[] = [];
  for (const x of inputs) {
    const t = process.hrtime.bigint();
    await fn(x);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return quantiles(us);
}

export const fmt = (n: number, digits = 1): string => n.toFixed(digits);
