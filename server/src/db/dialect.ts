import type { EntityManager, EntityTarget, ObjectLiteral, SelectQueryBuilder } from 'typeorm';

/**
 * Everything that differs between MySQL/MariaDB and SQLite, each with its reason: services and
 * hand-written statements call these by name and hold no dialect `if` of their own.
 */

export type Dialect = 'mysql' | 'sqlite';

export function dialectOf(manager: EntityManager): Dialect {
  const type = manager.connection.options.type;
  return type === 'mysql' || type === 'mariadb' ? 'mysql' : 'sqlite';
}

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

/**
 * The one row of `entity` whose properties equal the values of `where` (all of them), read with
 * `locked` in `mode`: the repositories' "this row, locked" reads.
 */
export function lockedRow<E extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<E>,
  where: Partial<Record<keyof E & string, string>>,
  mode: 'pessimistic_read' | 'pessimistic_write',
): Promise<E | null> {
  const condition = Object.keys(where)
    .map((column) => `r.${column} = :${column}`)
    .join(' AND ');
  return locked(manager.createQueryBuilder(entity, 'r').where(condition, where), mode).getOne();
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

/**
 * The upsert tail of an INSERT: where the row's unique `key` exists, each column of `merge` is set
 * to `merge[column](current, incoming)`. MySQL names the incoming value `VALUES(column)` and takes
 * the key from the index that fired; SQLite names it `excluded.column` and needs the key spelled out.
 * (`INSERT … SELECT` on SQLite also needs a `WHERE` in its SELECT, see insertSkippingDuplicates.)
 */
export function onDuplicateUpdate(
  dialect: Dialect,
  key: readonly string[],
  merge: Record<string, (current: string, incoming: string) => string>,
): string {
  const set = Object.entries(merge).map(
    ([column, value]) =>
      `${column} = ${value(column, dialect === 'mysql' ? `VALUES(${column})` : `excluded.${column}`)}`,
  );
  return dialect === 'mysql'
    ? `ON DUPLICATE KEY UPDATE ${set.join(', ')}`
    : `ON CONFLICT (${key.join(', ')}) DO UPDATE SET ${set.join(', ')}`;
}

/** The larger of two values: MySQL's GREATEST, SQLite's two-argument MAX. */
export function greatestSql(dialect: Dialect, a: string, b: string): string {
  return dialect === 'mysql' ? `GREATEST(${a}, ${b})` : `MAX(${a}, ${b})`;
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

/** A datetime plus a whole number of days given by an integer expression, comparable with `sqlTime` values. */
export function addDaysSql(dialect: Dialect, datetime: string, days: string): string {
  return dialect === 'mysql'
    ? `DATE_ADD(${datetime}, INTERVAL ${days} DAY)`
    : `strftime('%Y-%m-%d %H:%M:%f', ${datetime}, '+' || ${days} || ' days')`;
}

/** `JSON_ARRAYAGG` on MySQL/MariaDB, `json_group_array` on SQLite; both keep the given order. */
export function jsonArrayAggSql(dialect: Dialect, expression: string, orderBy: string): string {
  return dialect === 'mysql'
    ? `JSON_ARRAYAGG(${expression} ORDER BY ${orderBy})`
    : `json_group_array(${expression} ORDER BY ${orderBy})`;
}

/** A JSON text column of a derived table, as JSON again (so JSON_OBJECT nests it rather than quoting it). */
export function asJsonSql(dialect: Dialect, column: string): string {
  return dialect === 'mysql' ? `JSON_EXTRACT(${column}, '$')` : `json(${column})`;
}

/**
 * A number for each row of an `INSERT … SELECT`, appended to a bound id base (see db/row-ids):
 * `<base>000001`, `<base>000002`, … in the given order.
 */
export function rowIdSql(dialect: Dialect, orderBy: string): string {
  return numberedRowIdSql(dialect, `ROW_NUMBER() OVER (ORDER BY ${orderBy})`);
}

/** `rowIdSql` for rows that come numbered already (a JSON row source's `ordinal`): no window to sort. */
export function numberedRowIdSql(dialect: Dialect, rowNumber: string): string {
  return dialect === 'mysql' ? `CONCAT(?, LPAD(${rowNumber}, 6, '0'))` : `(? || printf('%06d', ${rowNumber}))`;
}

/**
 * A datetime parameter in the form both dialects compare correctly with stored values: TypeORM
 * stores SQLite datetimes as `YYYY-MM-DD HH:MM:SS.SSS` text (UTC), and MySQL parses the same text.
 */
export function sqlTime(value: Date): string {
  return value.toISOString().replace('T', ' ').replace('Z', '');
}

/**
 * A parameter for a hand-written statement: on SQLite, dates in the form TypeORM stores them;
 * on MySQL, as they are (the driver sends them in the connection's time zone).
 */
export function sqlParam(dialect: Dialect, value: unknown): unknown {
  return dialect === 'sqlite' && value instanceof Date ? sqlTime(value) : value;
}

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/**
 * `column IN (…)` over one JSON parameter holding the ids, for lists that can be thousands long:
 * the statement keeps one shape whatever their number, MariaDB materialises the list once and looks
 * each id up through the index (an `IN` list of 5,000 literals took twice as long, most of it
 * parsing and planning 5,000 ranges), and SQLite's parameter limit is not in play. The list's
 * column is as wide as its longest id, so no id is cut short into another.
 */
export function inJsonIds(dialect: Dialect, column: string, ids: readonly string[]): { sql: string; param: string } {
  const width = ids.reduce((widest, id) => Math.max(widest, id.length), 32);
  const source = jsonRowSource(dialect, [{ name: 'id', type: `VARCHAR(${width})` }]);
  return {
    sql: `${column} IN (SELECT ${source.col('id')} FROM ${source.from})`,
    param: JSON.stringify(ids.map((id) => [id])),
  };
}

/** A column of a JSON row source: a name (an id, VARCHAR(32)) or a name and its SQL type. */
export type JsonColumn = string | { name: string; type: string };

/**
 * A row source over one JSON parameter holding `[[…], …]`, so a set-based statement takes any
 * number of rows in a single bound value (placeholder limits differ: 65,535 on MySQL, 32,766 on
 * SQLite): JSON_TABLE on MySQL/MariaDB, json_each on SQLite. `ordinal` is the row's position in
 * the array, from 1. A row shorter than the columns reads NULL for the ones it lacks.
 */
export function jsonRowSource(
  dialect: Dialect,
  columns: readonly JsonColumn[],
): { from: string; col: (name: string) => string; ordinal: string } {
  const named = columns.map((c) => (typeof c === 'string' ? { name: c, type: 'VARCHAR(32)' } : c));
  if (dialect === 'mysql') {
    const defs = named.map((c, i) => `${c.name} ${c.type} PATH '$[${i}]'`).join(', ');
    return {
      from: `JSON_TABLE(?, '$[*]' COLUMNS (j_ordinal FOR ORDINALITY, ${defs})) AS j`,
      col: (name) => `j.${name}`,
      ordinal: 'j.j_ordinal',
    };
  }
  const index = (name: string) => named.findIndex((c) => c.name === name);
  return {
    from: 'json_each(?) AS j',
    col: (name) => `json_extract(j.value, '$[${index(name)}]')`,
    ordinal: '(j.key + 1)',
  };
}
