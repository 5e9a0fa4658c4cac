// Pickup notices: (1) scan-in latency with notices on, beside off in the same
// run: scans arrive every few milliseconds as at a busy counter, and each is
// timed from its arrival to its answer, so any time the background drain holds
// the main thread counts against it; with the whole drain on the main thread
// (before) and as the app runs it now (after): reads, phones and requests on
// its worker thread, its writes applied on the counter's connection. The three
// ways take turns in short blocks, so a machine whose load changes during the
// run weighs on each alike; (2) an outbox drain of 5 000
// notices (one per number) against a local endpoint, in messages per second,
// beside the configured rate limit and a plain POST loop to the same endpoint.
// The endpoint runs in a child process, as a provider runs elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, type AppServices } from '../main/app/services';
import { importManifest } from '../main/inbound/import-manifest';
import { DrainThread } from '../main/notify/drain-thread';
import { localWriter } from '../main/notify/outbox-writes';
import { Settings } from '../main/settings/settings';
import type { Station } from '../main/store/station';
import type { Actor } from '../shared/actor';
import type { SendReport } from '../shared/notify';
import { benchStation, shelveFirst } from './station';
import { fmt, quantiles } from './stats';
import { syntheticRows, toCsv } from './synthetic';

const CLERK: Actor = { userId: 1, username: 'bench', displayName: 'bench', role: 'clerk', workstation: 'bench' };
const BOSS: Actor = { ...CLERK, role: 'supervisor' };
const SCAN_EVERY_MS = 25;

const ENDPOINT = `
const http = require('node:http');
const server = http.createServer((req, res) => {
  let n = 0;
  req.on('data', (c) => (n += c.length));
  req.on('end', () => { res.writeHead(200, { 'content-type': 'application/json' }); res.end('{"messageId":"m"}'); });
});
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startEndpoint(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, ['-e', ENDPOINT], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => child.stdout!.once('data', (b: Buffer) => resolve(b.toString().trim())));
  return { url: `http://127.0.0.1:${port}/`, child };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

async function useWebhook(s: AppServices, station: Station, url: string, rate: number): Promise<void> {
  const settings = new Settings();
  await settings.set(station.store, 'notify.provider', 'webhook');
  await settings.set(station.store, 'notify.endpoint', url);
  await settings.set(station.store, 'notify.quietHours', '');
  await settings.set(station.store, 'notify.batchSeconds', 0);
  await settings.set(station.store, 'notify.ratePerSecond', rate);
  await settings.set(station.store, 'notify.arrivalTemplateCode', 'BENCH');
  await s.notify.setCredentials(BOSS, 'webhook', { secret: 'bench-secret' });
}

/** Scans per block of one way (off, before, after) before the next way takes its turn. */
const BLOCK = 20;

interface Timings {
  answer: number[];
  own: number[];
}

/** Scans arriving every SCAN_EVERY_MS, each timed from arrival to answer, and on its own (ms), added to `t`. */
async function paced(s: AppServices, waybills: string[], t: Timings): Promise<void> {
  const { answer: out, own } = t;
  const start = performance.now();
  for (const [i, waybill] of waybills.entries()) {
    const arrival = start + i * SCAN_EVERY_MS;
    await sleep(arrival - performance.now());
    const began = performance.now();
    await s.inbound.scanIn(CLERK, { waybill });
    // A scan whose turn came while the drain held the thread waited from its arrival.
    const end = performance.now();
    out.push(end - Math.min(arrival, began));
    own.push(end - began);
  }
}

/** The background drain, every 100 ms instead of 15 s, so it is busy throughout; stopped, how many it sent. */
function drainEvery100ms(pass: () => Promise<SendReport[]>): { stop: () => Promise<number> } {
  let draining = true;
  let sent = 0;
  const loop = (async () => {
    while (draining) {
      sent += (await pass()).length;
      await sleep(100);
    }
  })();
  return {
    stop: async () => {
      draining = false;
      await loop;
      return sent;
    },
  };
}

