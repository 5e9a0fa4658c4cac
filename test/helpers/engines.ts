// The engine matrix: store and service tests run once per engine behind the
// store interface. SQLite always runs; PostgreSQL joins when a server is
// configured (see README, "Tests against PostgreSQL").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../main/store/database';
import { PostgresStore } from '../../main/store/engine/postgres-store';
import { SqliteStore } from '../../main/store/engine/sqlite-store';
import type { Store } from '../../main/store/engine/store';
import { initialiseStationAt, openStation, type Station } from '../../main/store/station';
import { TEST_KDF, TEST_PASSPHRASE } from './fixtures';
import { freshDatabase, PG_URL } from './postgres';

export interface EngineUnderTest {
  name: string;
  /** A new, empty store of this engine, and how to throw it away. */
  emptyStore(): Promise<{ store: Store; dispose(): Promise<void> }>;
  /** Where a new station of this engine goes (a file in `dir`, or a database of its own), and how to throw it away. */
  stationTarget(dir: string): Promise<{ target: string; dispose(): Promise<void> }>;
}

const sqlite: EngineUnderTest = {
  name: 'sqlite',
  async emptyStore() {
    const dir = mkdtempSync(join(tmpdir(), 'pc-engine-'));
    const store = new SqliteStore(openDatabase(join(dir, 'store.db'), { mustExist: false }));
    return {
      store,
      async dispose() {
        await store.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  },
  async stationTarget(dir) {
    return { target: join(dir, 'station.db'), dispose: async () => {} };
  },
};

/** A database of its own per store, connected as the owner role, dropped afterwards. */
const postgres: EngineUnderTest = {
  name: 'postgres',
  async emptyStore() {
    const db = await freshDatabase();
    const store = await PostgresStore.open(db.ownerUrl);
    return {
      store,
      async dispose() {
        await store.close();
        await db.drop();
      },
    };
  },
  async stationTarget() {
    const db = await freshDatabase();
    return { target: db.ownerUrl, dispose: () => db.drop() };
  },
};

if (!PG_URL) console.info('PC_TEST_PG_URL is not set: store tests run on SQLite only (README, "Tests against PostgreSQL")');

export const ENGINES: EngineUnderTest[] = PG_URL ? [sqlite, postgres] : [sqlite];

/** `describe.each` over the engines, each block named after its engine. */
export const ENGINE_CASES: [string, EngineUnderTest][] = ENGINES.map((e) => [e.name, e]);

/** A new, unlocked station on `engine`, and how to throw it away. */
export async function newStationOn(engine: EngineUnderTest, dir: string): Promise<{ station: Station; target: string; dispose(): Promise<void> }> {
  const { target, dispose } = await engine.stationTarget(dir);
  await initialiseStationAt(target, { passphrase: TEST_PASSPHRASE, stationName: '测试驿站', kdfCost: TEST_KDF });
  const station = await openStation(target, TEST_PASSPHRASE);
  // A test (or the services it made) may close the station first; a server pool ends once only.
  const close = station.close.bind(station);
  let closing: Promise<void> | undefined;
  station.close = () => (closing ??= close());
  return {
    station,
    target,
    async dispose() {
      await station.close();
      await dispose();
    },
  };
}
