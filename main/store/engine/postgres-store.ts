// The networked engine: the store interface over a node-postgres pool, for a
// station whose counters share one PostgreSQL server. The server holds what
// the SQLite file holds (ciphertext, blind indexes, sealed masked projections);
// sealing and unsealing stay on the counter PCs.
//
// Transactions keep the embedded engine's guarantee across counters: each one
// takes the station's write lock (a transaction-level advisory lock) at its
// start, as SQLite's BEGIN IMMEDIATE does, so read-then-write steps (the next
// pickup code, a chain head) never race another counter; reads outside a
// transaction do not wait. Within one process transactions also queue in the
// order they were asked for, and a store-level `run` is a transaction of its
// own, so it too waits for one in progress instead of slipping past it.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { BulkRows } from './bulk-rows';
import { COLUMN_TYPES, copySql, typesOf, UNIQUE_VIOLATION } from './postgres/copy';
import { copyBinary } from './postgres/copy-binary';
import { bindValues, numberPlaceholders, type Numbered } from './placeholders';
import { connectError, lostConnection, serverName, statementError } from './postgres-errors';
import { StoreUsageError, type RunResult, type SqlParams, type SqlValue, type Store, type TransactionOptions, type Tx } from './store';
import { Turn } from './turn';
import { TxHandle } from './tx-handle';

/** The advisory lock key every write transaction of a station takes (per database). */
const WRITE_LOCK = 0x5043_5354; // "PCST"
/** Rows a cursor fetches at a time: a scan holds at most this many in memory. */
const FETCH_ROWS = 500;

/** int8 (count, sum, bigint columns) as numbers, booleans as SQLite's 1/0: results read the same on both engines. */
const parsers: Record<number, (text: string) => unknown> = {
  20: (text) => {
    const n = Number(text);
    return Number.isSafeInteger(n) ? n : BigInt(text);
  },
  1700: Number,
  16: (text) => (text === 't' ? 1 : 0),
};
const storeTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    (format !== 'binary' && parsers[oid]) || pg.types.getTypeParser(oid, format)) as pg.CustomTypesConfig['getTypeParser'],
};

type Target = pg.Pool | pg.PoolClient;

/** Each distinct statement is numbered once and prepared under one name on every connection. */
class Statements {
  private readonly known = new Map<string, { name: string; numbered: Numbered }>();

  get(sql: string) {
    let s = this.known.get(sql);
    if (!s) this.known.set(sql, (s = { name: `pc${this.known.size + 1}`, numbered: numberPlaceholders(sql) }));
    return s;
  }
}

/**
 * Statements on the pool (any connection) or on one connection. One
 * connection answers one statement at a time, so statements sent to it at
 * once (a `Promise.all` in a transaction) wait their turn here, in the order
 * they were sent, as they would on SQLite's one connection.
 */
class Runner {
  readonly dialect = 'postgres' as const;
  /** The last statement sent to one connection; null for the pool. */
  private last: Promise<unknown> | null;

  constructor(
    private readonly target: Target,
    private readonly statements: Statements,
    private readonly server: string,
    oneConnection: boolean,
  ) {
    this.last = oneConnection ? Promise.resolve() : null;
  }

  private send<R>(job: () => Promise<R>): Promise<R> {
    if (!this.last) return job();
    const next = this.last.then(job, job);
    this.last = next.catch(() => undefined);
    return next;
  }

  private async query(sql: string, params: SqlParams, rowMode?: 'array') {
    const { name, numbered } = this.statements.get(sql);
    const values = bindValues(numbered, params);
    try {
      return await this.send(() => this.target.query({ name, text: numbered.text, values: values as unknown[], ...(rowMode ? { rowMode } : {}) }));
    } catch (e) {
      throw statementError(e, this.server);
    }
  }

  async get<T>(sql: string, params: SqlParams): Promise<T | undefined> {
    return (await this.query(sql, params)).rows[0] as T | undefined;
  }

  async all<T>(sql: string, params: SqlParams): Promise<T[]> {
    return (await this.query(sql, params)).rows as T[];
  }

  async value<T>(sql: string, params: SqlParams): Promise<T | undefined> {
    return ((await this.query(sql, params, 'array')).rows[0] as unknown[] | undefined)?.[0] as T | undefined;
  }

  async run(sql: string, params: SqlParams): Promise<RunResult> {
    return { changes: (await this.query(sql, params)).rowCount ?? 0 };
  }

  /** Unprepared and unparameterised (the simple protocol), so several statements may go at once. */
  async exec(sql: string): Promise<void> {
    try {
      await this.send(() => this.target.query(sql));
    } catch (e) {
      throw statementError(e, this.server);
    }
  }

