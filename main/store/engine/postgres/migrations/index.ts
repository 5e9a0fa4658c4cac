// The PostgreSQL schema's own numbered migrations, run by the owner role
// (`init --db URL`); schema_migrations records how far a database has come.
// Each step runs in one transaction under the station's write lock, so two
// counters starting at once apply it once. A migration of the SQLite schema
// (main/store/migrations/) needs its counterpart here.
import type { Queryable, Store } from '../../store';
import { DEFAULT_APP_ROLE, grantsSql } from '../grants';
import schema from './001-schema';
import triggers from './002-triggers';
import stationFeatures from './003-station-features';
import sharedSql from './004-shared-sql';
import tailLookup from './005-tail-lookup';
import notifyRekeyReceipts from './006-notify-rekey-receipts';
import deviceWorkstations from './007-device-workstations';

const migrations: readonly string[] = [schema, triggers, stationFeatures, sharedSql, tailLookup, notifyRekeyReceipts, deviceWorkstations];

export const LATEST_POSTGRES_SCHEMA = migrations.length;

export async function postgresSchemaVersion(q: Queryable): Promise<number> {
  if (!(await q.value("SELECT to_regclass('schema_migrations')"))) return 0;
  return Number(await q.value('SELECT coalesce(max(version), 0) FROM schema_migrations'));
}

/** Brings the database to the latest schema, then grants the counters' role what it may do. */
export async function migratePostgres(store: Store, { appRole = DEFAULT_APP_ROLE }: { appRole?: string } = {}): Promise<void> {
  await store.transaction((tx) =>
    tx.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())'),
  );
  for (;;) {
    const applied = await store.transaction(async (tx) => {
      const v = await postgresSchemaVersion(tx);
      if (v >= migrations.length) return false;
      await tx.exec(migrations[v]);
      await tx.run('INSERT INTO schema_migrations (version) VALUES (?)', v + 1);
      return true;
    });
    if (!applied) break;
  }
  await store.transaction((tx) => tx.exec(grantsSql(appRole)));
}
