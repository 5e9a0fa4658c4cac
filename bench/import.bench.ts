// Import figures beyond throughput (store.bench.ts): how the counter is served
// while a large import runs, and the resident memory of a process importing a
// manifest of a million rows from its file.
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AuditLog } from '../main/audit/audit-log';
import { parcelsViewed } from '../main/audit/events';
import { ParcelLookup } from '../main/counter/lookup';
import { importManifest } from '../main/inbound/import-manifest';
import type { Station } from '../main/store/station';
import { BENCH_PASSPHRASE, benchStation } from './station';
import { fmt, quantiles } from './stats';
import { syntheticRows, toCsv, type SyntheticRow } from './synthetic';

const CLERK = { userId: 1, username: 'bench', displayName: 'bench', role: 'clerk', workstation: 'bench' } as const;
/** A counter request every 50 ms: several counters with scanners, busier than any station. */
const REQUEST_EVERY_MS = 50;

/**
 * Serves tail lookups (each with its audit entry, as the app's handler does)
 * arriving every REQUEST_EVERY_MS until `until` settles. Arrivals keep their
 * schedule whatever the answers do, and each latency runs from the arrival to
 * the answer, so time the event loop spent elsewhere counts for every request
 * that arrived meanwhile.
 */
async function serve(station: Station, probes: SyntheticRow[], until: Promise<unknown>): Promise<number[]> {
  const lookup = new ParcelLookup(station);
  const audit = new AuditLog(station);
  const us: number[] = [];
  let done = false;
  void until.finally(() => (done = true));
  const start = performance.now();
  for (let i = 0; !done; i++) {
    const arrives = start + i * REQUEST_EVERY_MS;
    await new Promise((r) => setTimeout(r, Math.max(0, arrives - performance.now())));
    const r = probes[i % probes.length];
    await station.store.transaction(async (tx) => {
      const found = await lookup.find(tx, { by: 'tail', value: r.phone.slice(-4) });
      await audit.record(tx, parcelsViewed(CLERK, found.map((p) => p.id), 'tail'));
    });
    us.push((performance.now() - arrives) * 1000);
  }
  return us;
}

async function importWhileServing(dir: string, rows: number): Promise<void> {
  const station = benchStation(join(dir, 'serving.db'));
  try {
    const base = syntheticRows(rows, 31);
    await importManifest(station, 'base.csv', toCsv(base));
    const probes = base.filter((_, i) => i % 97 === 0);
    const idle = quantiles(await serve(station, probes, new Promise((r) => setTimeout(r, 3000))));
    const next = toCsv(syntheticRows(rows, 32, rows));
    const t = performance.now();
    const importing = importManifest(station, 'next.csv', next);
    const busy = await serve(station, probes, importing);
    const report = await importing;
    const ms = performance.now() - t;
    const during = quantiles(busy);
    console.log(
      `tail lookup + audit entry, a request every ${REQUEST_EVERY_MS} ms, at ${rows} parcels, while ${report.imported} more are imported ` +
        `(${fmt(report.imported / (ms / 1000), 0)} rows/s meanwhile): p50 ${fmt(during.p50 / 1000, 2)} ms, p95 ${fmt(during.p95 / 1000, 2)} ms, ` +
        `${busy.length} requests (idle baseline, same requests, no import: p50 ${fmt(idle.p50 / 1000, 2)} ms, p95 ${fmt(idle.p95 / 1000, 2)} ms)`,
    );
  } finally {
    station.close();
  }
}

/** Writes a manifest of `rows` rows to `path` a slice at a time. */
function writeManifest(path: string, rows: number): void {
  const slice = 100_000;
  for (let done = 0; done < rows; done += slice) {
    const csv = toCsv(syntheticRows(Math.min(slice, rows - done), 41 + done, done));
    // Only the first slice keeps its header line.
    appendFileSync(path, done === 0 ? csv : csv.subarray(csv.indexOf(0x0a) + 1));
  }
}

function childRss(mode: 'idle' | 'import', db: string, file: string): { maxRssMb: number; imported: number; ms: number } {
  const tsx = pathToFileURL(require.resolve('tsx')).href;
  const r = spawnSync(process.execPath, ['--import', tsx, resolve(__dirname, 'import-rss.ts'), mode, db, file], {
    env: { ...process.env, STATION_PASSPHRASE: BENCH_PASSPHRASE },
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  if (r.status !== 0) throw new Error(`import child failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as { maxRssMb: number; imported: number; ms: number };
}

function streamingMemory(dir: string, rows: number): void {
  const file = join(dir, 'million.csv');
  writeManifest(file, rows);
  const db = join(dir, 'memory.db');
  benchStation(db).close();
  const idle = childRss('idle', db, file);
  const run = childRss('import', db, file);
  if (run.imported !== rows) throw new Error(`imported ${run.imported} of ${rows}`);
  console.log(
    `streamed import of a ${rows}-row manifest file in a child process: peak RSS ${fmt(run.maxRssMb, 0)} MB ` +
      `(${fmt(rows / (run.ms / 1000), 0)} rows/s; baseline: the same process with the store open, no import, ${fmt(idle.maxRssMb, 0)} MB) target < 300 MB`,
  );
}

export async function importBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    await importWhileServing(dir, opts.quick ? 20_000 : 200_000);
    streamingMemory(dir, opts.quick ? 100_000 : 1_000_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
