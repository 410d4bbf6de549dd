import { AsyncLocalStorage } from 'node:async_hooks';
import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { QueryFailedError } from 'typeorm/error/QueryFailedError';
import { QueryResult } from 'typeorm/query-runner/QueryResult';

/** The part of better-sqlite3 used here (TypeORM's driver has the library loaded as `sqlite`). */
interface SqliteStatement {
  readonly reader: boolean;
  all(...values: unknown[]): unknown[];
}
interface SqliteConnection {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  close(): void;
}
type SqliteLibrary = new (path: string, options: { readonly: boolean; fileMustExist: boolean }) => SqliteConnection;

/** Prepared statements kept on the reading connection (by SQL text). */
const READER_STATEMENTS = 500;
/** A plain read: a SELECT (or a WITH … SELECT), nothing that could write. */
const PLAIN_READ = /^\s*(select|with)\b/i;

/**
 * SQLite has a single connection in TypeORM, so two requests' transactions would nest into each
 * other and a plain read could see another request's uncommitted rows. The gate gives a
 * transaction the connection to itself: other writes wait until it commits or rolls back.
 *
 * Plain reads of other requests do not wait for it: while a transaction holds the connection they
 * run on a second, read-only connection, which (the database being in WAL mode) sees the last
 * committed state — what they would have seen a moment earlier, never the transaction's
 * uncommitted rows. So a long write (a bulk link of thousands of clients) delays another tenant's
 * read by one of its statements at most, not by the whole transaction (issue 19).
 */
export class SqliteGate {
  private readonly owner = new AsyncLocalStorage<symbol>();
  private holder: symbol | null = null;
  private released: Promise<void> = Promise.resolve();
  private reader: SqliteConnection | null = null;
  private readonly statements = new Map<string, SqliteStatement>();

  install(dataSource: DataSource): void {
    const runner: QueryRunner = dataSource.driver.createQueryRunner('master');
    const original = runner.query.bind(runner) as (...args: unknown[]) => Promise<unknown>;
    const path = (dataSource.options as { database?: string }).database;
    // an in-memory database is private to its one connection (and has no write-ahead log)
    if (path && path !== ':memory:') {
      const Sqlite = (dataSource.driver as unknown as { sqlite: SqliteLibrary }).sqlite;
      this.reader = new Sqlite(path, { readonly: true, fileMustExist: true });
      // a checkpoint in progress: do not block the event loop waiting, queue behind the writer instead
      this.reader.pragma('busy_timeout = 0');
    }
    const gated = async (...args: unknown[]): Promise<unknown> => {
      if (this.holder !== null && this.holder !== this.owner.getStore()) {
        const [sql, parameters, structured] = args as [string, unknown[] | undefined, boolean | undefined];
        const read = this.readBeside(dataSource, runner, sql, parameters ?? [], structured ?? false);
        if (read !== undefined) return read;
      }
      await this.waitTurn();
      return original(...args);
    };
    runner.query = gated as QueryRunner['query'];
  }

  /**
   * Runs a plain read on the reading connection, as TypeORM's runner would on the main one
   * (booleans bound as 0/1, logged, errors as QueryFailedError); undefined when the statement is
   * not a plain read, or the reading connection is unavailable, so the caller waits its turn.
   */
  private readBeside(
    dataSource: DataSource,
    runner: QueryRunner,
    sql: string,
    parameters: unknown[],
    structured: boolean,
  ): unknown {
    if (!this.reader || typeof sql !== 'string' || !PLAIN_READ.test(sql) || !Array.isArray(parameters))
      return undefined;
    const values = parameters.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    let rows: unknown[];
    try {
      const statement = this.statement(sql);
      if (!statement?.reader) return undefined;
      dataSource.logger.logQuery(sql, values, runner);
      rows = statement.all(...values);
    } catch (error) {
      if ((error as { code?: string }).code === 'SQLITE_BUSY') return undefined;
      dataSource.logger.logQueryError(error as Error, sql, values, runner);
      return Promise.reject(new QueryFailedError(sql, values, error as Error));
    }
    if (!structured) return Promise.resolve(rows);
    const result = new QueryResult();
    result.raw = rows;
    result.records = rows;
    return Promise.resolve(result);
  }

  private statement(sql: string): SqliteStatement | undefined {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.reader!.prepare(sql);
      if (this.statements.size >= READER_STATEMENTS) this.statements.delete(this.statements.keys().next().value!);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private async waitTurn(): Promise<void> {
    const me = this.owner.getStore();
    while (this.holder !== null && this.holder !== me) await this.released;
  }

  async transaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
    const me = Symbol('tx');
    while (this.holder !== null) await this.released;
    this.holder = me;
    let release!: () => void;
    this.released = new Promise((resolve) => (release = resolve));
    try {
      return await this.owner.run(me, () => dataSource.transaction(work));
    } finally {
      this.holder = null;
      release();
    }
  }

  /** Closes the reading connection (the main one is TypeORM's). */
  close(): void {
    this.statements.clear();
    this.reader?.close();
    this.reader = null;
  }
}
