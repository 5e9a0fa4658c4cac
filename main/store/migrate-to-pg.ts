// Moving a station from its SQLite file to a PostgreSQL server: every table
// copied row by row, each value as it is (sealed values, blind indexes, MACs,
// chain entries and checkpoints byte for byte, accounts, settings), in one
// server transaction, so a copy that fails leaves the server database empty.
// The file is only read. The target must be a database migrated to the
// latest schema and holding no station yet; the owner role runs the copy.
import { AppError } from '../../shared/errors';
import type { PostgresStore } from './engine/postgres-store';
import { LATEST_POSTGRES_SCHEMA, postgresSchemaVersion } from './engine/postgres/migrations';
import { StoreUsageError, type SqlValue, type Store, type Tx } from './engine/store';
import { LATEST_SCHEMA } from './migrations';

/** Rows per INSERT: PostgreSQL binds at most 65 535 values per statement. */
const MAX_VALUES = 30_000;

interface TableShape {
  name: string;
  columns: string[];
  /** Identity columns, whose sequences must continue after the copied ids. */
  identity: string[];
}

/** The server's tables, each after the tables its foreign keys point at. */
async function tablesInLoadOrder(tx: Tx): Promise<TableShape[]> {
  const columns = await tx.all<{ table: string; column: string; identity: string }>(
    `SELECT table_name AS table, column_name AS column, is_identity AS identity FROM information_schema.columns
      WHERE table_schema = 'public' AND table_name <> 'schema_migrations' ORDER BY table_name, ordinal_position`,
  );
  const refs = await tx.all<{ child: string; parent: string }>(
    `SELECT c.conrelid::regclass::text AS child, c.confrelid::regclass::text AS parent
       FROM pg_constraint c WHERE c.contype = 'f' AND c.conrelid <> c.confrelid AND c.connamespace = 'public'::regnamespace`,
  );
  const shapes = new Map<string, TableShape>();
  for (const c of columns) {
    const shape = shapes.get(c.table) ?? { name: c.table, columns: [], identity: [] };
    shape.columns.push(c.column);
    if (c.identity === 'YES') shape.identity.push(c.column);
    shapes.set(c.table, shape);
  }
  const ordered: TableShape[] = [];
  const placed = new Set<string>();
  const place = (name: string) => {
    if (placed.has(name)) return;
    placed.add(name);
    for (const r of refs) if (r.child === name) place(r.parent);
    ordered.push(shapes.get(name)!);
  };
  for (const name of shapes.keys()) place(name);
  return ordered;
}

async function assertEmptyTarget(tx: Tx, server: string): Promise<void> {
  if ((await postgresSchemaVersion(tx)) !== LATEST_POSTGRES_SCHEMA) throw new AppError('NOT_INITIALISED', server);
  const held = Number(await tx.value("SELECT (SELECT count(*) FROM parcels) + (SELECT count(*) FROM chain_entries) + (SELECT count(*) FROM users) + (SELECT count(*) FROM meta WHERE key <> 'parcels.row_mac')"));
  if (held > 0) throw new AppError('ALREADY_INITIALISED', server);
}

async function copyTable(source: Store, tx: Tx, table: TableShape): Promise<number> {
  const list = table.columns.join(', ');
  const perInsert = Math.max(1, Math.floor(MAX_VALUES / table.columns.length));
  const row = `(${table.columns.map(() => '?').join(', ')})`;
  let batch: SqlValue[] = [];
  let rows = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const n = batch.length / table.columns.length;
    await tx.run(`INSERT INTO ${table.name} (${list}) VALUES ${Array.from({ length: n }, () => row).join(', ')}`, ...batch);
    batch = [];
  };
  // Key order, so a row referring to an earlier row of its own table (users.created_by) finds it.
  for await (const r of source.iterate<Record<string, SqlValue>>(`SELECT ${list} FROM ${table.name} ORDER BY 1, 2`)) {
    for (const c of table.columns) batch.push(r[c]);
    if (++rows % perInsert === 0) await flush();
  }
  await flush();
  for (const column of table.identity) {
    await tx.value(`SELECT setval(pg_get_serial_sequence('${table.name}', '${column}'), max(${column})) FROM ${table.name} HAVING max(${column}) IS NOT NULL`);
  }
  return rows;
}

/** Copies the SQLite store `source` into the PostgreSQL database of `target`; returns the rows copied per table. */
export async function migrateToPostgres(source: Store, target: PostgresStore): Promise<Record<string, number>> {
  if (source.dialect !== 'sqlite') throw new StoreUsageError('the source of migrate-to-pg is a SQLite store');
  if (Number(await source.value('PRAGMA user_version')) !== LATEST_SCHEMA) throw new AppError('NOT_INITIALISED', 'the SQLite store needs this version’s upgrade first: unlock it once');
  return target.transaction(async (tx) => {
    await assertEmptyTarget(tx, target.server);
    const tables = await tablesInLoadOrder(tx);
    // What the schema seeded (shelf slots, settings, the id allocator) is replaced by the station's own, children first.
    for (const t of [...tables].reverse()) await tx.run(`DELETE FROM ${t.name}`);
    const copied: Record<string, number> = {};
    for (const t of tables) copied[t.name] = await copyTable(source, tx, t);
    return copied;
  });
}
