import type { Page } from '../../shared/pagination';
import { placeholders } from '../dialect';
import { encodeCursor } from './cursor';
import { toPage } from './page';

/** One list per parent (a page of each), read for many parents at once. */
export interface Windows {
  /** The column the rows are grouped by (one page per value), e.g. `client_id`. */
  partition: string;
  /** The column each page is ordered by (unique within a partition); its value is the cursor. */
  order: string;
  /** The parents, one page each, in this order. */
  ids: readonly string[];
  first: number;
  after: string | number | null;
  /** Ascending (the default) or newest first. */
  direction?: 'ASC' | 'DESC';
}

/**
 * The rows of a table numbered within each partition, for a window of `first + 1` rows after the
 * cursor: `SELECT … FROM (<this>) w WHERE w.page_row <= ?` reads a page of every parent in one
 * statement instead of one per parent. `where` narrows the rows (`1 = 1` for none); its
 * parameters come first, then the ids, then the cursor.
 */
export function windowedRows(table: string, alias: string, windows: Windows, where: string): string {
  const { partition, order, ids, after } = windows;
  const desc = windows.direction === 'DESC';
  return `SELECT ${alias}.*, ROW_NUMBER() OVER (PARTITION BY ${alias}.${partition} ORDER BY ${alias}.${order}${desc ? ' DESC' : ''}) AS page_row
         FROM ${table} ${alias}
         WHERE ${where} AND ${alias}.${partition} IN (${placeholders(ids.length)})${after === null ? '' : ` AND ${alias}.${order} ${desc ? '<' : '>'} ?`}`;
}

/**
 * Windowed pagination: pages of one list for many parents from one statement (`windowedRows`),
 * as for the links of a whole page of clients or keys (a DataLoader's batch). The totals come from
 * `counts`, one GROUP BY over all parents, run once and only if some `totalCount` is selected.
 */
export function windowedPages<T>(
  windows: Windows,
  rows: T[],
  /** The partition a row belongs to; `index` is its place in `rows` (for a value read beside the entity). */
  partitionOf: (row: T, index: number) => string,
  orderOf: (row: T) => string,
  counts: () => Promise<Map<string, number>>,
): Page<T>[] {
  const byPartition = new Map<string, T[]>();
  rows.forEach((row, index) => {
    const key = partitionOf(row, index);
    const partition = byPartition.get(key);
    if (partition) partition.push(row);
    else byPartition.set(key, [row]);
  });
  let totals: Promise<Map<string, number>> | null = null;
  return windows.ids.map((id) =>
    toPage(
      byPartition.get(id) ?? [],
      windows.first,
      (row) => encodeCursor([orderOf(row)]),
      () => (totals ??= counts()).then((all) => all.get(id) ?? 0),
    ),
  );
}