  /** Statements without parameters sent at once; the first row of the last one's result. */
  async execRow(sql: string): Promise<Record<string, unknown> | undefined> {
    try {
      const results = await this.send(() => this.target.query(sql));
      const last = (Array.isArray(results) ? results[results.length - 1] : results) as pg.QueryResult;
      return last.rows[0] as Record<string, unknown> | undefined;
    } catch (e) {
      throw statementError(e, this.server);
    }
  }

  /** COPY … FROM STDIN of `data`, on this runner's one connection; the server's own error as it is. */
  async copyIn(sql: string, data: Buffer): Promise<void> {
    const client = this.target;
    if (client instanceof pg.Pool) throw new StoreUsageError('COPY needs a connection of its own');
    try {
      await this.send(() => pipeline(Readable.from([data]), client.query(copyFrom(sql))));
    } catch (e) {
      throw statementError(e, this.server);
    }
  }

  /** A server-side cursor, read FETCH_ROWS at a time; needs a transaction on this connection. */
  async *cursor<T>(sql: string, params: SqlParams, cursor: string): AsyncIterable<T> {
    const numbered = numberPlaceholders(sql);
    try {
      await this.send(() => this.target.query({ text: `DECLARE ${cursor} NO SCROLL CURSOR FOR ${numbered.text}`, values: bindValues(numbered, params) as unknown[] }));
    } catch (e) {
      throw statementError(e, this.server);
    }
    try {
      for (;;) {
        const page = await this.all<T>(`FETCH ${FETCH_ROWS} FROM ${cursor}`, []);
        yield* page;
        if (page.length < FETCH_ROWS) break;
      }
    } finally {
      // Also when the reader stops early; after a failure the transaction is aborted and this changes nothing.
      await this.exec(`CLOSE ${cursor}`).catch(() => undefined);
    }
  }
}

class PostgresTx extends TxHandle<Runner> {
  private cursors = 0;

  constructor(
    runner: Runner,
    /** Column types by table, known to the store (the binary format needs them). */
    private readonly columnTypes: Map<string, { name: string; type: number }[]>,
  ) {
    super(runner);
  }

  async *iterate<T>(sql: string, ...params: SqlParams): AsyncIterable<T> {
    yield* this.live().cursor<T>(sql, params, `pc_cursor${++this.cursors}`);
  }

  protected async copy(bulk: BulkRows, rows: readonly (readonly SqlValue[])[]): Promise<number> {
    const runner = this.live();
    let found = this.columnTypes.get(bulk.table);
    if (!found) this.columnTypes.set(bulk.table, (found = await runner.all<{ name: string; type: number }>(COLUMN_TYPES, [bulk.table])));
    const data = copyBinary(rows, typesOf(bulk, found));
    const sql = copySql(bulk);
    if (!bulk.skipConflictsOn.length) {
      await runner.copyIn(sql.direct, data);
      return rows.length;
    }
    // Straight in, as nearly always; only a copy that meets a stored key goes the longer way.
    await runner.exec('SAVEPOINT pc_copy');
    try {
      await runner.copyIn(sql.direct, data);
      await runner.exec('RELEASE pc_copy');
      return rows.length;
    } catch (e) {
      if ((e as { code?: unknown }).code !== UNIQUE_VIOLATION) throw e;
      await runner.exec('ROLLBACK TO pc_copy; RELEASE pc_copy');
    }
    await runner.exec(sql.stage);
    await runner.copyIn(sql.copy, data);
    return (await runner.run(sql.move, [])).changes;
  }
}

export interface PostgresOptions {
  /** No statement may write (the server refuses), for commands that only read. */
  readOnly?: boolean;
  /** Connections this process keeps at most. */
  maxConnections?: number;
  /** How long a transaction waits for the write lock before STORE_BUSY. */
  lockTimeoutMs?: number;
  /**
   * How long the server lets a transaction sit idle before ending its session:
   * a counter that froze or lost power mid-transaction must not hold the write
   * lock, and so every other counter, until TCP gives up hours later.
   */
  idleInTransactionMs?: number;
}

/**
 * What every write transaction checks once it holds the write lock, on
 * columns read in the same round trip as its BEGIN: e.g. that the station's
 * key generation is still the one this counter seals under. `check` throws
 * to refuse the transaction (it is rolled back, nothing written).
 */
export interface WriteCheck {
  /** The select list of one row (scalar subqueries), without SELECT. */
  select: string;
  check(row: Record<string, unknown>): void;
}

