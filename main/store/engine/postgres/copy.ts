// The PostgreSQL side of Tx.copyRows: rows sent with COPY FROM STDIN in the
// binary format (the server's bulk path: no per-row parse or plan, sealed
// values as their bytes). COPY itself cannot skip a row that breaks a unique
// key, so a copy that may meet one is tried straight into the table under a
// savepoint and, should a row clash, sent again through a staging table and
// one INSERT … SELECT … ON CONFLICT DO NOTHING, which keeps the rows' order
// (the first of two rows with one key is the one stored).
import { createHash } from 'node:crypto';
import { skipConflicts, type BulkRows } from '../bulk-rows';
import { StoreUsageError } from '../store';
import { copiesBinary } from './copy-binary';

/** The row's position in its COPY, which INSERT … SELECT follows. */
const ORDINAL = 'pc_ordinal';

/** SQLSTATE of a unique key broken. */
export const UNIQUE_VIOLATION = '23505';

/** The type oid of each of a table's columns, for the binary format. */
export const COLUMN_TYPES = `SELECT attname AS name, atttypid::int AS type FROM pg_attribute
  WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped`;

/** The type oids of `columns`, in order; a column missing or of a type the encoder cannot write is a usage error. */
export function typesOf(b: BulkRows, found: readonly { name: string; type: number }[]): number[] {
  const byName = new Map(found.map((c) => [c.name, c.type]));
  return b.columns.map((c) => {
    const type = byName.get(c);
    if (type === undefined) throw new StoreUsageError(`no column ${b.table}.${c}`);
    if (!copiesBinary(type)) throw new StoreUsageError(`COPY cannot send ${b.table}.${c} (type ${type})`);
    return type;
  });
}

/**
 * The statements of one copy. The staging table is temporary (this
 * connection's own, created on first use) and emptied at every commit, so it
 * never grows across transactions; one per column list, so two callers never
 * share one of the wrong shape.
 */
export function copySql(b: BulkRows): { direct: string; stage: string; copy: string; move: string } {
  const columns = b.columns.join(', ');
  const staging = `pc_copy_${b.table}_${createHash('sha256').update(columns).digest('hex').slice(0, 12)}`;
  return {
    direct: `COPY ${b.table} (${columns}) FROM STDIN (FORMAT binary)`,
    stage: `DO $$ BEGIN
      IF to_regclass('pg_temp.${staging}') IS NULL THEN
        CREATE TEMP TABLE ${staging} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${b.table} WITH NO DATA;
        ALTER TABLE ${staging} ADD COLUMN ${ORDINAL} bigint GENERATED ALWAYS AS IDENTITY;
      END IF;
    END $$`,
    copy: `COPY ${staging} (${columns}) FROM STDIN (FORMAT binary)`,
    // Emptied here too: a second copy in the same transaction starts from nothing.
    move: `WITH staged AS (DELETE FROM ${staging} RETURNING *)
           INSERT INTO ${b.table} (${columns}) SELECT ${columns} FROM staged ORDER BY ${ORDINAL}${skipConflicts(b)}`,
  };
}
