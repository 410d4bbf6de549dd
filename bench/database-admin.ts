import { rmSync } from 'node:fs';
import { createConnection } from 'mysql2/promise';
import type { DatabaseConfig } from '../server/src/db/database';
import { openSqlite } from './sqlite-module';

/** The database name of a MySQL/MariaDB URL, checked to be a plain identifier (it is interpolated into DDL). */
function databaseName(url: URL): string {
  const name = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`the database name must be [A-Za-z0-9_]+ (got "${name}")`);
  return name;
}

function serverUrl(url: URL): string {
  const server = new URL(url.toString());
  server.pathname = '/';
  return server.toString();
}

/** Runs statements on the database server of a MySQL/MariaDB URL, outside any database. */
async function onServer(url: URL, statements: string[]): Promise<void> {
  const admin = await createConnection({ uri: serverUrl(url) });
  try {
    for (const statement of statements) await admin.query(statement);
  } finally {
    await admin.end();
  }
}

function removeSqlite(path: string): void {
  if (path === ':memory:') return;
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** Drops and re-creates the benchmark's own database: a MySQL/MariaDB schema or a SQLite file. */
export async function recreateDatabase(config: DatabaseConfig): Promise<void> {
  if (config.dialect === 'sqlite') return removeSqlite(config.path);
  const url = new URL(config.url);
  const name = databaseName(url);
  await onServer(url, [
    `DROP DATABASE IF EXISTS \`${name}\``,
    `CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`,
  ]);
}

/** Removes the benchmark's database. */
export async function dropDatabase(config: DatabaseConfig): Promise<void> {
  if (config.dialect === 'sqlite') return removeSqlite(config.path);
  const url = new URL(config.url);
  await onServer(url, [`DROP DATABASE IF EXISTS \`${databaseName(url)}\``]);
}

/** The database server's version string, for the report. */
export async function databaseVersion(config: DatabaseConfig): Promise<string> {
  if (config.dialect === 'sqlite') {
    const db = openSqlite(':memory:');
    try {
      const row = db.prepare('SELECT sqlite_version() AS v').get() as { v: string };
      return `SQLite ${row.v}`;
    } finally {
      db.close();
    }
  }
  const connection = await createConnection({ uri: serverUrl(new URL(config.url)) });
  try {
    const [rows] = await connection.query('SELECT VERSION() AS v');
    const version = String((rows as { v: string }[])[0]?.v ?? 'unknown');
    return /mariadb/i.test(version) ? `MariaDB ${version}` : `MySQL ${version}`;
  } finally {
    await connection.end();
  }
}