async function scanInOnOff(dir: string, url: string, quick: boolean): Promise<void> {
  const n = quick ? 200 : 1000;
  const station = benchStation(join(dir, 'scan.db'));
  const rows = syntheticRows(3 * n, 23);
  await importManifest(station, 'bench.csv', toCsv(rows));
  const s = createServices(station, { now: () => new Date(), workstation: 'bench' });
  await useWebhook(s, station, url, 50);
  await new Settings().set(station.store, 'notify.arrival', true);
  // What applying the worker's writes costs the counter's thread, step by step.
  const local = localWriter(station.store, (tx, e) => s.oversight.record(tx, e));
  const applied: number[] = [];
  const thread = DrainThread.for(station, 'bench', {
    async apply(writes, now) {
      const t0 = performance.now();
      const results = await local.apply(writes, now);
      applied.push(performance.now() - t0);
      return results;
    },
  });
  if (!thread) throw new Error('no notify worker script');
  const way = (drain: (() => Promise<SendReport[]>) | null) => ({ drain, t: { answer: [], own: [] } as Timings, sent: 0 });
  const ways = [way(null), way(() => s.notify.drain(null)), way(() => thread.drain())];
  const waybills = rows.map((r) => r.waybill);
  for (let round = 0; round * BLOCK < n; round++) {
    // Each round in another order, so no way always follows the same one.
    for (let k = 0; k < ways.length; k++) {
      const w = ways[(round + k) % ways.length];
      const drain = w.drain ? drainEvery100ms(w.drain) : null;
      await paced(s, waybills.splice(0, BLOCK), w.t);
      w.sent += (await drain?.stop()) ?? 0;
    }
  }
  await thread.close();
  await s.close();
  const [off, onHere, onWorker] = ways.map((w) => w.t);
  const [, sentHere, sentWorker] = ways.map((w) => w.sent);
  const line = (what: string, a: number[], b: number[]) => {
    const [x, y] = [quantiles(a), quantiles(b)];
    return `${what}: notices on p50 ${fmt(x.p50, 2)} ms, p95 ${fmt(x.p95, 2)} ms beside off p50 ${fmt(y.p50, 2)} ms, p95 ${fmt(y.p95, 2)} ms (p95 ${fmt((100 * (x.p95 - y.p95)) / y.p95, 1)} %)`;
  };
  console.log(`scan-in (service + audit), ${n} scans one every ${SCAN_EVERY_MS} ms each way in turns of ${BLOCK}, notices at ≤ 50/s; target p95 difference < 5 %`);
  console.log(`  before, drain on the counter's thread (${sentHere} notices meanwhile):`);
  console.log(`    ${line('the scan itself', onHere.own, off.own)}`);
  console.log(`    ${line('arrival → answer (waiting behind the drain included)', onHere.answer, off.answer)}`);
  console.log(`  after, drain on its worker thread, its writes applied on the counter's connection (${sentWorker} notices meanwhile):`);
  console.log(`    ${line('the scan itself', onWorker.own, off.own)}`);
  console.log(`    ${line('arrival → answer (waiting behind the drain included)', onWorker.answer, off.answer)}`);
  const a = quantiles(applied);
  const total = applied.reduce((x, y) => x + y, 0);
  console.log(
    `    the worker's writes on the counter's thread: ${applied.length} transactions, p50 ${fmt(a.p50, 2)} ms, p95 ${fmt(a.p95, 2)} ms, ` +
      `${fmt(total / Math.max(1, sentWorker), 2)} ms per notice sent`,
  );
}

async function drainRate(dir: string, url: string, quick: boolean): Promise<void> {
  const n = quick ? 1000 : 5000;
  for (const rate of quick ? [200] : [200, 1000]) {
    const station = benchStation(join(dir, `drain-${rate}.db`));
    const rows = syntheticRows(n, 31 + rate);
    await importManifest(station, 'bench.csv', toCsv(rows));
    shelveFirst(station, n);
    const s = createServices(station, { now: () => new Date(), workstation: 'bench' });
    await useWebhook(s, station, url, rate);
    await new Settings().set(station.store, 'notify.arrival', true);
    const t0 = performance.now();
    const reports = await s.notify.drain(null);
    const seconds = (performance.now() - t0) / 1000;
    const sent = reports.filter((r) => r.status === 'sent').length;
    await s.close();
    console.log(
      `outbox drain of ${reports.length} notices (${sent} sent, the rest carrier/landline) at rate limit ${rate}/s: ` +
        `${fmt(seconds, 2)} s, ${fmt(sent / seconds, 0)} msgs/s (${fmt((100 * sent) / seconds / rate, 0)} % of the limit)`,
    );
  }
  // Baseline: the same endpoint, one POST after another, no store, no limit.
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await (await fetch(url, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } })).text();
  const seconds = (performance.now() - t0) / 1000;
  console.log(`baseline: ${n} plain POSTs to the same endpoint, sequential: ${fmt(seconds, 2)} s, ${fmt(n / seconds, 0)} requests/s`);
}

export async function notifyBench(opts: { quick: boolean }): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'pc-bench-'));
  const endpoint = await startEndpoint();
  try {
    await scanInOnOff(dir, endpoint.url, opts.quick);
    await drainRate(dir, endpoint.url, opts.quick);
  } finally {
    endpoint.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}
