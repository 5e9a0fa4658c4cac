// Two and four counter processes on one PostgreSQL station, each running the
// real application services: the same waybills scanned in at every counter
// at once become one parcel each, with pickup codes and shelf slots unique;
// the same parcels handed over at every counter at once are handed over
// once, the other counters refused; the audit chain stays one linear chain
// and the CLI's `verify` passes on the server store afterwards.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServices } from '../../main/app/services';
import { openStore } from '../../main/store/engine/open-store';
import type { Store } from '../../main/store/engine/store';
import { initialiseStationAt, openStation } from '../../main/store/station';
import { runCliAsync } from '../helpers/cli';
import { fixtureRows, readFixture, TEST_KDF, TEST_PASSPHRASE } from '../helpers/fixtures';
import { freshDatabase, PG_URL } from '../helpers/postgres';

const ROOT = resolve(__dirname, '../..');
const ENV = { STATION_PASSPHRASE: TEST_PASSPHRASE };

type Line = { worker: string; waybill: string; pickupCode?: string; parcelId?: number; duplicate?: boolean; handedOver?: boolean; code?: string };

function runCounter(url: string, worker: number, racers: number, phase: 'scan' | 'handover', scans: object[], readyDir: string): Promise<Line[]> {
  return new Promise((done, fail) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['test/helpers/pg-counter-worker.ts', url, String(worker), String(racers), phase], {
      cwd: ROOT,
      env: { ...process.env, ...ENV, READY_DIR: readyDir, COUNTER_JOB: JSON.stringify({ scans }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) =>
      code === 0 ? done(stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line)) : fail(new Error(`counter ${worker} exited ${code}: ${stderr}`)),
    );
  });
}

/** Counter `w`'s order: the same waybills, rotated and every other one reversed, so counters meet on them at different moments. */
const orderFor = <T>(items: T[], w: number): T[] => {
  const rotated = [...items.slice((w * 7) % items.length), ...items.slice(0, (w * 7) % items.length)];
  return w % 2 ? rotated.reverse() : rotated;
};

describe.skipIf(!PG_URL)('PostgreSQL: several counter processes on one station', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let readyDir: string;
  let store: Store;

  const manifest = fixtureRows('manifest-small.csv').slice(0, 20).map((r) => ({ waybill: r.waybill_no }));
  // In no manifest: typed at the counter, the same recipient at every counter.
  const manual = [1, 2, 3, 4].map((i) => ({
    waybill: `SF${String(7_000_000_000_000 + i)}`,
    recipient: { name: '赵小明', phone: `1390000${String(1000 + i)}`, address: '北京市海淀区中关村大街1号' },
  }));
  const scans = [...manifest, ...manual];

  beforeEach(async () => {
    db = await freshDatabase();
    await initialiseStationAt(db.ownerUrl, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
    const s = createServices(await openStation(db.appUrl, TEST_PASSPHRASE), { now: () => new Date(), workstation: 'back-office' });
    const actor = { userId: 0, username: 'cli', displayName: 'CLI', role: 'supervisor' as const, workstation: hostname() };
    await s.inbound.importManifest(actor, 'manifest-small.csv', readFixture('manifest-small.csv'));
    await s.close();
    readyDir = mkdtempSync(join(tmpdir(), 'pc-ready-'));
    for (const phase of ['scan', 'handover']) mkdirSync(join(readyDir, phase));
    store = await openStore(db.appUrl);
  }, 60_000);
  afterEach(async () => {
    await store.close();
    await db.drop();
    rmSync(readyDir, { recursive: true, force: true });
  });

  it.each([2, 4])('%i counters: one parcel per waybill, unique codes and slots, one handover each, verify passes', async (racers) => {
    const counters = Array.from({ length: racers }, (_, w) => w + 1);
    const scanned = (await Promise.all(counters.map((w) => runCounter(db.appUrl, w, racers, 'scan', orderFor(scans, w), readyDir)))).flat();

    // Every counter saw the same parcel and code for a waybill, and only one scan put it on the shelf.
    for (const { waybill } of scans) {
      const seen = scanned.filter((l) => l.waybill === waybill);
      expect(seen).toHaveLength(racers);
      expect(new Set(seen.map((l) => `${l.parcelId} ${l.pickupCode}`)).size, waybill).toBe(1);
      expect(seen.filter((l) => !l.duplicate), waybill).toHaveLength(1);
    }
    const rows = await store.all<{ waybill_no: string; n: number }>(
      `SELECT waybill_no, count(*) AS n FROM parcels WHERE waybill_no IN (${scans.map(() => '?').join(', ')}) AND status = 'on_shelf' GROUP BY waybill_no`,
      ...scans.map((s) => s.waybill),
    );
    expect(rows).toHaveLength(scans.length);
    expect(rows.every((r) => r.n === 1)).toBe(true);
    expect(await store.all("SELECT pickup_code FROM parcels WHERE status = 'on_shelf' GROUP BY pickup_code HAVING count(*) > 1")).toEqual([]);
    expect(
      await store.all(`SELECT s.shelf, s.layer FROM shelf_slots s
        WHERE s.occupied <> (SELECT count(*) FROM parcels p WHERE p.shelf = s.shelf AND p.layer = s.layer AND p.status = 'on_shelf')`),
    ).toEqual([]);

    const handed = (await Promise.all(counters.map((w) => runCounter(db.appUrl, w, racers, 'handover', orderFor(scans, w), readyDir)))).flat();
    for (const { waybill } of scans) {
      const tries = handed.filter((l) => l.waybill === waybill);
      expect(tries.filter((l) => l.handedOver), waybill).toHaveLength(1);
      expect(tries.filter((l) => !l.handedOver), waybill).toHaveLength(racers - 1);
    }
    expect(Number(await store.value('SELECT count(*) FROM handovers'))).toBe(scans.length);

    // One linear audit chain, every entry of every counter in it, checked by the CLI against the server.
    const seqs = await store.all<{ seq: number }>("SELECT seq FROM chain_entries WHERE log = 'audit' ORDER BY seq");
    expect(seqs.map((r) => r.seq)).toEqual(seqs.map((_, i) => i + 1));
    const verify = await runCliAsync(['verify', '--db', db.appUrl], ENV);
    expect(verify.stderr).toBe('');
    expect(verify.code).toBe(0);
    expect(verify.lines).toContainEqual(expect.objectContaining({ log: 'audit', ok: true, entries: seqs.length }));
  }, 300_000);
});
