import { randomBytes } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { newId, type IdKind } from '../../shared/ids';

/**
 * The few places where the outbox's SQL differs between MySQL/MariaDB and SQLite, each with its
 * reason. Everything else in the events and webhooks modules is one statement for both.
 */

export type Dialect = 'mysql' | 'sqlite';

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

/**
 * The clause that makes a claim exclusive across processes. MariaDB 10.6+ and MySQL 8 skip rows
 * another transaction has locked, so instances claiming at the same moment get different rows
 * instead of queueing behind each other. SQLite has no row locks and needs none: the embedded
 * database serves one process, and `Database.transaction` already gives a transaction the
 * connection to itself, so the same SELECT-then-UPDATE is exclusive there as it stands.
 */
export function claimClause(dialect: Dialect): string {
  return dialect === 'mysql' ? ' FOR UPDATE SKIP LOCKED' : '';
}

/**
 * `INSERT … SELECT` that skips rows whose unique key already exists (the sweeps' once-only rule).
 * MySQL has no `DO NOTHING`; a no-op `ON DUPLICATE KEY UPDATE` is its equivalent that, unlike
 * `INSERT IGNORE`, does not also swallow other errors. SQLite needs the `WHERE` in the SELECT to
 * tell the upsert clause from a join's `ON`.
 */
export function insertSkippingDuplicates(
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  select: string,
): string {
  const head = `INSERT INTO ${table} (${columns.join(', ')}) ${select}`;
  return dialect === 'mysql'
    ? `${head} ON DUPLICATE KEY UPDATE ${table}.${columns[0]} = ${table}.${columns[0]}`
    : `${head} ON CONFLICT DO NOTHING`;
}

/** String concatenation: MySQL reads `||` as OR, SQLite has no CONCAT. */
export function concatSql(dialect: Dialect, ...parts: string[]): string {
  return dialect === 'mysql' ? `CONCAT(${parts.join(', ')})` : `(${parts.join(' || ')})`;
}

/** A datetime column as ISO 8601 with milliseconds and `Z`, the form the API and webhooks use. */
export function isoTimestampSql(dialect: Dialect, column: string): string {
  return dialect === 'mysql'
    ? `CONCAT(DATE_FORMAT(${column}, '%Y-%m-%dT%H:%i:%s.'), LPAD(FLOOR(MICROSECOND(${column}) / 1000), 3, '0'), 'Z')`
    : `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`;
}

/**
 * An id for each row of an `INSERT … SELECT`, which cannot call `newId`: a base unique to the
 * statement (the id kind's prefix, the time, 50 random bits) plus the row's number, so the ids
 * have the shape of every other id and sort by time. Bind `rowIdBase(kind)` to the `?`.
 */
export function rowIdSql(dialect: Dialect, orderBy: string): string {
  const n = `ROW_NUMBER() OVER (ORDER BY ${orderBy})`;
  return dialect === 'mysql' ? `CONCAT(?, LPAD(${n}, 6, '0'))` : `(? || printf('%06d', ${n}))`;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** The statement-unique part of `rowIdSql`'s ids: `evt_` + 10 time characters + 10 random ones. */
export function rowIdBase(kind: IdKind): string {
  // newId's random part is monotonic within a millisecond, so two statements in the same
  // millisecond could share its leading characters: fresh randomness instead
  const random = [...randomBytes(10)].map((b) => CROCKFORD[b % 32]).join('');
  return newId(kind).slice(0, 14) + random;
}

/** The most rows one `rowIdSql` statement can number (6 digits). */
export const MAX_ROWS_PER_STATEMENT = 999_999;

/**
 * A datetime parameter in the form both dialects compare correctly with stored values: TypeORM
 * stores SQLite datetimes as `YYYY-MM-DD HH:MM:SS.SSS` text (UTC), and MySQL parses the same text.
 */
export function sqlTime(value: Date): string {
  return value.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A row source over one JSON parameter holding `[[…], …]`, so a statement inserts any number of
 * rows in a single bound value (placeholder limits differ: 65,535 on MySQL, 32,766 on SQLite).
 */
export function jsonRowSource(
  dialect: Dialect,
  columns: readonly { name: string; type: string }[],
): { from: string; col: (name: string) => string } {
  if (dialect === 'mysql') {
    const defs = columns.map((c, i) => `${c.name} ${c.type} PATH '$[${i}]'`).join(', ');
    return { from: `JSON_TABLE(?, '$[*]' COLUMNS (${defs})) AS j`, col: (name) => `j.${name}` };
  }
  const index = (name: string) => columns.findIndex((c) => c.name === name);
  return { from: 'json_each(?) AS j', col: (name) => `json_extract(j.value, '$[${index(name)}]')` };
}
