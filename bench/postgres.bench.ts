// The PostgreSQL engine beside the embedded one in the same run: the whole
// import of a manifest (sealing included) on a station of each engine, with
// its write and seal halves alone to show which one bounds it; then parcel
// lookups by tail / phone / waybill index at 1 000 000 parcels over loopback,
// through the same store interface and SQL, beside a bare round trip. Needs a
// server: PC_TEST_PG_URL (scripts/pg-cluster.sh); without it the suite says so.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canSealInParallel, defaultSealWorkers, SEAL_CHUNK, SealPool } from '../main/inbound/seal-pool';
import { importManifest, WRITE_SLICE } from '../main/inbound/import-manifest';
import { parseManifest } from '../main/inbound/manifest';
import { openDatabase } from '../main/store/database';
import { migratePostgres } from '../main/store/engine/postgres/migrations';
import { PostgresStore } from '../main/store/engine/postgres-store';
import { SqliteStore } from '../main/store/engine/sqlite-store';
import type { SqlValue, Store } from '../main/store/engine/store';
import { ParcelWriter, reserveParcelIds, type NewParcel } from '../main/store/parcel-writer';
import type { Station } from '../main/store/station';
import { VISIBLE_PARCEL } from '../main/store/pending-imports';
import { migrate } from '../main/store/migrations';
import { freshDatabase, PG_URL } from '../test/helpers/postgres';
import { benchStationAt } from './station';
import { fmt, quantiles } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const TAILS = 10_000;
/** What a card needs, without the SQLite-only row-check expression. */
const CARD = 'id, carrier, waybill_no, status, pickup_code, item_category, masked_ct, row_mac, phone_bidx, tail_bidx';
const LOOKUPS = {
  tail: `SELECT ${CARD} FROM parcels WHERE tail_bidx = ? AND (status = 'expected' OR status = 'on_shelf') AND ${VISIBLE_PARCEL} ORDER BY id DESC LIMIT 20`,
  phone: `SELECT ${CARD} FROM parcels WHERE phone_bidx = ? AND ${VISIBLE_PARCEL} ORDER BY id DESC LIMIT 50`,
  waybill: `SELECT ${CARD} FROM parcels WHERE waybill_no = ? AND ${VISIBLE_PARCEL} ORDER BY id DESC LIMIT 50`,
};

/** 32 bytes both engines compute alike from a number: blind indexes to probe. */
const index32 = (n: number) => Buffer.from(String(n).padStart(32, '0'));

/** Seeds `count` parcels on the server side of each engine (same blind indexes and waybills, random-sized ciphertexts). */
async function seed(store: Store, count: number): Promise<void> {
  if (store.dialect === 'sqlite') {
    await store.exec(`WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
      INSERT INTO parcels (id, carrier, waybill_no, status, item_category, name_ct, phone_ct, address_ct, masked_ct, phone_bidx, tail_bidx, source, created_at, row_mac)
      SELECT i, 'SF', 'BN' || printf('%012d', i), CASE WHEN i % 3 = 0 THEN 'picked_up' ELSE 'on_shelf' END, '物品',
             randomblob(64), randomblob(64), randomblob(240), randomblob(160),
             CAST(printf('%032d', i) AS BLOB), CAST(printf('%032d', i % ${TAILS}) AS BLOB), 'manifest', '2026-12-07', randomblob(17) FROM n;
      UPDATE id_allocator SET next_id = ${count + 1};`);
  } else {
    await store.exec(`INSERT INTO parcels (id, carrier, waybill_no, status, item_category, name_ct, phone_ct, address_ct, masked_ct, phone_bidx, tail_bidx, source, created_at, row_mac)
      SELECT i, 'SF', 'BN' || lpad(i::text, 12, '0'), CASE WHEN i % 3 = 0 THEN 'picked_up' ELSE 'on_shelf' END, '物品',
             decode(repeat(md5(i::text), 4), 'hex'), decode(repeat(md5(i::text), 4), 'hex'), decode(repeat(md5(i::text), 15), 'hex'), decode(repeat(md5(i::text), 10), 'hex'),
             convert_to(lpad(i::text, 32, '0'), 'UTF8'), convert_to(lpad((i % ${TAILS})::text, 32, '0'), 'UTF8'), 'manifest', '2026-12-07', decode(md5(i::text) || '00', 'hex')
        FROM generate_series(1, ${count}) AS i;
      UPDATE id_allocator SET next_id = ${count + 1};`);
    // What autovacuum would have done by now on a station's server (visibility map, hint bits, statistics).
    await store.exec('VACUUM ANALYZE parcels');
  }
}

