// Data lifecycle figures, each beside a baseline measured in the same run:
// - purge of 100 000 expired parcels (batched transactions, notes and
//   schedule included) against one plain UPDATE … SET <personal columns> = NULL
//   over the same rows of a copy of the store;
// - backup (online copy, SM4-CBC, two-level HMAC-SM3) and restore (MAC,
//   decrypt, integrity_check) of a 200 000-parcel store against a plain copy
//   of the database file;
// - key rotation of 200 000 parcels (every sealed value opened and sealed
//   again, blind indexes rebuilt, the swap) against a plain re-write of the
//   same number of blobs of the same sizes, batched the same way.
// Wall and CPU time are both printed: on a shared 2-core box the wall clock
// moves with everyone else's load, this process's CPU time much less.
import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Actor } from '../shared/actor';
import { AuditLog } from '../main/audit/audit-log';
import { importManifest } from '../main/inbound/import-manifest';
import { restoreBackup, writeBackup } from '../main/lifecycle/backup';
import { Lifecycle } from '../main/lifecycle/lifecycle';
import { PURGE_BATCH, RetentionPurge, retentionPolicy } from '../main/lifecycle/retention';
import { ROTATION_BATCH } from '../main/lifecycle/rotation';
import { Settings } from '../main/settings/settings';
import { unlockWithPassphrase, type EmbeddedStation as Station } from '../main/store/station';
import { fmt } from './stats';
import { syntheticRows, toCsv } from './synthetic';
import { BENCH_PASSPHRASE, benchStation } from './station';

const STORE = 200_000;
const EXPIRED = 100_000;
const IMPORT_BATCH = 50_000;
const DAY_MS = 86_400_000;
const SUPERVISOR: Actor = { userId: 0, username: 'bench', displayName: 'bench', role: 'supervisor', workstation: 'bench' };
const PERSONAL = ['name_ct', 'phone_ct', 'address_ct', 'masked_ct'] as const;

