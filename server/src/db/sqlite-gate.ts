import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { QueryFailedError } from 'typeorm/error/QueryFailedError';
import { QueryResult } from 'typeorm/query-runner/QueryResult';
import { currentWorkScope } from './work-scope';
import { ReaderPool, SqliteWorker, type WorkerAnswer } from './sqlite-worker';

/** The part of better-sqlite3 used here (TypeORM's driver has the library loaded as `sqlite`). */
interface SqliteConnection {
  pragma(sql: string, options?: { simple: boolean }): unknown;
}
interface SqliteLibrary {
  SqliteError: new (message: string, code: string) => Error;
}

/** Prepared statements kept per worker connection (by SQL text). */
const WORKER_STATEMENTS = 500;
/** Reader workers: plain reads run on them, beside each other and beside the writer. */
const READERS = 2;
/** A plain read: a SELECT (or a WITH … SELECT), nothing that could write. */
const PLAIN_READ = /^\s*(select|with)\b/i;
/** Answered by `execute` when a reader cannot take the statement: run it on the writer. */
const ELSEWHERE = Symbol('elsewhere');

/**
 * SQLite has a single connection in TypeORM, so two requests' transactions would nest into each
 * other and a plain read could see another request's uncommitted rows. The gate gives a
 * transaction the writing connection to itself: other writes wait until it commits or rolls back.
 *
 * Statements do not run on the event loop (better-sqlite3 is synchronous, and a bulk link's
 * statements take hundreds of milliseconds): the gate replaces the query runner's `query` with a
 * message to a worker thread. One writer worker owns the writing connection; plain reads of
 * requests outside a transaction, and of other requests beside one, go to a small pool of reader
 * workers with read-only connections (one statement each at a time, a tenant on at most half of
 * them), which (the database being in WAL mode) see the last committed state — never another
 * request's uncommitted rows. So a long write delays neither the event loop nor another tenant's
 * read (issue 19).
 *
 * Migrations (run or undone) and the schema builder run on TypeORM's own main-thread connection,
 * whose foreign keys they switch off and on; they hold the gate as a transaction does, so the
 * writer worker is idle meanwhile and there is never a second writer. An in-memory database cannot be shared between connections: with ":memory:"
 * there are no workers and every statement runs on the main thread, as before.
 */
export class SqliteGate {
  private readonly owner = new AsyncLocalStorage<symbol>();
  private holder: symbol | null = null;
  private released: Promise<void> = Promise.resolve();
  private writer: SqliteWorker | null = null;
  private readers: ReaderPool | null = null;
  /** Statements go to the main-thread connection (during migrations). */
  private direct = false;

  install(dataSource: DataSource): void {
    const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
    const original = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    const path = (dataSource.options as { database?: string }).database;
    if (path && path !== ':memory:') this.start(dataSource, path);
    const gated = async (sql: string, parameters: unknown[] = [], structured = false): Promise<unknown> => {
      const onMain = () => !this.writer?.alive || this.direct || !Array.isArray(parameters) || runner.isReleased;
      if (onMain()) {
        await this.waitTurn();
        // a migration holds the gate while it runs on the main connection: after it, the workers again
        if (onMain()) return original(sql, parameters, structured);
      }
      const writer = this.writer!;
      // better-sqlite3 cannot bind booleans: 0/1, as TypeORM's runner binds them
      const values = parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
      dataSource.logger.logQuery(sql, values, runner);
      // a plain read goes to a reader unless it belongs to the transaction holding the writer, or
      // to a transaction TypeORM opened on the runner by itself (it may read its own rows)
      const mine = this.holder !== null && this.holder === this.owner.getStore();
      const beside = this.holder !== null ? !mine : !runner.isTransactionActive;
      if (beside && typeof sql === 'string' && PLAIN_READ.test(sql)) {
        const readers = this.readers;
        const lane = currentWorkScope()?.tenant ?? null;
        const reader = await readers?.acquire(lane);
        if (readers && reader) {
          let read: unknown;
          try {
            read = await this.execute(dataSource, runner, reader, sql, values, structured, true);
          } finally {
            readers.release(reader, lane);
          }
          if (read !== ELSEWHERE) return read;
        }
      }
      await this.waitTurn();
      return this.execute(dataSource, runner, this.writer ?? writer, sql, values, structured, false);
    };
    runner.query = gated as QueryRunner['query'];
  }

  /** Starts the workers, and hands the connection back to the main thread while migrations run. */
  private start(dataSource: DataSource, path: string): void {
    const main = (dataSource.driver as unknown as { databaseConnection: SqliteConnection }).databaseConnection;
    const setting = (name: string) => `${name} = ${String(main.pragma(name, { simple: true }))}`;
    const writing = [setting('foreign_keys'), setting('busy_timeout'), setting('synchronous')];
    this.writer = new SqliteWorker({ path, readonly: false, pragmas: writing, cacheSize: WORKER_STATEMENTS });
    // a checkpoint in progress: do not wait in the reader, run the read on the writer instead
    const reading = ['busy_timeout = 0'];
    this.readers = new ReaderPool(
      Array.from(
        { length: READERS },
        () => new SqliteWorker({ path, readonly: true, pragmas: reading, cacheSize: WORKER_STATEMENTS }),
      ),
    );
    // migrations (run, undone) and the schema builder (a synchronisation, or its log of pending
    // changes) run on the main-thread connection, from the start of their transaction to its end
    // (they switch its foreign keys off and on, and read its pragmas), holding the gate meanwhile
    const onMain = (owner: object, name: string) => {
      const target = owner as Record<string, (...args: unknown[]) => Promise<unknown>>;
      const method = target[name].bind(owner);
      target[name] = (...args: unknown[]) => this.onMainThread(() => method(...args));
    };
    for (const name of ['runMigrations', 'undoLastMigration', 'synchronize']) onMain(dataSource, name);
    const driver = dataSource.driver;
    const createSchemaBuilder = driver.createSchemaBuilder.bind(driver);
    driver.createSchemaBuilder = () => {
      const builder = createSchemaBuilder();
      for (const name of ['build', 'log']) onMain(builder, name);
      return builder;
    };
  }