/** p50/p95 in µs of `sql` once per probe (each probe its values). */
async function timeLookups(store: Store, sql: string, probes: SqlValue[][]): Promise<{ p50: number; p95: number }> {
  for (const p of probes) await store.all(sql, ...p); // warm-up: the probed pages in cache, as on a station working all day
  const us: number[] = [];
  for (const p of probes) {
    const t = process.hrtime.bigint();
    await store.all(sql, ...p);
    us.push(Number(process.hrtime.bigint() - t) / 1000);
  }
  return quantiles(us);
}

/** Stations on both engines (a file, an empty server database) opened as the app opens them. */
async function bothStations(dir: string, url: string): Promise<[string, Station][]> {
  return [
    ['postgres', await benchStationAt(url)],
    ['sqlite', await benchStationAt(join(dir, 'import.db'))],
  ];
}

/** The whole import, as the CLI and the app run it: read, sealed on the workers, written; rows/s. */
async function timeImport(station: Station, csv: Uint8Array, rows: number): Promise<number> {
  const t = performance.now();
  const report = await importManifest(station, 'bench.csv', csv);
  if (report.imported !== rows) throw new Error(`imported ${report.imported} of ${rows}`);
  return rows / ((performance.now() - t) / 1000);
}

/** The write half alone: rows already sealed (random bytes of the sealed sizes), written as the import writes them; rows/s. */
async function timeWriteHalf(station: Station, count: number): Promise<number> {
  const writer = new ParcelWriter();
  const first = await station.store.transaction((tx) => reserveParcelIds(tx, count));
  const noise = randomBytes(1 << 20);
  const slice = (at: number, n: number) => noise.subarray(at % (noise.length - n), (at % (noise.length - n)) + n);
  const createdAt = new Date().toISOString();
  const t = performance.now();
  for (let start = 0; start < count; start += WRITE_SLICE) {
    const parcels: NewParcel[] = [];
    for (let k = start; k < Math.min(start + WRITE_SLICE, count); k++) {
      const id = first + k;
      const sealed = { name_ct: slice(id * 7, 64), phone_ct: slice(id * 11, 64), address_ct: slice(id * 13, 240), masked_ct: slice(id * 17, 160), phone_bidx: index32(id), tail_bidx: index32(id % TAILS), row_mac: slice(id * 19, 17) };
      parcels.push({ id, carrier: 'SF', waybillNo: `WH${String(id).padStart(12, '0')}`, status: 'expected', itemCategory: '物品', weightG: null, source: 'manifest', importId: null, createdAt, sealed });
    }
    await station.store.transaction((tx) => writer.addMany(tx, parcels), { durable: false });
  }
  return count / ((performance.now() - t) / 1000);
}

/** The seal half alone: the same rows sealed on the import's workers, a few chunks in flight as the import keeps them; rows/s. */
async function timeSealing(station: Station, csv: Uint8Array): Promise<number> {
  const { rows } = parseManifest(csv);
  const pool = await SealPool.start(station.keys, rows.length);
  try {
    const t = performance.now();
    const inFlight: Promise<unknown>[] = [];
    for (let at = 0; at < rows.length; at += SEAL_CHUNK) {
      const chunk = rows.slice(at, at + SEAL_CHUNK).map((r, i) => ({ id: 1 + at + i, carrier: r.carrier, waybillNo: r.waybillNo, fields: { name: r.name, phone: r.phone, address: r.address } }));
      inFlight.push(pool.seal(chunk));
      if (inFlight.length >= 4) await inFlight.shift();
    }
    await Promise.all(inFlight);
    return rows.length / ((performance.now() - t) / 1000);
  } finally {
    await pool.close();
  }
}

