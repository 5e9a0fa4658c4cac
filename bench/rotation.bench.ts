// Key rotation on both engines in the same run: `parcels` imported into a
// station file and into a server database, then each rotated as the app and
// `rotate-key` do (batches re-sealed on this counter, row MACs computed in
// TypeScript, the swap). Needs PC_TEST_PG_URL for the server half; without
// it only the file is measured.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../shared/actor';
import { AuditLog } from '../main/audit/audit-log';
import { importManifest } from '../main/inbound/import-manifest';
import { Lifecycle } from '../main/lifecycle/lifecycle';
import { Settings } from '../main/settings/settings';
import type { Station } from '../main/store/station';
import { freshDatabase, PG_URL } from '../test/helpers/postgres';
import { BENCH_PASSPHRASE, benchStationAt } from './station';
import { fmt } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const SUPERVISOR: Actor = { userId: 0, username: 'bench', displayName: 'bench', role: 'supervisor', workstation: 'bench' };

async function rotate(station: Station): Promise<{ rows: number; ms: number; cpu: number }> {
  const audit = new AuditLog(station);
  const lifecycle = new Lifecycle(station, { settings: new Settings(), audit, record: (tx, e) => audit.record(tx, e), now: () => new Date(), workstation: 'bench' });
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const done = await lifecycle.rotate(SUPERVISOR, BENCH_PASSPHRASE);
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  if (done.generation !== 2 || done.done !== done.total) throw new Error('rotation did not complete');
  return { rows: done.total, ms, cpu: (c.user + c.system) / 1000 };
}

export async function rotationBench(opts: { quick: boolean }): Promise<void> {
  const parcels = opts.quick ? 20_000 : 100_000;
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  const server = PG_URL ? await freshDatabase() : null;
  const targets: [string, string][] = [['SQLite', join(dir, 'station.db')], ...(server ? [['PostgreSQL', server.ownerUrl] as [string, string]] : [])];
  try {
    const csv = toCsv(syntheticRows(parcels, 21));
    console.log(`load average ${loadavg().map((l) => fmt(l, 1)).join(' ')}`);
    for (const [name, target] of targets) {
      const station = await benchStationAt(target);
      try {
        const report = await importManifest(station, 'bench.csv', csv);
        if (report.imported !== parcels) throw new Error(`imported ${report.imported} of ${parcels}`);
        const r = await rotate(station);
        console.log(`key rotation of ${parcels} parcels on ${name} (${r.rows} sealed rows): ${fmt(r.ms / 1000, 2)} s (cpu ${fmt(r.cpu / 1000, 2)} s), ${fmt(r.rows / (r.ms / 1000), 0)} rows/s`);
      } finally {
        await station.close();
      }
    }
    if (!server) console.log('PostgreSQL skipped: PC_TEST_PG_URL is not set (eval "$(scripts/pg-cluster.sh start)")');
  } finally {
    await server?.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
