// The PostgreSQL side of Tx.copyRows: rows go to a session-private staging
// table through COPY FROM STDIN (the server's bulk path, no per-row parse or
// plan), then into the table with one INSERT … SELECT, which keeps ON CONFLICT
// and the rows' order (the first of two rows with one key is the one stored).
import { createHash } from 'node:crypto';
import { skipConflicts, type BulkRows } from '../bulk-rows';
import { StoreUsageError, type SqlValue } from '../store';

/** The row's position in its COPY, which INSERT … SELECT follows. */
const ORDINAL = 'pc_ordinal';
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** One value in COPY's text format: `\N` for NULL, bytea in hex, and no tab or line end left to split a row. */
function field(value: SqlValue): string {
  if (value === null) return '\\N';
  if (typeof value === 'string') return value.replace(/[\\\t\n\r]/g, (c) => ESCAPES[c]);
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (ArrayBuffer.isView(value)) return `\\\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
  throw new StoreUsageError(`COPY cannot send a value of type ${typeof value}`);
}

/** The rows in COPY's text format, a line each. */
export function copyText(rows: readonly (readonly SqlValue[])[], columns: number): string {
  let text = '';
  for (const row of rows) {
    if (row.length !== columns) throw new StoreUsageError(`a row of ${row.length} values for ${columns} columns`);
    text += `${row.map(field).join('\t')}\n`;
  }
  return text;
}

/**
 * The three statements of one copy. The staging table is temporary (this
 * connection's own, created on first use) and emptied at every commit, so it
 * never grows across transactions; a table per column list, so two callers
 * never share one of the wrong shape.
 */
export function copySql(b: BulkRows): { stage: string; copy: string; move: string } {
  const columns = b.columns.join(', ');
  const staging = `pc_copy_${b.table}_${createHash('sha256').update(columns).digest('hex').slice(0, 12)}`;
  return {
    stage: `DO $$ BEGIN
      IF to_regclass('pg_temp.${staging}') IS NULL THEN
        CREATE TEMP TABLE ${staging} ON COMMIT DELETE ROWS AS SELECT ${columns} FROM ${b.table} WITH NO DATA;
        ALTER TABLE ${staging} ADD COLUMN ${ORDINAL} bigint GENERATED ALWAYS AS IDENTITY;
      END IF;
    END $$`,
    copy: `COPY ${staging} (${columns}) FROM STDIN`,
    // Emptied here too: a second copy in the same transaction starts from nothing.
    move: `WITH staged AS (DELETE FROM ${staging} RETURNING *)
           INSERT INTO ${b.table} (${columns}) SELECT ${columns} FROM staged ORDER BY ${ORDINAL}${skipConflicts(b)}`,
  };
}