async function importBench(dir: string, rows: number): Promise<void> {
  const db = await freshDatabase();
  const stations = await bothStations(dir, db.ownerUrl);
  try {
    const csv = toCsv(syntheticRows(rows, 7));
    const whole: Record<string, number> = {};
    const write: Record<string, number> = {};
    for (const [name, station] of stations) whole[name] = await timeImport(station, csv, rows);
    for (const [name, station] of stations) write[name] = await timeWriteHalf(station, rows);
    const seal = await timeSealing(stations[0][1], csv);
    const workers = canSealInParallel() ? `${defaultSealWorkers()} seal workers` : 'sealed on 1 thread';
    console.log(
      `import ${rows} rows, whole (read, ${workers}, COPY ${WRITE_SLICE} rows per transaction), PostgreSQL: ${fmt(whole.postgres, 0)} rows/s ` +
        `(SQLite, same run: ${fmt(whole.sqlite, 0)} rows/s) target >= 20000 rows/s`,
    );
    console.log(
      `  its halves alone: write of ${rows} sealed rows, PostgreSQL ${fmt(write.postgres, 0)} rows/s (SQLite ${fmt(write.sqlite, 0)} rows/s); ` +
        `sealing the same rows on the workers ${fmt(seal, 0)} rows/s`,
    );
  } finally {
    for (const [, station] of stations) await station.close();
    await db.drop();
  }
}

/** Lookups through the store interface at `parcels` parcels, on both engines, beside a bare round trip. */
async function lookupBench(dir: string, parcels: number): Promise<void> {
  const pgDb = await freshDatabase();
  const db = openDatabase(join(dir, 'lookup.db'), { mustExist: false });
  migrate(db);
  const sqlite = new SqliteStore(db);
  const pg = await PostgresStore.open(pgDb.ownerUrl);
  try {
    await migratePostgres(pg);
    const engines: [string, Store][] = [['postgres', pg], ['sqlite', sqlite]];
    for (const [, store] of engines) await seed(store, parcels);

    const probes = {
      tail: Array.from({ length: 2000 }, (_, i) => [index32((i * 37) % TAILS)]),
      phone: Array.from({ length: 2000 }, (_, i) => [index32(1 + ((i * 7919) % parcels))]),
      waybill: Array.from({ length: 2000 }, (_, i) => [`BN${String(1 + ((i * 7919) % parcels)).padStart(12, '0')}`]),
    };
    const roundTrip = await timeLookups(pg, 'SELECT 1', Array.from({ length: 2000 }, () => []));
    console.log(`loopback round trip (SELECT 1): p50 ${fmt(roundTrip.p50)} µs, p95 ${fmt(roundTrip.p95)} µs`);
    for (const by of ['tail', 'phone', 'waybill'] as const) {
      const onPg = await timeLookups(pg, LOOKUPS[by], probes[by]);
      const onSqlite = await timeLookups(sqlite, LOOKUPS[by], probes[by]);
      console.log(
        `lookup by ${by} index at ${parcels} parcels, PostgreSQL over loopback: p50 ${fmt(onPg.p50)} µs, p95 ${fmt(onPg.p95)} µs ` +
          `(same SQL on SQLite: p50 ${fmt(onSqlite.p50)} µs, p95 ${fmt(onSqlite.p95)} µs) target p95 < 2000 µs (engine share; decrypt + mask add the same on both)`,
      );
    }
  } finally {
    await pg.close();
    await sqlite.close();
    await pgDb.drop();
  }
}

export async function postgresBench(opts: { quick: boolean }): Promise<void> {
  if (!PG_URL) {
    console.log('skipped: PC_TEST_PG_URL is not set (eval "$(scripts/pg-cluster.sh start)")');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-pg-'));
  try {
    await importBench(dir, opts.quick ? 50_000 : 200_000);
    await lookupBench(dir, opts.quick ? 200_000 : 1_000_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
