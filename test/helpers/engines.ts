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
import { freshDatabase, PG_URL } from './postgres';

export interface EngineUnderTest {
  name: string;
  /** A new, empty store of this engine, and how to throw it away. */
  emptyStore(): Promise<{ store: Store; dispose(): Promise<void> }>;
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
};

if (!PG_URL) console.info('PC_TEST_PG_URL is not set: store tests run on SQLite only (README, "Tests against PostgreSQL")');

export const ENGINES: EngineUnderTest[] = PG_URL ? [sqlite, postgres] : [sqlite];
