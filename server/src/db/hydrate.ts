import type { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** Turns raw rows of a hand-written query (database column names) into entity instances. */
export function hydrate<T extends ObjectLiteral>(
  manager: EntityManager,
  entity: EntityTarget<T>,
  rows: Record<string, unknown>[],
): T[] {
  const metadata = manager.connection.getMetadata(entity);
  const driver = manager.connection.driver;
  return rows.map((row) => {
    const instance = metadata.create() as T;
    for (const column of metadata.columns) {
      if (column.databaseName in row) {
        (instance as Record<string, unknown>)[column.propertyName] = driver.prepareHydratedValue(
          row[column.databaseName],
          column,
        );
      }
    }
    return instance;
  });
}

/** `?, ?, ?` for n parameters. */
export function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

/** A parameter for a hand-written SQLite query: dates in the form TypeORM stores them (UTC). */
export function sqliteValue(value: unknown): unknown {
  return value instanceof Date ? value.toISOString().replace('T', ' ').replace('Z', '') : value;
}

/**
 * A row source over one JSON parameter holding arrays (`[[a, b], …]`), so a set-based statement
 * takes any number of rows in a single bound value: JSON_TABLE on MySQL/MariaDB, json_each on SQLite.
 */
export function jsonRows(
  dialect: 'mysql' | 'sqlite',
  columns: readonly string[],
): { from: string; col: (name: string) => string } {
  if (dialect === 'mysql') {
    const defs = columns.map((c, i) => `${c} VARCHAR(32) PATH '$[${i}]'`).join(', ');
    return { from: `JSON_TABLE(?, '$[*]' COLUMNS (${defs})) AS j`, col: (name) => `j.${name}` };
  }
  return { from: 'json_each(?) AS j', col: (name) => `json_extract(j.value, '$[${columns.indexOf(name)}]')` };
}
