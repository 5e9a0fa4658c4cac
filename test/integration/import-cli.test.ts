// The CLI import in real child processes: killed part-way, run from another
// directory, audited.
import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { syntheticRows, toCsv } from '../../bench/synthetic';
import { ParcelLookup } from '../../main/counter/lookup';
import { initialiseStationAt, unlockWithPassphrase } from '../../main/store/station';
import { cliAuditTrail } from '../helpers/cli';
import { newStation, tempDir, TEST_KDF, TEST_PASSPHRASE } from '../helpers/fixtures';
import { freshDatabase, PG_URL } from '../helpers/postgres';

const ROOT = resolve(__dirname, '../..');
// node itself (not a tsx wrapper process), loading tsx by its path so that any working directory will do.
const CLI = ['--import', pathToFileURL(require.resolve('tsx')).href, join(ROOT, 'main/cli/index.ts')];
const env = (extra: Record<string, string> = {}): NodeJS.ProcessEnv => ({ ...process.env, STATION_PASSPHRASE: TEST_PASSPHRASE, ...extra });

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// SQLite only: a killed import watched in the SQLite file, and paths relative to it (README, "Tests against PostgreSQL").
describe('CLI import', () => {
  let tmp: ReturnType<typeof tempDir>;
  let db: string;
  beforeEach(() => {
    tmp = tempDir();
    const made = newStation(tmp.dir);
    made.station.close();
    db = made.path;
  });
  afterEach(() => tmp.cleanup());

  it('killed with SIGKILL part-way: no row becomes visible, and the next start removes what it wrote', async () => {
    const rows = syntheticRows(60_000, 21);
    const file = join(tmp.dir, 'big.csv');
    writeFileSync(file, toCsv(rows));
    // The signal reaches the process that imports (see CLI).
    const child = spawn(process.execPath, [...CLI, 'import', '--db', db, file], { cwd: ROOT, env: env(), stdio: 'ignore' });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    const raw = new Database(db, { readonly: true });
    try {
      let written = 0;
      for (let i = 0; i < 1200 && written < 4000; i++) {
        await sleep(50);
        written = raw.prepare('SELECT count(*) FROM parcels').pluck().get() as number;
      }
      expect(written).toBeGreaterThanOrEqual(4000);
      expect(raw.prepare('SELECT state FROM imports').pluck().all()).toEqual(['pending']);

      // Opened beside the running import: its rows are not shown, and not removed either.
      const beside = unlockWithPassphrase(db, TEST_PASSPHRASE);
      expect(await new ParcelLookup(beside).find(beside.store, { by: 'waybill', value: rows[0].waybill })).toEqual([]);
      expect(beside.db.prepare('SELECT count(*) FROM parcels').pluck().get()).toBeGreaterThan(0);
      beside.close();

      child.kill('SIGKILL');
      expect(await exited).toBeNull();
    } finally {
      raw.close();
    }

    const after = unlockWithPassphrase(db, TEST_PASSPHRASE);
    try {
      expect(after.db.prepare('SELECT count(*) FROM parcels').pluck().get()).toBe(0);
      expect(after.db.prepare('SELECT count(*) FROM imports').pluck().get()).toBe(0);
      expect(await new ParcelLookup(after).find(after.store, { by: 'tail', value: rows[0].phone.slice(-4) })).toEqual([]);
    } finally {
      after.close();
    }
  }, 120_000);

  it('resolves relative paths against the directory the command was typed in', async () => {
    const work = join(tmp.dir, 'work');
    mkdirSync(work);
    writeFileSync(join(work, 'm.csv'), toCsv(syntheticRows(5, 22)));
    writeFileSync(join(tmp.dir, 'n.csv'), toCsv(syntheticRows(5, 23)));
    // Run directly from that directory…
    const direct = spawnSync(process.execPath, [...CLI, 'import', '--db', '../station.db', 'm.csv'], { cwd: work, env: env(), encoding: 'utf8' });
    expect(direct.stderr).toBe('');
    expect(JSON.parse(direct.stdout)).toMatchObject({ imported: 5, skipped: 0 });
    // …and through `npm run cli`, which starts in the package root and says where the caller was in INIT_CWD.
    const viaNpm = spawnSync(process.execPath, [...CLI, 'import', '--db', 'station.db', 'n.csv'], {
      cwd: ROOT,
      env: env({ npm_lifecycle_event: 'cli', INIT_CWD: tmp.dir }),
      encoding: 'utf8',
    });
    expect(viaNpm.stderr).toBe('');
    expect(JSON.parse(viaNpm.stdout)).toMatchObject({ imported: 5 });
    const out = spawnSync(process.execPath, [...CLI, 'backup', '--db', 'station.db', '--out', 'b.bak'], {
      cwd: ROOT,
      env: env({ npm_lifecycle_event: 'cli', INIT_CWD: tmp.dir }),
      encoding: 'utf8',
    });
    expect(JSON.parse(out.stdout)).toMatchObject({ out: join(tmp.dir, 'b.bak') });
    expect((await cliAuditTrail(db, TEST_PASSPHRASE)).filter((e) => e.action === 'manifest.import')).toHaveLength(2);
  }, 120_000);
});

describe.skipIf(!PG_URL)('CLI import on a PostgreSQL station, as the counters\' role', () => {
  it('imports through COPY, a waybill listed twice reported by its row, and a second run skips every row', async () => {
    const db = await freshDatabase();
    const tmp = tempDir();
    try {
      await initialiseStationAt(db.ownerUrl, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
      const rows = syntheticRows(600, 25);
      // Row 402 (the header is row 1) repeats row 2's waybill: its slice meets a key already taken, and takes the staging path.
      const file = join(tmp.dir, 'm.csv');
      writeFileSync(file, toCsv([...rows.slice(0, 400), { ...rows[400], waybill: rows[0].waybill, carrier: rows[0].carrier }, ...rows.slice(401)]));
      const run = () => spawnSync(process.execPath, [...CLI, 'import', '--db', db.appUrl, file], { cwd: ROOT, env: env(), encoding: 'utf8' });
      const first = run();
      expect(first.stderr).toBe('');
      expect(JSON.parse(first.stdout)).toMatchObject({ imported: 599, skipped: 0, errors: [{ row: 402, code: 'DUPLICATE_IN_FILE' }] });
      const again = run();
      expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: 600, errors: [] });
    } finally {
      tmp.cleanup();
      await db.drop();
    }
  }, 120_000);
});
