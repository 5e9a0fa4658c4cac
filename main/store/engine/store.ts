// The store interface the application services talk to, whatever engine is
// behind it: the embedded SQLite file of a single counter, or a station's
// PostgreSQL server shared by several counters. Every method is async, since
// a networked database cannot answer synchronously. SQL is written once where
// the dialects agree, with `?` or `@name` placeholders (the PostgreSQL engine
// numbers them); where they differ, a caller picks by `dialect`.

/** A value a statement binds or a row holds. Blobs come back as Buffers. */
export type SqlValue = string | number | bigint | Uint8Array | null;

/** Positional values for `?`, or one object for `@name` placeholders. */
export type SqlParams = readonly SqlValue[] | readonly [Readonly<Record<string, SqlValue>>];

export type Dialect = 'sqlite' | 'postgres';

export interface RunResult {
  /** Rows the statement inserted, updated or deleted. */
  changes: number;
}

/** One connection's view: the store outside a transaction, or a transaction. */
export interface Queryable {
  readonly dialect: Dialect;
  /** The first row, or undefined. */
  get<T = Record<string, unknown>>(sql: string, ...params: SqlParams): Promise<T | undefined>;
  all<T = Record<string, unknown>>(sql: string, ...params: SqlParams): Promise<T[]>;
  /** The first column of the first row (COUNT, MAX, one id), or undefined. */
  value<T = unknown>(sql: string, ...params: SqlParams): Promise<T | undefined>;
  run(sql: string, ...params: SqlParams): Promise<RunResult>;
  /** Statements without parameters (schema, pragmas); several may be separated by `;`. */
  exec(sql: string): Promise<void>;
  /** Rows a page at a time, for scans that must not hold a whole table in memory. */
  iterate<T = Record<string, unknown>>(sql: string, ...params: SqlParams): AsyncIterable<T>;
}

/** A transaction in progress. Using it after its callback has returned is an error. */
export interface Tx extends Queryable {
  /** A nested unit that rolls back alone if its callback throws (a SAVEPOINT). */
  savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  /**
   * New rows into `table` through the engine's bulk path (PostgreSQL's COPY;
   * on SQLite, with no round trips to save, its prepared one-row INSERT). A row
   * matching a stored one on the `skipConflictsOn` key is skipped, as is the
   * later of two rows sharing it. Returns how many rows were stored.
   */
  copyRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], skipConflictsOn?: readonly string[]): Promise<number>;
}

export interface TransactionOptions {
  /**
   * false: the commit need not reach the disk at once (SQLite's synchronous =
   * NORMAL, PostgreSQL's synchronous_commit = off); a later durable commit
   * flushes it. For rows nobody sees until such a commit, e.g. an import's.
   */
  durable?: boolean;
}

export interface Store extends Queryable {
  /**
   * Runs `fn` in one transaction that takes the write lock at its start (no
   * upgrade deadlocks): committed when `fn` resolves, rolled back when it
   * throws. Transactions never interleave on one connection. Calling the store
   * itself (not `tx`) from inside `fn` is refused: it would wait for its own
   * transaction.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>, opts?: TransactionOptions): Promise<T>;
  close(): Promise<void>;
}

/** The store's misuse, which is a programming error rather than bad input. */
export class StoreUsageError extends Error {
  override name = 'StoreUsageError';
}
