// Foundation figures: encrypted import vs plaintext insert; masked lookup vs
// plaintext lookup, at 200 000 and 1 000 000 parcels.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ParcelLookup } from '../main/counter/lookup';
import { importManifest } from '../main/inbound/import-manifest';
import { parseManifest } from '../main/inbound/manifest';
import { canSealInParallel, defaultSealWorkers } from '../main/inbound/seal-pool';
import { fmt, timeEach, timeEachAsync } from './stats';
import { syntheticRows, toCsv, type SyntheticRow } from './synthetic';
import { benchStation } from './station';

const BATCH = 200_000;

function plainBaseline(path: string) {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.exec(`CREATE TABLE plain (id INTEGER PRIMARY KEY, carrier TEXT, waybill_no TEXT, name TEXT, phone TEXT,
           tail TEXT, address TEXT, item TEXT, UNIQUE (carrier, waybill_no));
           CREATE INDEX plain_phone ON plain (phone); CREATE INDEX plain_tail ON plain (tail);
           CREATE INDEX plain_waybill ON plain (waybill_no);`);
  const insert = db.prepare('INSERT INTO plain (carrier, waybill_no, name, phone, tail, address, item) VALUES (?, ?, ?, ?, ?, ?, ?)');
  return {
    db,
    /** Same parser as the real import, then a plaintext insert in one transaction. */
    load(bytes: Uint8Array): number {
      const t = performance.now();
      const { rows } = parseManifest(bytes);
      db.transaction(() => {
        for (const r of rows) insert.run(r.carrier, r.waybillNo, r.name, r.phone.digits, r.phone.digits.slice(-4), r.address, r.itemDesc);
      })();
      return performance.now() - t;
    },
    byTail: db.prepare('SELECT * FROM plain WHERE tail = ? ORDER BY id DESC LIMIT 20'),
    byPhone: db.prepare('SELECT * FROM plain WHERE phone = ? ORDER BY id DESC LIMIT 50'),
    byWaybill: db.prepare('SELECT * FROM plain WHERE waybill_no = ? LIMIT 50'),
  };
}

function sample(rows: SyntheticRow[], n: number): SyntheticRow[] {
  const out: SyntheticRow[] = [];
  const step = Math.max(1, Math.floor(rows.length / n));
  for (let i = 0; i < rows.length && out.length < n; i += step) out.push(rows[i]);
  return out;
}

export async function storeBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  try {
    const dbPath = join(dir, 'station.db');
    const station = benchStation(dbPath);
    const plain = plainBaseline(join(dir, 'plain.db'));
    const batch = opts.quick ? 20_000 : BATCH;
    const sizes = opts.quick ? [batch, batch * 2] : [batch, 1_000_000];

    let total = 0;
    const all: SyntheticRow[] = [];
    for (const size of sizes) {
      while (total < size) {
        const rows = syntheticRows(batch, 7 + total, total);
        const bytes = toCsv(rows);
        const t = performance.now();
        const report = await importManifest(station, 'bench.csv', bytes);
        const ms = performance.now() - t;
        const plainMs = plain.load(bytes);
        if (report.imported !== rows.length) throw new Error(`imported ${report.imported} of ${rows.length}`);
        if (total === 0) {
          const sealing = canSealInParallel() ? `sealed on ${defaultSealWorkers()} worker threads` : 'sealed on 1 thread';
          console.log(
            `import ${rows.length} rows (${sealing}): ${fmt(rows.length / (ms / 1000), 0)} rows/s encrypted ` +
              `(baseline plaintext insert ${fmt(rows.length / (plainMs / 1000), 0)} rows/s; ratio ${fmt(ms / plainMs, 2)}x the time) ` +
              `target >= 20000 rows/s`,
          );
        }
        total += rows.length;
        // Keep every 100th row as lookup probes (a million rows would not fit in one push).
        for (let i = 0; i < rows.length; i += 100) all.push(rows[i]);
      }
      const lookup = new ParcelLookup(station);
      const probes = sample(all, 2000);
      const cases = [
        ['tail', (r: SyntheticRow) => lookup.find(station.store, { by: 'tail', value: r.phone.slice(-4) }), (r: SyntheticRow) => plain.byTail.all(r.phone.slice(-4))],
        ['phone', (r: SyntheticRow) => lookup.find(station.store, { by: 'phone', value: r.phone }), (r: SyntheticRow) => plain.byPhone.all(r.phone)],
        ['waybill', (r: SyntheticRow) => lookup.find(station.store, { by: 'waybill', value: r.waybill }), (r: SyntheticRow) => plain.byWaybill.all(r.waybill)],
      ] as const;
      for (const [name, real, base] of cases) {
        const a = await timeEachAsync(probes, real);
        const b = timeEach(probes, base);
        console.log(
          `lookup by ${name} at ${total} parcels (decrypt + mask): p50 ${fmt(a.p50)} µs, p95 ${fmt(a.p95)} µs ` +
            `(plaintext baseline p50 ${fmt(b.p50)} µs, p95 ${fmt(b.p95)} µs; p95 ratio ${fmt(a.p95 / b.p95, 2)}x) target p95 < 500 µs`,
        );
      }
    }
    station.close();
    plain.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