  /** Runs `work` on the main-thread connection with the gate held (re-entrant). */
  private onMainThread<T>(work: () => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      const before = this.direct;
      this.direct = true;
      try {
        return await work();
      } finally {
        this.direct = before;
        if (!before) await this.reloadSchema();
      }
    });
  }

  /**
   * Has every worker's connection read the schema again after work on the main thread (which may
   * have changed it). A statement run against an old schema is prepared again by SQLite itself,
   * but an EXPLAIN is not run, only planned: it would show the plan without the new indexes.
   */
  private async reloadSchema(): Promise<void> {
    const workers = [this.writer, ...(this.readers?.all ?? [])].filter((w): w is SqliteWorker => w?.alive === true);
    await Promise.all(workers.map((w) => w.run('SELECT count(*) FROM sqlite_master', [], true).catch(() => undefined)));
  }

  /**
   * Runs one statement on a worker and answers as TypeORM's better-sqlite3 runner does: rows (or,
   * structured, a QueryResult with `raw` and `records`) for a read; `affected` and `raw` (the last
   * inserted row id) for a write; a failure logged and thrown as a QueryFailedError around the
   * driver's own error (a SqliteError with its `code`, which db/errors.ts reads). A reader that
   * cannot take the statement (not a plain read, busy, stopped) answers ELSEWHERE.
   */
  private async execute(
    dataSource: DataSource,
    runner: QueryRunner,
    worker: SqliteWorker,
    sql: string,
    values: unknown[],
    structured: boolean,
    reader: boolean,
  ): Promise<unknown> {
    const started = Date.now();
    let answer: WorkerAnswer;
    try {
      answer = await worker.run(sql, values, reader);
    } catch (stopped) {
      if (reader) return ELSEWHERE;
      dataSource.logger.logQueryError(stopped as Error, sql, values, runner);
      throw new QueryFailedError(sql, values, stopped as Error);
    }
    if ('notRead' in answer || (reader && 'error' in answer && answer.error.code === 'SQLITE_BUSY')) return ELSEWHERE;
    if ('error' in answer) {
      const error = this.driverError(dataSource, answer.error);
      dataSource.logger.logQueryError(error, sql, values, runner);
      throw new QueryFailedError(sql, values, error);
    }
    const slow = dataSource.options.maxQueryExecutionTime;
    const took = Date.now() - started;
    if (slow && took > slow) dataSource.logger.logQuerySlow(took, sql, values, runner);
    const result = new QueryResult();
    if ('rows' in answer) {
      const rows = answer.blobs ? answer.rows.map(withBuffers) : answer.rows;
      result.raw = rows;
      result.records = rows;
    } else {
      result.affected = answer.changes;
      result.raw = answer.lastInsertRowid;
    }
    return structured ? result : result.raw;
  }

  /** The driver's error as better-sqlite3 threw it in the worker (SqliteError, TypeError, RangeError…). */
  private driverError(
    dataSource: DataSource,
    error: { name: string; message: string; code?: string; sqlite: boolean },
  ) {
    if (error.sqlite) {
      const { SqliteError } = (dataSource.driver as unknown as { sqlite: SqliteLibrary }).sqlite;
      return new SqliteError(error.message, error.code ?? 'SQLITE_ERROR');
    }
    const kinds: Record<string, ErrorConstructor> = { TypeError, RangeError, SyntaxError };
    return new (kinds[error.name] ?? Error)(error.message);
  }

  private async waitTurn(): Promise<void> {
    const me = this.owner.getStore();
    while (this.holder !== null && this.holder !== me) await this.released;
  }

  transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.exclusive(() => dataSource.transaction(work));
  }

  /** Runs `work` with the writing connection to itself: other transactions and writes wait for it. */
  private async exclusive<T>(work: () => Promise<T>): Promise<T> {
    if (this.holder !== null && this.holder === this.owner.getStore()) return work();
    const me = Symbol('tx');
    while (this.holder !== null) await this.released;
    this.holder = me;
    let release!: () => void;
    this.released = new Promise((resolve) => (release = resolve));
    try {
      return await this.owner.run(me, work);
    } finally {
      this.holder = null;
      release();
    }
  }

  /** Closes the workers' connections and ends their threads (the main connection is TypeORM's). */
  async close(): Promise<void> {
    const { writer, readers } = this;
    this.writer = null;
    this.readers = null;
    await Promise.all([writer?.close(), readers?.close()]);
  }
}

/** A row whose BLOBs crossed from the worker as Uint8Arrays, with them as Buffers again (as the driver gives them). */
function withBuffers(row: Record<string, unknown>): Record<string, unknown> {
  for (const key in row) {
    const value = row[key];
    if (value instanceof Uint8Array && !Buffer.isBuffer(value))
      row[key] = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
  return row;
}
