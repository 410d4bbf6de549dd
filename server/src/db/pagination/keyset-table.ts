import type { EntityTarget, ObjectLiteral } from 'typeorm';
import type { Page, PageArgs } from '../../shared/pagination';
import type { Database } from '../database';
import { hydrate } from '../hydrate';
import { decodeCursor, encodeCursor, pageSize } from './cursor';
import { toPage } from './page';

interface PageSql {
  first: string;
  after: string;
  count: string;
}

const cache = new Map<string, PageSql>();

/**
 * A keyset page of one table ordered by id and filtered by column equalities, as plain SQL built
 * once per shape and run as a prepared read: used by the hot lists (a partner reading customers,
 * invoices, hours; webhooks; the audit log), which skip the query builder. Lists with a search or
 * another order use `paginate` (keyset-query.ts).
 */
export async function pageById<T extends ObjectLiteral & { id: string }>(
  db: Database,
  entity: EntityTarget<T>,
  where: Partial<Record<keyof T & string, string>>,
  args: PageArgs,
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after, 1);
  const metadata = db.manager.connection.getMetadata(entity);
  const properties = Object.keys(where).sort() as (keyof T & string)[];
  const shape = `${db.dialect}|${metadata.tableName}|${properties.join(',')}|${direction}`;
  let sql = cache.get(shape);
  if (!sql) {
    const q = (name: string) => db.dataSource.driver.escape(name);
    const column = (property: string) => {
      const found = metadata.findColumnWithPropertyName(property);
      if (!found) throw new Error(`${metadata.name} has no column ${property}`);
      return q(found.databaseName);
    };
    const filter = properties.map((p) => `${column(p)} = ?`).join(' AND ') || '1 = 1';
    const columns = metadata.columns.map((c) => q(c.databaseName)).join(', ');
    const base = `SELECT ${columns} FROM ${q(metadata.tableName)} WHERE ${filter}`;
    const order = ` ORDER BY id ${direction} LIMIT ?`;
    sql = {
      first: base + order,
      after: `${base} AND id ${direction === 'ASC' ? '>' : '<'} ?${order}`,
      count: `SELECT COUNT(*) AS n FROM ${q(metadata.tableName)} WHERE ${filter}`,
    };
    cache.set(shape, sql);
  }
  const values = properties.map((p) => where[p]);
  const rows = await db.read(
    after ? sql.after : sql.first,
    after ? [...values, after[0], first + 1] : [...values, first + 1],
  );
  const count = sql.count;
  return toPage(
    hydrate(db.manager, entity, rows),
    first,
    (row) => encodeCursor([row.id]),
    () => db.read(count, values).then((r) => Number(r[0].n)),
  );
}
