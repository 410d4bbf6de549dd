import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { isDeadlock } from './errors';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { SqliteGate } from './sqlite-gate';
import { StatementCountingLogger, noteStatement } from './statement-counter';

export type DatabaseConfig = { dialect: 'mysql'; url: string; poolSize: number } | { dialect: 'sqlite'; path: string };

export const DEFAULT_SQLITE_PATH = 'data/nokkel.sqlite';

/** The part of mysql2's (callback) pool that TypeORM creates and `read` uses. */
interface PreparedPool {
  execute(sql: string, params: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
}

/** Reads DATABASE_URL: `mysql://…` / `mariadb://…`, `sqlite:<path>`, or unset for the embedded file. */
export function parseDatabaseUrl(url: string | undefined, poolSize = 10): DatabaseConfig {
  if (!url) return { dialect: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^(mysql|mariadb):\/\//.test(url))
    return {
      dialect: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      poolSize,
    };
  if (url.startsWith('sqlite:')) {
    const path = url.slice('sqlite:'.length).replace(/^\/\//, '');
    if (!path) throw new Error('DATABASE_URL sqlite:<path> needs a path (or :memory:)');
    return { dialect: 'sqlite', path };
  }
  throw new Error(`DATABASE_URL must start with mysql://, mariadb:// or sqlite: (got ${url.split(':')[0]}:…)`);
}

/** Describes the database without credentials, for start-up output and test names. */
export function describeDatabase(config: DatabaseConfig): string {
  if (config.dialect === 'sqlite') return `SQLite (${config.path})`;
  const u = new URL(config.url);
  return `MySQL/MariaDB (${u.hostname}:${u.port || 3306}${u.pathname})`;
}

/** The database: a TypeORM DataSource plus a transaction helper that is safe on both dialects. */
export class Database {
  private source: DataSource | null = null;
  private readonly gate: SqliteGate | null;
  /** Transactions rolled back by a deadlock (or lock wait timeout) and run again: locks taken in a fixed order keep this at 0. */
  deadlockRetries = 0;

  constructor(
    readonly config: DatabaseConfig,
    /** Every entity of the data model: `ENTITIES` of modules/entities.ts (db/ never imports modules/). */
    private readonly entities: NonNullable<DataSourceOptions['entities']>,
    private readonly onError: (message: string) => void = () => {},
  ) {
    this.gate = config.dialect === 'sqlite' ? new SqliteGate() : null;
  }

  get dataSource(): DataSource {
    if (!this.source) throw new Error('Database.connect() has not been called');
    return this.source;
  }

  /** MariaDB needs TypeORM's `mariadb` type to read its schema back correctly; ask the server which it is. */
  private static async flavour(url: string): Promise<'mysql' | 'mariadb'> {
    const connection = await createConnection({
      uri: url,
      connectTimeout: 5000,
    });
    try {
      const [rows] = await connection.query('SELECT VERSION() AS version');
      return /mariadb/i.test(String((rows as { version: string }[])[0]?.version)) ? 'mariadb' : 'mysql';
    } finally {
      await connection.end();
    }
  }

  private async createDataSource(): Promise<DataSource> {
    const config = this.config;
    const common = {
      entities: this.entities,
      // one history for both dialects: the schema is never synchronised from the entities, where
      // a renamed or retyped column would be dropped with its data
      migrations: MIGRATIONS,
      namingStrategy: new SnakeNamingStrategy(),
      logger: new StatementCountingLogger(this.onError),
      synchronize: false,
      migrationsRun: false,
    };
    if (config.dialect === 'mysql') {
      return new DataSource({
        ...common,
        type: await Database.flavour(config.url),
        url: config.url,
        timezone: 'Z',
        charset: 'utf8mb4_unicode_ci',
        poolSize: config.poolSize,
        supportBigNumbers: true,
        // trace: false — mysql2 otherwise captures a stack trace for every query (~5% of a partner read)
        extra: { connectTimeout: 5000, trace: false },
      });
    }
    if (config.path !== ':memory:') mkdirSync(dirname(config.path), { recursive: true });
    return new DataSource({
      ...common,
      type: 'better-sqlite3',
      database: config.path,
      enableWAL: config.path !== ':memory:',
      prepareDatabase: (db: { pragma(sql: string): unknown }) => {
        db.pragma('foreign_keys = ON');
        db.pragma('busy_timeout = 5000');
      },
    });
  }

  get dialect(): DatabaseConfig['dialect'] {
    return this.config.dialect;
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  async connect(): Promise<void> {
    this.source ??= await this.createDataSource();
    await this.source.initialize();
    this.gate?.install(this.source);
  }

  /** Brings the schema up to date by running the pending migrations (on both dialects); returns their names. */
  async prepareSchema(): Promise<string[]> {
    const ran = await this.dataSource.runMigrations({ transaction: 'each' });
    return ran.map((m) => m.name);
  }

  /**
   * Runs `work` in one transaction; on SQLite it has the connection to itself meanwhile. On
   * MySQL/MariaDB a transaction chosen as a deadlock victim is retried (it was rolled back whole).
   */
  async transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    if (this.gate) return this.gate.transaction(this.dataSource, work);
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.dataSource.transaction(work);
      } catch (error) {
        if (attempt >= 6 || !isDeadlock(error)) throw error;
        this.deadlockRetries += 1;
        await new Promise((resolve) => setTimeout(resolve, 5 + Math.random() * 20 * attempt));
      }
    }
  }

  /**
   * A read of fixed shape, on the hot paths: a prepared statement on MySQL/MariaDB (parsed once
   * per connection, not per request), TypeORM's query on SQLite. Not for use inside a transaction.
   */
  async read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    if (this.dialect !== 'mysql') return this.manager.query(sql, params);
    noteStatement(sql);
    const pool = (this.dataSource.driver as unknown as { pool: PreparedPool }).pool;
    return new Promise((resolve, reject) =>
      pool.execute(sql, params, (error, rows) => (error ? reject(error) : resolve(rows as Record<string, unknown>[]))),
    );
  }

  async ping(): Promise<boolean> {
    try {
      await this.dataSource.query('SELECT 1');
      return true;
    } catch {
      return false;
    }
  }

  async close(): Promise<void> {
    if (this.source?.isInitialized) await this.source.destroy();
  }
}
