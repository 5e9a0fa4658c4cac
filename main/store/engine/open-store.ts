// One way in for every command and the app: a file path is the embedded
// SQLite store (the default, no server needed), a postgres:// URL the
// station's PostgreSQL server (sslmode=verify-full with sslrootcert=the
// station's CA, see docs/postgres.md).
import { openDatabase } from '../database';
import { serverName } from './postgres-errors';
import { PostgresStore } from './postgres-store';
import { SqliteStore } from './sqlite-store';
import type { Store } from './store';

export function isServerUrl(target: string): boolean {
  return /^postgres(ql)?:\/\//i.test(target);
}

/** A store as it may be shown or logged: a path, or a server without its password. */
export function describeTarget(target: string): string {
  return isServerUrl(target) ? `postgres://${serverName(target)}` : target;
}

export interface OpenOptions {
  /** A file must already be a store (a server database always must exist). */
  mustExist?: boolean;
  /** No statement may write. */
  readOnly?: boolean;
}

export async function openStore(target: string, { mustExist = true, readOnly = false }: OpenOptions = {}): Promise<Store> {
  if (isServerUrl(target)) return PostgresStore.open(target, { readOnly });
  return new SqliteStore(openDatabase(target, { mustExist, readOnly }));
}
