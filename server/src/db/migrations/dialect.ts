import type { QueryRunner } from 'typeorm';

/** True when a migration runs on the embedded SQLite database (better-sqlite3), false on MySQL/MariaDB. */
export function onSqlite(queryRunner: QueryRunner): boolean {
  return queryRunner.connection.driver.options.type === 'better-sqlite3';
}
