import { createPool, type Pool } from 'mysql2/promise';
import type { DatabaseConfig } from '../../server/src/db/database';
import { openSqlite, type SqliteDatabase, type SqliteStatement } from '../sqlite-module';

export type Row = Record<string, unknown>;

/** The baseline's database access: hand-written SQL, no ORM. mysql2 pool, or better-sqlite3. */
export interface RawDb {
  readonly dialect: 'mysql' | 'sqlite';
  query<T extends Row>(sql: string, params: unknown[]): Promise<T[]>;
  /** Runs statements in one transaction (SQLite) or as given (MySQL: one statement each). */
  execute(statements: { sql: string; params: unknown[] }[]): Promise<void>;
  close(): Promise<void>;
}

class MysqlRawDb implements RawDb {
  readonly dialect = 'mysql';
  constructor(private readonly pool: Pool) {}

  async query<T extends Row>(sql: string, params: unknown[]): Promise<T[]> {
    const [rows] = await this.pool.query(sql, params);
    return rows as T[];
  }

  async execute(statements: { sql: string; params: unknown[] }[]): Promise<void> {
    for (const s of statements) await this.pool.query(s.sql, s.params);
  }

  close(): Promise<void> {
    return this.pool.end();
  }
}

class SqliteRawDb implements RawDb {
  readonly dialect = 'sqlite';
  private readonly statements = new Map<string, SqliteStatement>();
  constructor(private readonly db: SqliteDatabase) {}

  private prepare(sql: string): SqliteStatement {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  async query<T extends Row>(sql: string, params: unknown[]): Promise<T[]> {
    return this.prepare(sql).all(...params) as T[];
  }

  async execute(statements: { sql: string; params: unknown[] }[]): Promise<void> {
    this.db.transaction(() => {
      for (const s of statements) this.prepare(s.sql).run(...s.params);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/** Opens the baseline's connection(s): a pool as large as the server's, or the SQLite file. */
export function openRawDb(config: DatabaseConfig): RawDb {
  if (config.dialect === 'mysql') {
    return new MysqlRawDb(
      createPool({ uri: config.url, connectionLimit: config.poolSize, timezone: 'Z', supportBigNumbers: true }),
    );
  }
  return new SqliteRawDb(openSqlite(config.path));
}

/** A date column as ISO 8601: mysql2 returns Date, SQLite the text TypeORM stored (UTC). */
export function isoDate(value: unknown): string | null {
  if (value == null) return null;
  if (value instanceof Date) return value.toISOString();
  const text = String(value);
  return new Date(text.includes('T') ? text : `${text.replace(' ', 'T')}Z`).toISOString();
}

export function dateMs(value: unknown): number | null {
  const iso = isoDate(value);
  return iso === null ? null : Date.parse(iso);
}
