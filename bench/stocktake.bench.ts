// Stocktake: reconciliation of 20 000 parcels on the shelves against 20 000
// scans (1 % on another layer, 1 % not scanned, 100 extra), beside the same
// rows only read, in the same store and run; and the CLI's whole stocktake
// (start, store every scan, reconcile, close) in one transaction; and one
// scan at the counter, each its own transaction.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices } from '../main/app/services';
import { importManifest } from '../main/inbound/import-manifest';
import type { Actor } from '../shared/actor';
import { benchStation, shelveFirst } from './station';
import { fmt, quantiles } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const ON_SHELF = 20_000;
const EXTRA = 100;
const RUNS = 7;
const ACTOR: Actor = { userId: 0, username: 'bench', displayName: 'bench', role: 'supervisor', workstation: 'bench' };

async function timeMs(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e6;
}

async function repeat(fn: () => Promise<unknown>): Promise<{ p50: number; p95: number }> {
  await fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) ms.push(await timeMs(fn));
  return quantiles(ms);
}

export async function stocktakeBench(_opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    const station = benchStation(join(dir, 'station.db'));
    const rows = syntheticRows(ON_SHELF + EXTRA, 16);
    await importManifest(station, 'bench.csv', toCsv(rows));
    shelveFirst(station, ON_SHELF);
    const shelved = station.db
      .prepare("SELECT waybill_no AS w, shelf || '-' || layer AS slot FROM parcels WHERE status = 'on_shelf' ORDER BY shelf, layer")
      .all() as { w: string; slot: string }[];
    // The clerk walks the layers in order; every hundredth parcel is not found, every hundredth-and-one sits a layer further on.
    const scans: string[] = [];
    let at = '';
    shelved.forEach((p, i) => {
      if (i % 100 === 0) return;
      const slot = i % 100 === 1 ? (p.slot === '20-5' ? '1-1' : shelved[Math.min(i + 300, shelved.length - 1)].slot) : p.slot;
      if (slot !== at) scans.push(`@${(at = slot)}`);
      scans.push(p.w);
    });
    for (const r of rows.slice(ON_SHELF)) scans.push(r.waybill);

    const services = createServices(station, { now: () => new Date(), workstation: 'bench' });
    const whole = await timeMs(() => services.stocktake.countAll(ACTOR, scans));
    // A stocktake left open with every scan stored, to reconcile again and again.
    await services.stocktake.start(ACTOR);
    const perScan: number[] = [];
    for (const code of scans) perScan.push(await timeMs(() => services.stocktake.scan(ACTOR, code)));
    const scan = quantiles(perScan);
    let result = await services.stocktake.progress();
    const reconcile = await repeat(async () => (result = await services.stocktake.progress()));
    const id = station.db.prepare("SELECT id FROM stocktakes WHERE state = 'open'").pluck().get() as number;
    const read = await repeat(() =>
      station.store.transaction(async (tx) => {
        await tx.all("SELECT id, waybill_no, status, shelf, layer FROM parcels WHERE status = 'on_shelf'");
        await tx.all('SELECT shelf, layer, waybill_no FROM stocktake_scans WHERE stocktake_id = ? ORDER BY seq', id);
      }),
    );
    console.log(
      `stocktake reconciliation, ${ON_SHELF} on the shelves against ${scans.length} scans (${result.found} found, ${result.missing.length} missing, ` +
        `${result.misplaced.length} misplaced, ${result.extra.length} extra): p50 ${fmt(reconcile.p50)} ms, p95 ${fmt(reconcile.p95)} ms ` +
        `(baseline: the same rows only read p50 ${fmt(read.p50)} ms) target < 1000 ms ${reconcile.p95 < 1000 ? '✓' : '✗'}`,
    );
    console.log(`stocktake, one scan stored and checked against the books (the clerk's wait): p50 ${fmt(scan.p50 * 1000)} µs, p95 ${fmt(scan.p95 * 1000)} µs`);
    console.log(`stocktake from the CLI's list (start, ${scans.length} scans stored, reconcile, close, audit): ${fmt(whole)} ms`);
    await services.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
