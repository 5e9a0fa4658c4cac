// Shred ledger figures, each beside a baseline measured in the same run:
// - verify 1 000 000 'shred' chain entries (ledger-shaped payloads appended
//   through ChainLog, a signed checkpoint every 1000) against a plain SQLite
//   scan of the same rows;
// - export 10 000 destruction records (3 waybills each, some unknown, some
//   counted, half signed off) to PDF against pdfkit setting the same cells in
//   its built-in Helvetica, one line per row, no CJK font, wrapping or table;
// - and to CSV against papaparse's unparse of the same cells.
// Both exports are timed end to end: ledger query, table, checkpoint, render, signature.
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import Papa from 'papaparse';
import PDFDocument from 'pdfkit';
import type { Actor } from '../shared/actor';
import type { CanonicalValue } from '../main/chain/canonical';
import { openChainLog } from '../main/chain/chain-log';
import { loadSigningKey } from '../main/chain/signing-key';
import { canVerifyInParallel, verifyChainAsync } from '../main/chain/verify';
import { exportContext, periodRange } from '../main/exports/format';
import { exportLedger, ledgerTable } from '../main/ledger/ledger-export';
import { SHRED_LOG, ShredLedger } from '../main/ledger/shred-ledger';
import { Settings } from '../main/settings/settings';
import type { EmbeddedStation as Station } from '../main/store/station';
import { fmt } from './stats';
import { benchStation } from './station';

const BATCH = 10_000;
const staff = (userId: number, username: string, displayName: string): Actor => ({ userId, username, displayName, role: 'clerk', workstation: 'bench' });
const OPERATOR = staff(1, 'clerk1', '王小明');
const WITNESS = staff(2, 'clerk2', '李华');
const SUPERVISOR: Actor = { ...staff(3, 'boss', '张站长'), role: 'supervisor' };

/** The shapes the ledger appends: mostly papers detached at scan-in, a destruction now and then. */
function payload(i: number): CanonicalValue {
  if (i % 20 !== 0) return { type: 'detached', parcel: i, waybill: `SF${1_000_000_000_000 + i}`, reason: 'label_applied', by: { user: 'clerk1', name: '王小明' } };
  const waybills = Array.from({ length: 20 }, (_, k) => `SF${1_000_000_000_000 + i - k}`);
  return {
    type: 'destroyed', batch: i / 20, method: 'shredder', device: 'CC-01', certificate: null,
    operator: { user: 'clerk1', name: '王小明' }, witness: { user: 'clerk2', name: '李华' },
    waybills, unknown: [], counts: [], notes: null,
  };
}

const load = (): string => loadavg().map((l) => fmt(l, 1)).join(' ');

/**
 * Wall and CPU time (this process, worker threads included): on a shared
 * 2-core box the wall clock moves with everyone else's load, CPU time much less.
 */
async function measure<T>(f: () => T | Promise<T>): Promise<{ value: T; ms: number; cpu: number }> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await f();
  const ms = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { value, ms, cpu: (c.user + c.system) / 1000 };
}

const both = (m: { ms: number; cpu: number }): string => `${fmt(m.ms, 0)} ms (cpu ${fmt(m.cpu, 0)} ms)`;

function openStore(dir: string, name: string): Station {
  const path = join(dir, name);
  return benchStation(path, '基准驿站');
}

async function verifyBench(dir: string, total: number): Promise<void> {
  const station = openStore(dir, 'verify.db');
  const chain = openChainLog(station, SHRED_LOG);
  const t0 = Date.UTC(2025, 0, 1);
  const t = performance.now();
  for (let from = 1; from <= total; from += BATCH) {
    await station.store.transaction(async (tx) => {
      for (let i = from; i < from + BATCH && i <= total; i++) await chain.append(tx, payload(i), new Date(t0 + i * 1000));
    });
  }
  const fillMs = performance.now() - t;
  const publicKey = loadSigningKey(station).publicKey;
  const scan = station.db.prepare(`SELECT seq, created_at, payload, prev_hash, hash FROM chain_entries WHERE log = '${SHRED_LOG}' ORDER BY seq`).raw(true);
  const baseline = () => {
    let n = 0;
    for (const _row of scan.iterate()) n++;
    if (n !== total) throw new Error(`scanned ${n} of ${total}`);
  };
  baseline(); // warm the page cache
  const base = await measure(baseline);
  const v = await measure(() => verifyChainAsync(station.db, SHRED_LOG, publicKey));
  if (!v.value.ok || v.value.entries !== total) throw new Error(`verify failed: ${JSON.stringify(v.value)}`);
  const threads = canVerifyInParallel() ? `${Math.min(availableParallelism(), 4)} threads` : '1 thread';
  console.log(`generate ${total} shred entries through ChainLog.append: ${fmt(fillMs / 1000, 1)} s (${fmt(total / (fillMs / 1000), 0)} entries/s)`);
  console.log(
    `verify ${total} shred entries: ${both(v)} on ${threads} (baseline plain SQLite scan of the same rows: ${both(base)}; ` +
      `ratio ${fmt(v.ms / base.ms, 2)}x) target < 2000 ms for 1 000 000 [load avg ${load()}]`,
  );
  station.close();
}

