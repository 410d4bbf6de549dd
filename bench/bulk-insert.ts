import type { EntityManager } from 'typeorm';
import { sqliteValue } from '../server/src/db/hydrate';

export type SqlValue = string | number | boolean | Date | null;
export type Dialect = 'mysql' | 'sqlite';

/** SQLite's default limit of bound parameters per statement is 32,766; stay under it. */
const SQLITE_MAX_PARAMS = 30_000;

export function quoteIdentifier(dialect: Dialect, name: string): string {
  return dialect === 'mysql' ? `\`${name}\`` : `"${name}"`;
}

function toParam(dialect: Dialect, value: SqlValue): unknown {
  if (typeof value === 'boolean') return value ? 1 : 0;
  return dialect === 'sqlite' ? sqliteValue(value) : value;
}

/**
 * Writes rows with multi-row INSERT statements of up to `chunkRows` rows each, straight into the
 * table (no entities, no API). Rows are pulled from an iterable so a large table is never held in
 * memory whole. Returns the number of rows written.
 */
export async function bulkInsert(
  manager: EntityManager,
  dialect: Dialect,
  table: string,
  columns: readonly string[],
  rows: Iterable<SqlValue[]>,
  chunkRows = 2000,
): Promise<number> {
  const perStatement =
    dialect === 'sqlite' ? Math.min(chunkRows, Math.floor(SQLITE_MAX_PARAMS / columns.length)) : chunkRows;
  const head = `INSERT INTO ${quoteIdentifier(dialect, table)} (${columns.map((c) => quoteIdentifier(dialect, c)).join(', ')}) VALUES `;
  const tuple = `(${columns.map(() => '?').join(', ')})`;
  let written = 0;
  let params: unknown[] = [];
  let count = 0;
  const flush = async (): Promise<void> => {
    if (!count) return;
    await manager.query(head + Array.from({ length: count }, () => tuple).join(', '), params);
    written += count;
    params = [];
    count = 0;
  };
  for (const row of rows) {
    if (row.length !== columns.length)
      throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
    for (const value of row) params.push(toParam(dialect, value));
    if (++count === perStatement) await flush();
  }
  await flush();
  return written;
}
