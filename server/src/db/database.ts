import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { DataSource, type DataSourceOptions, type EntityManager } from 'typeorm';
import { isDeadlock } from './errors';
import { MIGRATIONS } from './migrations';
import { SnakeNamingStrategy } from './naming-strategy';
import { PoolShare } from './pool-share';
import { currentWorkScope, inScopeWith } from './work-scope';
import { SqliteGate } from './sqlite-gate';
import { StatementCountingLogger, noteStatement } from './statement-counter';

export type DatabaseConfig =
  | {
      dialect: 'mysql';
      url: string;
      poolSize: number;
      /** Read replicas (DATABASE_REPLICA_URLS): only lag-tolerant list reads go there (docs/SCALING.md). */
      replicaUrls?: string[];
    }
  | { dialect: 'sqlite'; path: string };

export const DEFAULT_SQLITE_PATH = 'data/nokkel.sqlite';

/** Connections of the MySQL/MariaDB pool: checked out, idle, requests waiting for one, and the most it opens. */
export interface PoolStats {
  inUse: number;
  idle: number;
  waiting: number;
  max: number;
}

/** The part of mysql2's (callback) pool that TypeORM creates and `read` uses. */
interface PreparedPool {
  execute(sql: string, params: unknown[], callback: (error: Error | null, rows: unknown) => void): void;
}

/** A pooled connection of mysql2's (callback) pool cluster, which TypeORM creates with replicas. */
interface ClusterConnection extends PreparedPool {
  ping(callback: (error: Error | null) => void): void;
  release(): void;
}

/** The part of mysql2's pool cluster (TypeORM's `replication`) that the database uses: nodes MASTER, SLAVE0… */
interface PoolCluster {
  of(pattern: string): PreparedPool;
  getConnection(pattern: string, callback: (error: Error | null, connection: ClusterConnection) => void): void;
}

/**
 * Marks the current request as a query (no writes): its lag-tolerant reads may go to a replica.
 * Outside a request's scope (work-scope.ts) every read goes to the primary.
 */
export function allowReplicaReads(): void {
  const scope = currentWorkScope();
  if (scope) scope.replicaAllowed = true;
}

/** A connection-level failure (the replica is down or went away), not an error of the statement. */
function isConnectionFailure(error: unknown): boolean {
  const e = error as { fatal?: boolean; code?: string } | null;
  return Boolean(e?.fatal) || /^(ECONNREFUSED|ETIMEDOUT|ENOTFOUND|EHOSTUNREACH|POOL_|PROTOCOL_)/.test(e?.code ?? '');
}

/**
 * Reads DATABASE_URL: `mysql://…` / `mariadb://…`, `sqlite:<path>`, or unset for the embedded file;
 * DATABASE_REPLICA_URLS (comma-separated `mysql://…`) adds read replicas, MySQL/MariaDB only.
 */
