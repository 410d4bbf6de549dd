import { createRequire } from 'node:module';

/** The part of better-sqlite3's API the benchmark uses (the server reaches it only through TypeORM). */
export interface SqliteStatement {
  all(...params: unknown[]): unknown[];
  get(...params: unknown[]): unknown;
  run(...params: unknown[]): { changes: number };
}

export interface SqliteDatabase {
  prepare(sql: string): SqliteStatement;
  pragma(sql: string): unknown;
  transaction<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void;
  close(): void;
}

type SqliteConstructor = new (path: string) => SqliteDatabase;

/** Opens a SQLite database with better-sqlite3 (a dependency of the server already). */
export function openSqlite(path: string): SqliteDatabase {
  const Sqlite = createRequire(__filename)('better-sqlite3') as SqliteConstructor;
  const db = new Sqlite(path);
  db.pragma('busy_timeout = 5000');
  return db;
}
