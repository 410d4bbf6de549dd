import { Page, type Edge } from '../../shared/pagination';

class LazyEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/**
 * Builds a page from rows fetched with one extra row (which only tells that a next page exists).
 * Every strategy ends here; a list read by hand-written SQL (a `keysetWindow`, its statement, then
 * `toPage`) uses it directly.
 */
export function toPage<T>(
  rows: T[],
  first: number,
  cursorOf: (row: T) => string,
  count: () => Promise<number> | number,
): Page<T> {
  const hasNextPage = rows.length > first;
  const nodes = rows.slice(0, first);
  // cursors are encoded only if selected: a page of keys with their client links has ~1,000 edges
  const edges = nodes.map((node) => new LazyEdge(node, cursorOf));
  const last = nodes.at(-1);
  const pageInfo = {
    hasNextPage,
    // like the edges' cursors, encoded only if selected
    get endCursor(): string | null {
      return last === undefined ? null : cursorOf(last);
    },
  };
  return new Page(edges, pageInfo, count);
}
