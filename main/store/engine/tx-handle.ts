// What a transaction handle is on every engine: the statements of the one
// connection its transaction holds, refused once the transaction has ended,
// and savepoints for nested units. Each engine adds how it iterates.
import { checkBulkRows, type BulkRows } from './bulk-rows';
import { StoreUsageError, type Dialect, type RunResult, type SqlParams, type SqlValue, type Tx } from './store';

/** One connection's statements, values as one array; the embedded engine answers at once, a server later. */
export interface Connection {
  readonly dialect: Dialect;
  get<T>(sql: string, params: SqlParams): T | undefined | Promise<T | undefined>;
  all<T>(sql: string, params: SqlParams): T[] | Promise<T[]>;
  value<T>(sql: string, params: SqlParams): T | undefined | Promise<T | undefined>;
  run(sql: string, params: SqlParams): RunResult | Promise<RunResult>;
  exec(sql: string): void | Promise<void>;
}

export abstract class TxHandle<C extends Connection> implements Tx {
  readonly dialect: Dialect;
  private open = true;
  private depth = 0;

  constructor(private readonly connection: C) {
    this.dialect = connection.dialect;
  }

  protected live(): C {
    if (!this.open) throw new StoreUsageError('transaction used after it ended');
    return this.connection;
  }

  end(): void {
    this.open = false;
  }

  async get<T>(sql: string, ...params: SqlParams): Promise<T | undefined> {
    return this.live().get<T>(sql, params);
  }
  async all<T>(sql: string, ...params: SqlParams): Promise<T[]> {
    return this.live().all<T>(sql, params);
  }
  async value<T>(sql: string, ...params: SqlParams): Promise<T | undefined> {
    return this.live().value<T>(sql, params);
  }
  async run(sql: string, ...params: SqlParams): Promise<RunResult> {
    return this.live().run(sql, params);
  }
  async exec(sql: string): Promise<void> {
    await this.live().exec(sql);
  }

  abstract iterate<T>(sql: string, ...params: SqlParams): AsyncIterable<T>;

  async copyRows(table: string, columns: readonly string[], rows: readonly (readonly SqlValue[])[], skipConflictsOn: readonly string[] = []): Promise<number> {
    const bulk = { table, columns, skipConflictsOn };
    checkBulkRows(bulk);
    this.live();
    return rows.length ? this.copy(bulk, rows) : 0;
  }

  /** The engine's bulk path; rows is not empty. */
  protected abstract copy(bulk: BulkRows, rows: readonly (readonly SqlValue[])[]): Promise<number>;

  /** Released when `fn` resolves; rolled back alone (the transaction goes on) when it throws. */
  async savepoint<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    const connection = this.live();
    const name = `sp${++this.depth}`;
    try {
      await connection.exec(`SAVEPOINT ${name}`);
      try {
        const result = await fn(this);
        await connection.exec(`RELEASE ${name}`);
        return result;
      } catch (e) {
        await connection.exec(`ROLLBACK TO ${name}; RELEASE ${name}`);
        throw e;
      }
    } finally {
      this.depth--;
    }
  }
}
