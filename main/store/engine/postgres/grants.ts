// What the counters' role may do, applied after every migration run so new
// tables are covered: read and write the working tables, only read and append
// the chain tables (no UPDATE, DELETE or TRUNCATE grant, so history cannot be
// rewritten even with the triggers' help gone), only read the migration
// record, and create temporary tables (its own session's). It owns nothing,
// so it cannot drop or disable a trigger, alter a table or create one in the
// schema. Nobody else may connect to the station's database.
import { StoreUsageError } from '../store';

/** Tables whose rows are history: appended, never changed. */
export const CHAIN_TABLES = ['chain_entries', 'chain_checkpoints', 'shred_ledger'] as const;

/** The role counters connect as, unless the station names another. */
export const DEFAULT_APP_ROLE = 'pc_app';

export function grantsSql(appRole: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(appRole)) throw new StoreUsageError(`not a role name: ${appRole}`);
  const chain = CHAIN_TABLES.join(', ');
  return `
DO $$ BEGIN
  EXECUTE format('REVOKE ALL ON DATABASE %I FROM PUBLIC', current_database());
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${appRole}', current_database());
  -- A session's own staging tables, which a bulk import COPYs into (engine/postgres/copy.ts).
  EXECUTE format('GRANT TEMPORARY ON DATABASE %I TO ${appRole}', current_database());
END $$;
REVOKE ALL ON SCHEMA public FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO ${appRole};
REVOKE ALL ON ALL TABLES IN SCHEMA public FROM ${appRole};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${appRole};
REVOKE UPDATE, DELETE ON ${chain} FROM ${appRole};
REVOKE INSERT, UPDATE, DELETE ON schema_migrations FROM ${appRole};
GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO ${appRole};
`;
}
