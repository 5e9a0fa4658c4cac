// The embedded engine: the store interface over one better-sqlite3
// connection. better-sqlite3 answers synchronously, so each method returns
// an already-settled promise; what the interface adds is the order. An async
// transaction holds the connection across its awaits, so transactions queue
// one behind another, and so does any statement the store itself runs while
// one is open (on one connection it would otherwise join that transaction,
// and roll back with it). Prepared statements are cached by their SQL text.
import type { Statement } from 'better-sqlite3';
import { closeDatabase, type Db } from '../database';
import { insertRowSql, type BulkRows } from './bulk-rows';
import { StoreUsageError, type RunResult, type SqlParams, type SqlValue, type Store, type TransactionOptions, type Tx } from './store';
import { Turn } from './turn';
import { TxHandle } from './tx-handle';

type Bind = unknown[];

/** better-sqlite3 takes `@name` values as one object, positional values spread. */
const bind = (params: SqlParams): Bind => params as Bind;

class Statements {
  private readonly rows = new Map<string, Statement>();
  private readonly values = new Map<string, Statement>();

  constructor(private readonly db: Db) {}

  row(sql: string): Statement {
    let s = this.rows.get(sql);
    if (!s) this.rows.set(sql, (s = this.db.prepare(sql)));
    return s;
  }

  value(sql: string): Statement {
    let s = this.values.get(sql);
    if (!s) this.values.set(sql, (s = this.db.prepare(sql).pluck()));
    return s;
  }
}

/** The statements of one connection, run at once: the caller has made sure it may. */
class Direct {
  readonly dialect = 'sqlite' as const;

  constructor(
    private readonly db: Db,
    private readonly statements: Statements,
  ) {}

  get<T>(sql: string, params: SqlParams): T | undefined {
    return this.statements.row(sql).get(...bind(params)) as T | undefined;
  }

  all<T>(sql: string, params: SqlParams): T[] {
    return this.statements.row(sql).all(...bind(params)) as T[];
  }

  value<T>(sql: string, params: SqlParams): T | undefined {
    return this.statements.value(sql).get(...bind(params)) as T | undefined;
  }

  run(sql: string, params: SqlParams): RunResult {
    return { changes: this.statements.row(sql).run(...bind(params)).changes };
  }

  exec(sql: string): void {
    this.db.exec(sql);
  }

  iterate<T>(sql: string, params: SqlParams): IterableIterator<T> {
    return this.statements.row(sql).iterate(...bind(params)) as IterableIterator<T>;
  }
}

class SqliteTx extends TxHandle<Direct> {
  async *iterate<T>(sql: string, ...params: SqlParams): AsyncIterable<T> {
    yield* this.live().iterate<T>(sql, params);
  }

  protected async copy(bulk: BulkRows, rows: readonly (readonly SqlValue[])[]): Promise<number> {
    const direct = this.live();
    const sql = insertRowSql(bulk);
    let stored = 0;
    for (const row of rows) stored += direct.run(sql, row).changes;
    return stored;
  }
}

export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  private readonly direct: Direct;
  private readonly turn = new Turn();
  /** A query-only store cannot take the write lock; its transactions are plain snapshots. */
  private readonly begin: string;

  /** The connection itself, for what only the embedded engine does (pragmas, file backup, worker threads). */
  constructor(readonly db: Db) {
    this.direct = new Direct(db, new Statements(db));
    this.begin = db.pragma('query_only', { simple: true }) ? 'BEGIN' : 'BEGIN IMMEDIATE';
  }

  /** Runs one statement now if no transaction holds the connection, else after it. */
  private async when<T>(run: (direct: Direct) => T): Promise<T> {
    if (!this.turn.held) return run(this.direct);
    const release = await this.turn.take();
    try {
      return run(this.direct);
    } finally {
      release();
    }
  }

  get<T>(sql: string, ...params: SqlParams) {
    return this.when((d) => d.get<T>(sql, params));
  }
  all<T>(sql: string, ...params: SqlParams) {
    return this.when((d) => d.all<T>(sql, params));
  }
  value<T>(sql: string, ...params: SqlParams) {
    return this.when((d) => d.value<T>(sql, params));
  }
  run(sql: string, ...params: SqlParams) {
    return this.when((d) => d.run(sql, params));
  }
  exec(sql: string) {
    return this.when((d) => d.exec(sql));
  }

  /** Holds the connection until the caller has read every row (or stopped). */
  async *iterate<T>(sql: string, ...params: SqlParams): AsyncIterable<T> {
    const release = await this.turn.take();
    try {
      yield* this.direct.iterate<T>(sql, params);
    } finally {
      release();
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const release = await this.turn.take();
    const tx = new SqliteTx(this.direct);
    // The safety level can change only between transactions: while this one holds the connection.
    const synchronous = opts.durable === false ? (this.db.pragma('synchronous', { simple: true }) as number) : null;
    try {
      if (this.db.inTransaction) throw new StoreUsageError('a transaction is already open on this connection');
      if (synchronous !== null) this.db.pragma('synchronous = NORMAL');
      this.db.exec(this.begin);
      try {
        const result = await fn(tx);
        this.db.exec('COMMIT');
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw e;
      }
    } finally {
      if (synchronous !== null && !this.db.inTransaction) this.db.pragma(`synchronous = ${synchronous}`);
      tx.end();
      release();
    }
  }

  async close(): Promise<void> {
    const release = await this.turn.take();
    try {
      closeDatabase(this.db);
    } finally {
      release();
    }
  }
}

