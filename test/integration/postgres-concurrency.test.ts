// Several counter processes appending to one chain on one PostgreSQL server:
// the station's write lock makes each read-the-head-then-append a unit, so the
// result is one linear chain (sequence numbers 1..n without gaps or forks,
// each entry hashed onto the one before) whatever the interleaving.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migratePostgres } from '../../main/store/engine/postgres/migrations';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { freshDatabase, PG_URL } from '../helpers/postgres';

const ROOT = resolve(__dirname, '../..');
const PER_PROCESS = 40;

function runWorker(url: string, worker: number, racers: number, readyDir: string): Promise<void> {
  return new Promise((done, fail) => {
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['test/helpers/pg-chain-append-worker.ts', url, String(PER_PROCESS), String(worker), String(racers)], {
      cwd: ROOT,
      env: { ...process.env, READY_DIR: readyDir },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('exit', (code) => (code === 0 ? done() : fail(new Error(`worker ${worker} exited ${code}: ${stderr}`))));
  });
}

describe.skipIf(!PG_URL)('PostgreSQL: concurrent chain appends from several processes', () => {
  let db: Awaited<ReturnType<typeof freshDatabase>>;
  let readyDir: string;

  beforeEach(async () => {
    db = await freshDatabase();
    const owner = await PostgresStore.open(db.ownerUrl);
    await migratePostgres(owner);
    await owner.close();
    readyDir = mkdtempSync(join(tmpdir(), 'pc-ready-'));
  });
  afterEach(async () => {
    await db.drop();
    rmSync(readyDir, { recursive: true, force: true });
  });

  it.each([2, 4])('%i processes leave one linear chain', async (racers) => {
    await Promise.all(Array.from({ length: racers }, (_, w) => runWorker(db.appUrl, w + 1, racers, readyDir)));

    const store = await PostgresStore.open(db.appUrl);
    const entries = await store.all<{ seq: number; payload: string; prev_hash: Buffer; hash: Buffer }>(
      "SELECT seq, payload, prev_hash, hash FROM chain_entries WHERE log = 'audit' ORDER BY seq",
    );
    await store.close();
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: racers * PER_PROCESS }, (_, i) => i + 1));
    let prev: Buffer = Buffer.alloc(32);
    for (const e of entries) {
      expect(e.prev_hash.equals(prev)).toBe(true);
      expect(e.hash.equals(createHash('sha256').update(prev).update(e.payload).digest())).toBe(true);
      prev = e.hash;
    }
    // The processes really ran at once: their entries interleave.
    const workers = entries.map((e) => (JSON.parse(e.payload) as { worker: string }).worker);
    const switches = workers.filter((w, i) => i > 0 && w !== workers[i - 1]).length;
    expect(switches).toBeGreaterThan(racers);
  }, 120_000);
});