export function parseDatabaseUrl(url: string | undefined, poolSize = 10, replicaUrls?: string): DatabaseConfig {
  const replicas = (replicaUrls ?? '')
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean);
  for (const replica of replicas)
    if (!/^(mysql|mariadb):\/\//.test(replica))
      throw new Error(`DATABASE_REPLICA_URLS must list mysql:// or mariadb:// URLs (got ${replica.split(':')[0]}:…)`);
  if (replicas.length && !/^(mysql|mariadb):\/\//.test(url ?? ''))
    throw new Error('DATABASE_REPLICA_URLS needs a MySQL/MariaDB DATABASE_URL');
  if (!url) return { dialect: 'sqlite', path: DEFAULT_SQLITE_PATH };
  if (/^(mysql|mariadb):\/\//.test(url))
    return {
      dialect: 'mysql',
      url: url.replace(/^mariadb:/, 'mysql:'),
      poolSize,
      ...(replicas.length ? { replicaUrls: replicas.map((r) => r.replace(/^mariadb:/, 'mysql:')) } : {}),
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
  const where = (url: string) => {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 3306}${u.pathname}`;
  };
  const replicas = config.replicaUrls?.length ? `, replicas ${config.replicaUrls.map(where).join(', ')}` : '';
  return `MySQL/MariaDB (${where(config.url)}${replicas})`;
}

/** The database: a TypeORM DataSource plus a transaction helper that is safe on both dialects. */
export class Database {
  private source: DataSource | null = null;
  private readonly gate: SqliteGate | null;
  /** MySQL/MariaDB: each company's share of the pool (pool-share.ts), for TypeORM's statements and `read`. */
  private share: PoolShare | null = null;
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
        // TypeORM's replication (a mysql2 pool cluster): every statement goes to the primary unless
        // asked otherwise — only `readLagTolerant` asks; a replica that fails to connect is taken
        // out for 5 s and its reads go to another replica or the primary
        ...(config.replicaUrls?.length
          ? {
              replication: {
                master: { url: config.url },
                slaves: config.replicaUrls.map((url) => ({ url })),
                defaultMode: 'master' as const,
                canRetry: true,
                removeNodeErrorCount: 1,
                restoreNodeTimeout: 5000,
              },
            }
          : {}),
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
    // one tenant's plain statements hold at most half of the pool (issue 19, fairness)
    if (this.config.dialect === 'mysql') {
      this.share = new PoolShare(Math.max(1, Math.floor(this.config.poolSize / 2)));
      this.share.install(this.source.driver as unknown as Parameters<PoolShare['install']>[0]);
    }
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
        return await inScopeWith({ inTransaction: true }, () => this.dataSource.transaction(work));
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
   * It takes the same lane of the pool as TypeORM's statements (pool-share.ts): a heavy operation's
   * prepared reads run one at a time too.
   */
  async read(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    if (this.dialect !== 'mysql') return this.manager.query(sql, params);
    noteStatement(sql);
    const driver = this.dataSource.driver as unknown as { pool?: PreparedPool; poolCluster?: PoolCluster };
    const pool = driver.poolCluster ? driver.poolCluster.of('MASTER') : driver.pool!;
    const leave = await this.share?.enter();
    try {
      return await new Promise((resolve, reject) =>
        pool.execute(sql, params, (error, rows) =>
          error ? reject(error) : resolve(rows as Record<string, unknown>[]),
        ),
      );
    } finally {
      leave?.();
    }
  }

  /** The replicas' pool cluster, when DATABASE_REPLICA_URLS is set. */
  private get cluster(): PoolCluster | null {
    if (this.config.dialect !== 'mysql' || !this.config.replicaUrls?.length) return null;
    return (this.dataSource.driver as unknown as { poolCluster?: PoolCluster }).poolCluster ?? null;
  }

  /**
   * A read that tolerates replication lag (history lists: the event feed, the sensitive-read log):
   * on a replica when there is one and the request is a query; on the primary in a mutation (it
   * may read its own writes), outside a request, or when no replica answers. docs/SCALING.md lists
   * which reads use it.
   */
  async readLagTolerant(sql: string, params: unknown[]): Promise<Record<string, unknown>[]> {
    const cluster = this.cluster;
    if (!cluster || !currentWorkScope()?.replicaAllowed) return this.read(sql, params);
    const connection = await new Promise<ClusterConnection | null>((resolve) =>
      cluster.getConnection('SLAVE*', (error, c) => resolve(error ? null : c)),
    );
    if (!connection) return this.read(sql, params);
    noteStatement(sql);
    try {
      return await new Promise((resolve, reject) =>
        connection.execute(sql, params, (error, rows) =>
          error ? reject(error) : resolve(rows as Record<string, unknown>[]),
        ),
      );
    } catch (error) {
      if (!isConnectionFailure(error)) throw error;
      return this.read(sql, params);
    } finally {
      connection.release();
    }
  }

  /** Each replica and whether it answers now (`/readyz`); a replica down is skipped, not fatal. */
  async replicaStatus(): Promise<{ replica: string; up: boolean }[]> {
    const cluster = this.cluster;
    if (!cluster || this.config.dialect !== 'mysql') return [];
    const urls = this.config.replicaUrls ?? [];
    return Promise.all(
      urls.map(async (url, index) => {
        const u = new URL(url);
        const replica = `${u.hostname}:${u.port || 3306}`;
        const up = await new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), 2000);
          cluster.getConnection(`SLAVE${index}`, (error, connection) => {
            if (error) {
              clearTimeout(timer);
              return resolve(false);
            }
            connection.ping((pingError) => {
              connection.release();
              clearTimeout(timer);
              resolve(!pingError);
            });
          });
        });
        return { replica, up };
      }),
    );
  }

  /**
   * The connection pool's state on MySQL/MariaDB (for metrics), null on SQLite, which has one
   * connection. mysql2 keeps these counts in fields it does not document, so each is checked.
   */
  poolStats(): PoolStats | null {
    const config = this.config;
    if (config.dialect !== 'mysql' || !this.source?.isInitialized) return null;
    const pool = (this.dataSource.driver as unknown as { pool?: Record<string, unknown> }).pool;
    const size = (field: string): number | null => {
      const length = (pool?.[field] as { length?: unknown } | undefined)?.length;
      return typeof length === 'number' ? length : null;
    };
    const all = size('_allConnections');
    const free = size('_freeConnections');
    if (all === null || free === null) return null;
    return { inUse: all - free, idle: free, waiting: size('_connectionQueue') ?? 0, max: config.poolSize };
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
    await this.gate?.close();
    if (this.source?.isInitialized) await this.source.destroy();
  }
}
