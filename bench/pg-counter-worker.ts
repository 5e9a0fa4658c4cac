// One counter of the four-counter bench (postgres-counters.bench.ts), in its
// own process on the shared PostgreSQL station, calling the application
// services as the app's IPC handlers do. `mix`: lookups, handovers and
// scan-ins at random in the bench's proportions, back to back. `measured`: a
// scan-in every SCAN_EVERY_MS, as a clerk scans parcels off a van. When the
// time is up it prints the latencies of each operation (p50/p95 in µs) as one
// JSON line.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Actor } from '../shared/actor';
import { createServices } from '../main/app/services';
import { openStation } from '../main/store/station';
import { quantiles } from './stats';

export interface CounterJob {
  role: 'mix' | 'measured';
  seconds: number;
  /** Lookup probes: a recipient's phone, or a waybill. */
  phones: string[];
  waybills: string[];
  /** This counter's own on-shelf parcels to hand over, and expected ones to scan in (no other counter has them). */
  handovers: string[];
  scanIns: string[];
}

/** The mix's shares. */
const LOOKUP = 0.7;
const HANDOVER = 0.2;
const SCAN_EVERY_MS = 100;

async function main(): Promise<void> {
  const [url, name, racers, readyDir, jobFile] = process.argv.slice(2);
  const job = JSON.parse(readFileSync(jobFile, 'utf8')) as CounterJob;
  const s = createServices(await openStation(url, process.env.STATION_PASSPHRASE!), { now: () => new Date(), workstation: name });
  const actor: Actor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor', workstation: name };
  const us: Record<string, number[]> = { lookup: [], handover: [], 'scan-in': [] };
  const timed = async (op: string, fn: () => Promise<unknown>): Promise<void> => {
    const t = process.hrtime.bigint();
    await fn();
    us[op].push(Number(process.hrtime.bigint() - t) / 1000);
  };
  const pick = <T>(list: T[]): T => list[Math.floor(Math.random() * list.length)];
  const lookup = (): Promise<void> => {
    const by = pick(['tail', 'phone', 'waybill'] as const);
    const value = by === 'waybill' ? pick(job.waybills) : by === 'phone' ? pick(job.phones) : pick(job.phones).slice(-4);
    return timed('lookup', () => s.counter.find(actor, { by, value }));
  };
  // The counter's handover: the parcel found by its waybill, then handed over.
  const handover = (waybill: string): Promise<void> =>
    timed('handover', async () => {
      const found = await s.counter.find(actor, { by: 'waybill', value: waybill });
      const parcel = found.kind === 'customer' ? found.parcels.find((p) => p.waybillNo === waybill) : undefined;
      if (!parcel) throw new Error(`${waybill} is not on the shelf`);
      await s.counter.handOver(actor, { customerParcelId: parcel.id, waybill });
    });
  const scanIn = (waybill: string): Promise<void> => timed('scan-in', () => s.inbound.scanIn(actor, { waybill }));

  try {
    // Every counter starts together, whatever its start-up took.
    writeFileSync(join(readyDir, name), '');
    while (readdirSync(readyDir).length < Number(racers)) await new Promise((r) => setTimeout(r, 5));
    const start = performance.now();
    const end = start + job.seconds * 1000;
    if (job.role === 'measured') {
      for (let i = 0; start + i * SCAN_EVERY_MS < end && i < job.scanIns.length; i++) {
        await new Promise((r) => setTimeout(r, Math.max(0, start + i * SCAN_EVERY_MS - performance.now())));
        await scanIn(job.scanIns[i]);
      }
    } else {
      while (performance.now() < end) {
        const r = Math.random();
        if (r < LOOKUP) await lookup();
        else if (r < LOOKUP + HANDOVER && job.handovers.length) await handover(job.handovers.pop()!);
        else if (job.scanIns.length) await scanIn(job.scanIns.pop()!);
        else await lookup();
      }
    }
    const seconds = (performance.now() - start) / 1000;
    const ops = Object.fromEntries(Object.entries(us).map(([op, list]) => [op, { n: list.length, ...quantiles(list) }]));
    process.stdout.write(`${JSON.stringify({ name, seconds, ops })}\n`);
  } finally {
    await s.close();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
