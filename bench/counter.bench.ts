// Counter figures: scan-in (slot choice + code issue in one IMMEDIATE
// transaction) and a duplicate scan, at 200 000 parcels on the shelves,
// beside a plain indexed UPDATE of one row in the same store and run.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importManifest } from '../main/inbound/import-manifest';
import { ScanIn } from '../main/inbound/scan-in';
import type { Actor } from '../shared/actor';
import { fmt, timeEach, timeEachAsync } from './stats';
import { syntheticRows, toCsv } from './synthetic';
import { benchStation, shelveFirst } from './station';

const ON_SHELF = 200_000;
const PROBES = 2000;
const WARM_UP = 50; // timeEach's warm-up runs, which take parcels of their own
const ACTOR: Actor = { userId: 1, username: 'bench', displayName: 'bench', role: 'clerk', workstation: 'bench' };

export async function counterBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    const dbPath = join(dir, 'station.db');
    const station = benchStation(dbPath);
    const onShelf = opts.quick ? ON_SHELF / 10 : ON_SHELF;
    const rows = syntheticRows(onShelf + PROBES + WARM_UP, 11);
    const report = await importManifest(station, 'bench.csv', toCsv(rows));
    if (report.imported !== rows.length) throw new Error(`imported ${report.imported} of ${rows.length}`);

    shelveFirst(station, onShelf);

    const scan = new ScanIn(station);
    const fresh = rows.slice(onShelf).map((r) => r.waybill);
    let next = 0;
    const scanIn = await timeEachAsync(fresh.slice(WARM_UP), () => station.store.transaction((tx) => scan.scan(tx, ACTOR, { waybill: fresh[next++] })));
    const duplicate = await timeEachAsync(fresh.slice(WARM_UP), (w) => station.store.transaction((tx) => scan.scan(tx, ACTOR, { waybill: w })));
    // A value that really changes: SQLite skips writing (and syncing) an identical row.
    const update = station.db.prepare('UPDATE parcels SET weight_g = ? WHERE waybill_no = ?');
    let weight = 0;
    const baseline = timeEach(fresh.slice(WARM_UP), (w) => update.run(++weight, w));

    const total = station.db.prepare("SELECT COUNT(*) FROM parcels WHERE status = 'on_shelf'").pluck().get() as number;
    const line = (name: string, t: { p50: number; p95: number }) =>
      `${name} at ${onShelf} parcels on the shelves: p50 ${fmt(t.p50)} µs, p95 ${fmt(t.p95)} µs ` +
      `(baseline indexed UPDATE of one row p50 ${fmt(baseline.p50)} µs, p95 ${fmt(baseline.p95)} µs; ` +
      `p95 ratio ${fmt(t.p95 / baseline.p95, 2)}x) target p95 ≤ 3x baseline: the commit's fsync should dominate`;
    console.log(line('scan-in → code issued', scanIn));
    console.log(line('duplicate scan → existing code', duplicate));
    if (total !== onShelf + PROBES + WARM_UP) throw new Error(`${total} parcels on the shelves`);
    station.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
