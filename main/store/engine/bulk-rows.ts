// Many new rows into one table at once (Tx.copyRows): the SQL both engines
// share. Table and column names are code's own constants, written into the
// SQL text, so only plain identifiers pass.
import { StoreUsageError, type Dialect } from './store';

const identifier = /^[a-z_][a-z0-9_]*$/;

export interface BulkRows {
  table: string;
  columns: readonly string[];
  /** A unique key: a row matching a stored one on it is skipped. */
  skipConflictsOn: readonly string[];
}

export function checkBulkRows({ table, columns, skipConflictsOn }: BulkRows): void {
  const bad = [table, ...columns, ...skipConflictsOn].find((n) => !identifier.test(n));
  if (bad !== undefined) throw new StoreUsageError(`not a plain identifier: ${bad}`);
  if (columns.length === 0) throw new StoreUsageError('rows without columns');
}

/** ` ON CONFLICT (…) DO NOTHING`, or nothing. */
export const skipConflicts = ({ skipConflictsOn }: BulkRows): string =>
  skipConflictsOn.length ? ` ON CONFLICT (${skipConflictsOn.join(', ')}) DO NOTHING` : '';

/** One row's INSERT, with `?` placeholders. */
export const insertRowSql = (b: BulkRows): string =>
  `INSERT INTO ${b.table} (${b.columns.join(', ')}) VALUES (${b.columns.map(() => '?').join(', ')})${skipConflicts(b)}`;

/**
 * One UPDATE of blob columns in `count` rows by id, the values bound as
 * rows of `?` (id first, then the columns in order). PostgreSQL types a
 * VALUES list by its values, so its placeholders are cast; SQLite needs no
 * cast (and would read `bytea` as a numeric affinity).
 */
export function blobUpdateSql(dialect: Dialect, table: string, columns: readonly string[], count: number): string {
  checkBulkRows({ table, columns, skipConflictsOn: [] });
  const [id, blob] = dialect === 'postgres' ? ['?::bigint', '?::bytea'] : ['?', '?'];
  const row = `(${[id, ...columns.map(() => blob)].join(', ')})`;
  return `WITH v (id, ${columns.join(', ')}) AS (VALUES ${Array(count).fill(row).join(', ')})
          UPDATE ${table} SET ${columns.map((c) => `${c} = v.${c}`).join(', ')} FROM v WHERE ${table}.id = v.id`;
}
