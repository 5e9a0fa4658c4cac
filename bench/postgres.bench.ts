// The PostgreSQL engine beside the embedded one, through the same store
// interface and the same SQL: parcel lookups by tail / phone / waybill index
// at 1 000 000 parcels over loopback, and the write half of an import (rows
// already sealed, written in 2000-row transactions). Needs a server:
// PC_TEST_PG_URL (scripts/pg-cluster.sh); without it the suite says so.
// The counter's own lookup and import run on PostgreSQL once the services
// are on the async store; these figures are the engine's share of them.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../main/store/database';
import { migratePostgres } from '../main/store/engine/postgres/migrations';
import { PostgresStore } from '../main/store/engine/postgres-store';
import { SqliteStore } from '../main/store/engine/sqlite-store';
import type { SqlValue, Store } from '../main/store/engine/store';
import { VISIBLE_PARCEL } from '../main/store/pending-imports';
import { migrate } from '../main/store/migrations';
import { freshDatabase, PG_URL } from '../test/helpers/postgres';
import { fmt, quantiles } from './stats';

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

/** Sealed-looking rows written as the import writes them: 2000 per transaction, 1000 per statement. */
async function timeInserts(store: Store, count: number, firstId: number): Promise<number> {
  const columns = ['id', 'carrier', 'waybill_no', 'status', 'item_category', 'name_ct', 'phone_ct', 'address_ct', 'masked_ct', 'phone_bidx', 'tail_bidx', 'source', 'created_at', 'row_mac'];
  const row = `(${columns.map(() => '?').join(', ')})`;
  const noise = randomBytes(1 << 20);
  const slice = (at: number, n: number) => noise.subarray(at % (noise.length - n), (at % (noise.length - n)) + n);
  const t = performance.now();
  for (let start = 0; start < count; start += 2000) {
    await store.transaction(async (tx) => {
      for (let part = start; part < Math.min(start + 2000, count); part += 1000) {
        const values: SqlValue[] = [];
        const n = Math.min(1000, count - part);
        for (let k = 0; k < n; k++) {
          const id = firstId + part + k;
          values.push(id, 'SF', `IM${String(id).padStart(12, '0')}`, 'expected', '物品', slice(id * 7, 64), slice(id * 11, 64), slice(id * 13, 240), slice(id * 17, 160), index32(id), index32(id % TAILS), 'manifest', '2026-12-07', slice(id * 19, 17));
        }
        await tx.run(`INSERT INTO parcels (${columns.join(', ')}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`, ...values);
      }
    });
  }
  return count / ((performance.now() - t) / 1000);
}

export async function postgresBench(opts: { quick: boolean }): Promise<void> {
  if (!PG_URL) {
    console.log('skipped: PC_TEST_PG_URL is not set (eval "$(scripts/pg-cluster.sh start)")');
    return;
  }
  const parcels = opts.quick ? 200_000 : 1_000_000;
  const inserts = opts.quick ? 50_000 : 200_000;
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-pg-'));
  const pgDb = await freshDatabase();
  const db = openDatabase(join(dir, 'station.db'), { mustExist: false });
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
    const pgRate = await timeInserts(pg, inserts, parcels + 1);
    const sqliteRate = await timeInserts(sqlite, inserts, parcels + 1);
    console.log(
      `write ${inserts} sealed rows, 2000 per transaction, PostgreSQL: ${fmt(pgRate, 0)} rows/s ` +
        `(SQLite, same statements: ${fmt(sqliteRate, 0)} rows/s) target import >= 20000 rows/s (sealing not included)`,
    );
  } finally {
    await pg.close();
    await sqlite.close();
    await pgDb.drop();
    rmSync(dir, { recursive: true, force: true });
  }
}