async function timed<T>(f: () => T | Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const c = process.cpuUsage(c0);
  return { value, ms: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

const both = (m: { ms: number; cpu: number }): string => `${fmt(m.ms / 1000, 2)} s (cpu ${fmt(m.cpu / 1000, 2)} s)`;
const perSecond = (n: number, m: { ms: number }): string => fmt(n / (m.ms / 1000), 0);
const mbPerSecond = (bytes: number, m: { ms: number }): string => fmt(bytes / 1e6 / (m.ms / 1000), 1);

function lifecycleOf(station: Station): Lifecycle {
  const audit = new AuditLog(station);
  return new Lifecycle(station, { settings: new Settings(), audit, record: (tx, e) => audit.record(tx, e), now: () => new Date(), workstation: 'bench' });
}

/** A second copy of the store's file, for a baseline that must not disturb the store itself. */
function copyOf(station: Station, path: string): string {
  station.db.pragma('wal_checkpoint(TRUNCATE)');
  copyFileSync(station.db.name, path);
  return path;
}

export async function lifecycleBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  const parcels = opts.quick ? STORE / 10 : STORE;
  const expired = opts.quick ? EXPIRED / 10 : EXPIRED;
  try {
    const dbPath = join(dir, 'station.db');
    let station = benchStation(dbPath);
    for (let done = 0; done < parcels; done += IMPORT_BATCH) {
      const rows = syntheticRows(Math.min(IMPORT_BATCH, parcels - done), 13 + done, done);
      const report = await importManifest(station, 'bench.csv', toCsv(rows));
      if (report.imported !== rows.length) throw new Error(`imported ${report.imported} of ${rows.length}`);
    }
    // Setup only: the first parcels were picked up 40 days ago, so the 30-day rule has them due.
    const longAgo = new Date(Date.now() - 40 * DAY_MS).toISOString();
    station.db
      .prepare("UPDATE parcels SET status = 'picked_up', arrived_at = ?, picked_up_at = ? WHERE id <= ?")
      .run(longAgo, longAgo, expired);
    const baselineDb = copyOf(station, join(dir, 'baseline.db'));
    const size = statSync(dbPath).size;
    console.log(`store: ${parcels} parcels, ${fmt(size / 1e6, 1)} MB; load average ${loadavg().map((l) => fmt(l, 1)).join(' ')}`);

    // Backup and restore, against copying the file.
    const backupFile = join(dir, 'station.pcbak');
    const backup = await timed(() => writeBackup(station, backupFile, { now: new Date() }));
    const copy = await timed(() => copyFileSync(dbPath, join(dir, 'copy.db')));
    station.close();
    const restore = await timed(() => restoreBackup(backupFile, join(dir, 'restored.db'), BENCH_PASSPHRASE));
    if (restore.value.parcels !== parcels) throw new Error(`restored ${restore.value.parcels} of ${parcels} parcels`);
    const copyBack = await timed(() => copyFileSync(backupFile, join(dir, 'copy.pcbak')));
    console.log(
      `backup of ${parcels} parcels (${fmt(size / 1e6, 1)} MB): ${both(backup)}, ${mbPerSecond(size, backup)} MB/s, ${perSecond(parcels, backup)} parcels/s ` +
        `(baseline file copy ${both(copy)}; ${fmt(backup.ms / copy.ms, 0)}x the time)`,
    );
    console.log(
      `restore (MAC, decrypt, integrity_check): ${both(restore)}, ${mbPerSecond(size, restore)} MB/s, ${perSecond(parcels, restore)} parcels/s ` +
        `(baseline file copy ${both(copyBack)}; ${fmt(restore.ms / copyBack.ms, 0)}x the time)`,
    );

    // Key rotation, against re-writing the same blobs without crypto, in the same batches.
    station = unlockWithPassphrase(dbPath, BENCH_PASSPHRASE);
    const lifecycle = lifecycleOf(station);
    const rotate = await timed(() => lifecycle.rotate(SUPERVISOR, BENCH_PASSPHRASE));
    if (rotate.value.generation !== 2) throw new Error('rotation did not complete');
    const plain = new Database(baselineDb);
    plain.pragma('journal_mode = WAL');
    plain.pragma('synchronous = FULL');
    plain.pragma('secure_delete = ON');
    const rewrite = await timed(() => {
      const sizes = plain.prepare(`SELECT id, ${PERSONAL.map((c) => `length(${c}) AS ${c}`).join(', ')} FROM parcels WHERE id > ? ORDER BY id LIMIT ${ROTATION_BATCH}`);
      const update = plain.prepare(`UPDATE parcels SET ${PERSONAL.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`);
      for (let after = 0; ; ) {
        const rows = sizes.all(after) as Record<string, number>[];
        if (rows.length === 0) break;
        plain.transaction(() => {
          for (const r of rows) update.run(...PERSONAL.map((c) => randomBytes(r[c])), r.id);
        })();
        after = rows[rows.length - 1].id;
      }
    });
    console.log(
      `key rotation of ${parcels} parcels (${rotate.value.total} sealed rows): ${both(rotate)}, ${perSecond(rotate.value.total, rotate)} rows/s ` +
        `(baseline plain re-write of ${parcels * PERSONAL.length} blobs ${both(rewrite)}, ${perSecond(parcels, rewrite)} rows/s; ${fmt(rotate.ms / rewrite.ms, 1)}x the time)`,
    );

    // Purge, against one plain UPDATE over the same rows.
    const settings = new Settings();
    const purger = new RetentionPurge(station, (q) => retentionPolicy(settings, q), () => new Date());
    const purge = await timed(() => purger.run({ dryRun: false }));
    if (purge.value.erased !== expired) throw new Error(`purged ${purge.value.erased} of ${expired}`);
    const vacuum = await timed(() => station.db.exec('VACUUM'));
    const nulls = await timed(() =>
      plain
        .prepare(`UPDATE parcels SET ${[...PERSONAL, 'phone_bidx', 'tail_bidx'].map((c) => `${c} = NULL`).join(', ')}, erased_at = ? WHERE id <= ?`)
        .run(new Date().toISOString(), expired),
    );
    console.log(
      `purge of ${expired} expired parcels (batches of ${PURGE_BATCH}): ${both(purge)}, ${perSecond(expired, purge)} parcels/s ` +
        `(baseline one UPDATE … SET NULL over the same rows ${both(nulls)}; ${fmt(purge.ms / nulls.ms, 1)}x the time); then VACUUM ${both(vacuum)}`,
    );
    plain.close();
    station.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