/** 10 000 destruction records through the ledger service itself, in one transaction. */
async function fillLedger(station: Station, ledger: ShredLedger, records: number): Promise<void> {
  let n = 0;
  await station.store.transaction(async (tx) => {
    for (let r = 0; r < records; r++) {
      const batch = await ledger.openBatch(tx, OPERATOR);
      for (let k = 0; k < 3; k++) await ledger.scan(tx, OPERATOR, batch.id, `${k === 2 && r % 5 === 0 ? 'JT' : 'SF'}${2_000_000_000_000 + n++}`);
      if (r % 10 === 0) await ledger.addCount(tx, OPERATOR, batch.id, 4, '条码破损');
      const d = await ledger.destroy(tx, OPERATOR, WITNESS, { batchId: batch.id, method: r % 7 === 0 ? 'burn' : 'shredder', deviceId: r % 7 === 0 ? undefined : 'CC-01' });
      if (r % 2 === 0) await ledger.signoff(tx, SUPERVISOR, d.id);
    }
  });
}

async function exportBench(dir: string, records: number): Promise<void> {
  const station = openStore(dir, 'export.db');
  let clock = Date.parse('2026-11-01T02:00:00Z');
  const ledger = new ShredLedger(station, new Settings(), () => new Date((clock += 60_000)));
  await fillLedger(station, ledger, records);
  const ctx = await exportContext(station, '2026-11-01', '2026-12-31', '张站长 (boss)', new Date());
  const { fromIso, toIso } = periodRange(ctx.from, ctx.to, ctx.timeZone);
  const rows = ledgerTable(await ledger.entries(station.store, fromIso, toIso), ctx).rows;
  if (rows.length !== records) throw new Error(`exported ${rows.length} of ${records}`);

  const timed = (format: 'pdf' | 'csv') => measure(async () => (await exportLedger(station, await ledger.entries(station.store, fromIso, toIso), format, ctx)).bytes.length);
  const pdfBaseline = async (): Promise<void> => {
    const doc = new PDFDocument({ size: 'A4', layout: 'landscape', margin: 32 });
    const done = new Promise<void>((resolve) => doc.on('end', resolve));
    doc.on('data', () => undefined);
    doc.font('Helvetica').fontSize(7.5);
    rows.forEach((row, i) => {
      if (i > 0 && i % 50 === 0) doc.addPage();
      doc.text(row.join(' | ').replace(/\n/g, ' '), 32, 32 + (i % 50) * 10, { lineBreak: false });
    });
    doc.end();
    await done;
  };
  const csvBaseline = () => Buffer.from(Papa.unparse(rows as string[][]), 'utf8');

  await timed('pdf'); // warm up: font parse, JIT
  const pdf = await timed('pdf');
  const pdfBase = await measure(pdfBaseline);
  console.log(
    `export ${records} records to PDF (CJK font embedded, wrapped table, signed): ${both(pdf)}, ${fmt(pdf.value / 1e6, 1)} MB ` +
      `(baseline pdfkit Helvetica, same cells one line per row: ${both(pdfBase)}; ratio ${fmt(pdf.ms / pdfBase.ms, 2)}x) ` +
      `target < 3000 ms [load avg ${load()}]`,
  );
  const csv = await timed('csv');
  const csvBase = await measure(csvBaseline);
  console.log(
    `export ${records} records to CSV (BOM, signed): ${both(csv)}, ${fmt(csv.value / 1e6, 2)} MB ` +
      `(baseline papaparse unparse of the same cells: ${both(csvBase)}; ratio ${fmt(csv.ms / csvBase.ms, 2)}x)`,
  );
  station.close();
}

export async function ledgerBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-ledger-'));
  try {
    await exportBench(dir, opts.quick ? 2_000 : 10_000);
    await verifyBench(dir, opts.quick ? 100_000 : 1_000_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
