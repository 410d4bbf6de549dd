import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import type { Page, PageArgs } from '../../shared/pagination';
import { decodeCursor, encodeCursor, pageSize, type CursorValue } from './cursor';
import { toPage } from './page';

export interface SortKey<T> {
  /** SQL expression, e.g. `k.id` (query-builder alias and property). */
  expression: string;
  value: (row: T) => CursorValue;
}

/**
 * Keyset pagination over a TypeORM query builder (no OFFSET): orders by the sort keys (the last one
 * unique), continues strictly after the cursor's values, and fetches one extra row to know whether
 * a next page exists. Used by the lists with a search or several sort keys (clients,
 * employees, applications), whose filters vary per request.
 */
export async function paginate<T extends ObjectLiteral>(
  query: SelectQueryBuilder<T>,
  args: PageArgs,
  keys: SortKey<T>[],
  direction: 'ASC' | 'DESC' = 'ASC',
): Promise<Page<T>> {
  const first = pageSize(args.first);
  const after = decodeCursor(args.after, keys.length);
  const countQuery = query.clone();
  const page = query.clone();
  if (after) {
    const op = direction === 'ASC' ? '>' : '<';
    const params: Record<string, CursorValue> = {};
    const clauses = keys.map((key, i) => {
      const equal = keys.slice(0, i).map((k, j) => `${k.expression} = :cursor${j}`);
      params[`cursor${i}`] = after[i];
      return `(${[...equal, `${key.expression} ${op} :cursor${i}`].join(' AND ')})`;
    });
    page.andWhere(`(${clauses.join(' OR ')})`, params);
  }
  keys.forEach((key, i) =>
    i === 0 ? page.orderBy(key.expression, direction) : page.addOrderBy(key.expression, direction),
  );
  const rows = await page.limit(first + 1).getMany();
  return toPage(
    rows,
    first,
    (row) => encodeCursor(keys.map((k) => k.value(row))),
    () => countQuery.getCount(),
  );
}
