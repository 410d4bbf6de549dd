/**
 * The one home of pagination: every connection of the schema is read by one of these strategies,
 * all keyset (no OFFSET: a deep page costs what the first page costs) with the same cursor
 * (cursor.ts) and the same page (page.ts: one extra row tells whether a next page exists).
 *
 * - `paginate` (keyset-query.ts): over a TypeORM query builder, for lists with a search, filters
 *   that vary per request, or several sort keys.
 * - `pageById` (keyset-table.ts): one table by id with column equalities, plain SQL built once per
 *   shape, for the hot lists.
 * - `windowedRows` + `windowedPages` (windowed.ts): a page for each of many parents in one
 *   statement, for the lists a DataLoader batches (the client links of a page of clients or keys).
 * - `keysetWindow` + `toPage`: for lists read by hand-written SQL (the key overview, usage, reach, events),
 *   whose statement is the module's own.
 *
 * The GraphQL side (page sizes, `PageArgs`, `Page`, the Relay types) is shared/pagination.ts.
 */
export { decodeCursor, encodeCursor, keysetWindow, pageSize, type CursorValue } from './cursor';
export { paginate, type SortKey } from './keyset-query';
export { pageById } from './keyset-table';
export { toPage } from './page';
export { windowedPages, windowedRows, type Windows } from './windowed';