export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  private readonly statements = new Statements();
  private readonly columnTypes = new Map<string, { name: string; type: number }[]>();
  private readonly pooled: Runner;
  private readonly turn = new Turn();
  private readonly begin: string;
  private writeCheck: WriteCheck | null = null;

  private constructor(
    private readonly pool: pg.Pool,
    /** host:port/database, for error details (never the password). */
    readonly server: string,
    private readonly readOnly: boolean,
  ) {
    this.pooled = new Runner(pool, this.statements, server, false);
    // A reader's transaction is one snapshot (a verify or copy sees one state of the store), and takes no lock.
    this.begin = readOnly ? 'BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY' : `BEGIN; SELECT pg_advisory_xact_lock(${WRITE_LOCK})`;
  }

  /** From now on every write transaction runs `check` first (a reader's take no lock and write nothing). */
  checkWrites(check: WriteCheck): void {
    if (!this.readOnly) this.writeCheck = check;
  }

  /**
   * Connects once before returning, so a server that cannot be reached (or
   * refuses the login, or fails the certificate check) is reported at once
   * with its own code and nothing else happens.
   */
  static async open(
    url: string,
    { readOnly = false, maxConnections = 4, lockTimeoutMs = 20_000, idleInTransactionMs = 60_000 }: PostgresOptions = {},
  ): Promise<PostgresStore> {
    const server = serverName(url);
    const pool = new pg.Pool({
      connectionString: url,
      max: maxConnections,
      connectionTimeoutMillis: 5000,
      idleTimeoutMillis: 30_000,
      keepAlive: true,
      application_name: 'privacy-counter',
      types: storeTypes,
      options: [
        `-c lock_timeout=${lockTimeoutMs}`,
        `-c idle_in_transaction_session_timeout=${idleInTransactionMs}`,
        ...(readOnly ? ['-c default_transaction_read_only=on'] : []),
      ].join(' '),
    });
    // An idle connection whose server went away: the pool drops it, and the next statement reports the loss.
    pool.on('error', () => undefined);
    try {
      (await pool.connect()).release();
    } catch (e) {
      await pool.end().catch(() => undefined);
      throw connectError(e, server);
    }
    return new PostgresStore(pool, server, readOnly);
  }

  /**
   * A pooled connection of our own. While it is out, the pool no longer
   * listens for its errors: a server dying under it would be an uncaught
   * 'error' event, so we listen (the statement in flight fails with it anyway).
   */
  private async checkout(): Promise<{ client: pg.PoolClient; release(failure?: unknown): void }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (e) {
      throw statementError(e, this.server);
    }
    const ignore = () => undefined;
    client.on('error', ignore);
    return {
      client,
      release(failure?: unknown) {
        client.off('error', ignore);
        // A connection that failed is discarded, not handed to the next caller.
        client.release(failure !== undefined && lostConnection(failure));
      },
    };
  }

  private async withClient<T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const { client, release } = await this.checkout();
    let failure: unknown;
    try {
      return await fn(client);
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      release(failure);
    }
  }

  get<T>(sql: string, ...params: SqlParams) {
    return this.pooled.get<T>(sql, params);
  }
  all<T>(sql: string, ...params: SqlParams) {
    return this.pooled.all<T>(sql, params);
  }
  value<T>(sql: string, ...params: SqlParams) {
    return this.pooled.value<T>(sql, params);
  }
  run(sql: string, ...params: SqlParams) {
    return this.transaction((tx) => tx.run(sql, ...params));
  }
  /** Outside any transaction of ours: schema and maintenance (VACUUM cannot run in one). */
  exec(sql: string) {
    return this.pooled.exec(sql);
  }

  /** A consistent snapshot read through a cursor on a connection of its own; writers do not wait for it. */
  async *iterate<T>(sql: string, ...params: SqlParams): AsyncIterable<T> {
    const { client, release } = await this.checkout();
    const runner = new Runner(client, this.statements, this.server, true);
    let failure: unknown;
    try {
      await runner.exec('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      yield* runner.cursor<T>(sql, params, 'pc_scan');
    } catch (e) {
      failure = e;
      throw e;
    } finally {
      // Also reached when the reader stops early: the snapshot ends either way.
      if (failure === undefined || !lostConnection(failure)) await runner.exec('COMMIT').catch(() => undefined);
      release(failure);
    }
  }

  async transaction<T>(fn: (tx: Tx) => Promise<T>, opts: TransactionOptions = {}): Promise<T> {
    const release = await this.turn.take();
    try {
      return await this.withClient(async (client) => {
        const runner = new Runner(client, this.statements, this.server, true);
        const begin = opts.durable === false ? `${this.begin}; SET LOCAL synchronous_commit = off` : this.begin;
        const check = this.writeCheck;
        // The check's read goes with BEGIN and runs once the lock is held: no round trip of its own.
        const row = check ? await runner.execRow(`${begin}; SELECT ${check.select}`) : await runner.exec(begin);
        const tx = new PostgresTx(runner, this.columnTypes);
        try {
          if (check) check.check(row ?? {});
          const result = await fn(tx);
          await runner.exec('COMMIT');
          return result;
        } catch (e) {
          // After a lost connection the server has already rolled back; there is nothing to send.
          await runner.exec('ROLLBACK').catch(() => undefined);
          throw e;
        } finally {
          tx.end();
        }
      });
    } finally {
      release();
    }
  }

  async close(): Promise<void> {
    const release = await this.turn.take();
    try {
      await this.pool.end();
    } finally {
      release();
    }
  }
}
