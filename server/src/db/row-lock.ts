import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * A read that locks the rows it returns, on MySQL/MariaDB; SQLite transactions already have the
 * database to themselves (db/sqlite-gate), so there the same read runs unlocked. A locking read
 * also reads the latest committed rows rather than the transaction's snapshot, which checks made
 * under a lock depend on.
 */
export function locked<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  mode: 'pessimistic_read' | 'pessimistic_write',
): SelectQueryBuilder<T> {
  if (query.connection.options.type !== 'better-sqlite3') query.setLock(mode);
  return query;
}
