import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createConnection } from 'mysql2/promise';
import { parseDatabaseUrl, type DatabaseConfig } from '../../server/src/db/database';

declare const NOKKEL_TEST_DB: string | undefined;
declare const NOKKEL_TEST_DB_URL: string | undefined;

/** Which database this test project runs on ('sqlite' or 'mariadb'). */
export function testDatabaseKind(): 'sqlite' | 'mariadb' {
  return typeof NOKKEL_TEST_DB !== 'undefined' && NOKKEL_TEST_DB === 'mariadb' ? 'mariadb' : 'sqlite';
}

export interface TestDatabase {
  config: DatabaseConfig;
  drop(): Promise<void>;
}

/** A fresh, empty database for one test file: a temp SQLite file, or a new schema on MariaDB. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const suffix = `${process.pid}_${randomBytes(4).toString('hex')}`;
  if (testDatabaseKind() === 'sqlite') {
    const dir = join(tmpdir(), 'nokkel-test');
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `t_${suffix}.sqlite`);
    return {
      config: { dialect: 'sqlite', path },
      async drop() {
        for (const ext of ['', '-wal', '-shm']) rmSync(path + ext, { force: true });
      },
    };
  }
  const base = new URL(NOKKEL_TEST_DB_URL as string);
  const name = `nokkel_t_${suffix}`;
  const admin = await createConnection({ uri: base.toString() });
  await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    config: parseDatabaseUrl(url.toString()),
    async drop() {
      const conn = await createConnection({ uri: base.toString() });
      await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await conn.end();
    },
  };
}
