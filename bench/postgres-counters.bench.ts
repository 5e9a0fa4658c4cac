// Four counters and a fifth on one PostgreSQL station, each a process of its
// own through the real services (bench/pg-counter-worker.ts): the four run
// the station's mix (70 % lookup, 20 % handover, 10 % scan-in) back to back;
// the fifth scans a parcel in every 100 ms, and its scan-in → answer (the
// call the IPC handler makes for a scan: main's side of scan-to-screen) is
// measured, beside the same fifth counter alone earlier in the same run.
// Needs a server: PC_TEST_PG_URL; without it the suite says so.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Settings } from '../main/settings/settings';
import { importManifest } from '../main/inbound/import-manifest';
import { freshDatabase, PG_URL } from '../test/helpers/postgres';
import type { CounterJob } from './pg-counter-worker';
import { BENCH_PASSPHRASE, benchStationAt, shelveFirst } from './station';
import { fmt } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const ROOT = resolve(__dirname, '..');
const COUNTERS = 4;

type Quantiles = { n: number; p50: number; p95: number };
interface CounterResult {
  name: string;
  seconds: number;
  ops: Record<'lookup' | 'handover' | 'scan-in', Quantiles>;
}

function runCounter(url: string, name: string, racers: number, readyDir: string, job: CounterJob): Promise<CounterResult> {
  // The job in a file: its lists outgrow what an environment variable may hold.
  const jobFile = join(readyDir, '..', `${name}.json`);
  writeFileSync(jobFile, JSON.stringify(job));
  return new Promise((done, fail) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['bench/pg-counter-worker.ts', url, name, String(racers), readyDir, jobFile], {
      cwd: ROOT,
      env: { ...process.env, STATION_PASSPHRASE: BENCH_PASSPHRASE },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? done(JSON.parse(stdout) as CounterResult) : fail(new Error(`${name} exited ${code}: ${stderr}`))));
  });
}

const ms = (us: number): string => fmt(us / 1000, 2);

export async function postgresCountersBench(opts: { quick: boolean }): Promise<void> {
  if (!PG_URL) {
    console.log('skipped: PC_TEST_PG_URL is not set (eval "$(scripts/pg-cluster.sh start)")');
    return;
  }
  const seconds = opts.quick ? 15 : 60;
  const parcels = opts.quick ? 20_000 : 100_000;
  const db = await freshDatabase();
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-counters-'));
  try {
    // The station: a manifest imported, its first half on the shelves, the rest expected.
    const rows = syntheticRows(parcels, 53);
    const station = await benchStationAt(db.ownerUrl);
    try {
      const report = await importManifest(station, 'bench.csv', toCsv(rows));
      if (report.imported !== parcels) throw new Error(`imported ${report.imported} of ${parcels}`);
      await shelveFirst(station, parcels / 2);
      // The anomaly rules would lock a clerk doing thousands of lookups a minute; here that is the point.
      const settings = new Settings();
      await settings.set(station.store, 'anomaly.lookupsPerMinute', 1_000_000);
      await settings.set(station.store, 'anomaly.distinctTailsWithoutHandover', 1_000_000);
      // What autovacuum does within a minute of a bulk change: without statistics the planner counts a
      // customer's parcels on the shelf through the index of every parcel on the shelf.
      await station.store.exec('VACUUM ANALYZE parcels');
    } finally {
      await station.close();
    }
    const onShelf = rows.slice(0, parcels / 2).map((r) => r.waybill);
    const expected = rows.slice(parcels / 2).map((r) => r.waybill);
    const probes = { phones: rows.filter((_, i) => i % 10 === 0).map((r) => r.phone), waybills: rows.filter((_, i) => i % 10 === 5).map((r) => r.waybill) };
    // Each counter its own parcels to hand over and to scan in: no two counters race for one (the concurrency tests do that).
    const share = (list: string[], k: number, of: number): string[] => list.filter((_, i) => i % of === k);
    const job = (role: CounterJob['role'], k: number): CounterJob => ({
      role,
      seconds,
      ...probes,
      handovers: share(onShelf, k, COUNTERS + 2),
      scanIns: share(expected, k, COUNTERS + 2),
    });
    const phase = (name: string): string => {
      const ready = join(dir, name);
      mkdirSync(ready);
      return ready;
    };

    const alone = await runCounter(db.appUrl, 'measured-alone', 1, phase('alone'), job('measured', COUNTERS));
    const ready = phase('loaded');
    const [measured, ...mix] = await Promise.all([
      runCounter(db.appUrl, 'measured', COUNTERS + 1, ready, job('measured', COUNTERS + 1)),
      ...Array.from({ length: COUNTERS }, (_, k) => runCounter(db.appUrl, `counter-${k + 1}`, COUNTERS + 1, ready, job('mix', k))),
    ]);

    const total = mix.reduce((n, c) => n + c.ops.lookup.n + c.ops.handover.n + c.ops['scan-in'].n, 0);
    const per = (op: keyof CounterResult['ops']): string => {
      const n = mix.reduce((a, c) => a + c.ops[op].n, 0);
      return `${op} ${fmt(n / seconds, 0)}/s p50 ${mix.map((c) => ms(c.ops[op].p50)).join('/')} ms, p95 ${mix.map((c) => ms(c.ops[op].p95)).join('/')} ms`;
    };
    console.log(
      `${COUNTERS} counter processes, ${seconds} s of 70 % lookup / 20 % handover / 10 % scan-in on one PostgreSQL station (${parcels} parcels, half on the shelves), ` +
        `with the fifth counter scanning beside them: ${fmt(total / seconds, 0)} operations/s in all; per counter 1/2/3/4: ${per('lookup')}; ${per('handover')}; ${per('scan-in')}`,
    );
    const m = measured.ops['scan-in'];
    const a = alone.ops['scan-in'];
    console.log(
      `fifth counter, scan-in → answer (the service call of the scan's IPC handler) every 100 ms while the four work: p50 ${ms(m.p50)} ms, p95 ${ms(m.p95)} ms (${m.n} scans) ` +
        `(alone, no load, same run: p50 ${ms(a.p50)} ms, p95 ${ms(a.p95)} ms, ${a.n} scans) target p95 < 50 ms`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}
