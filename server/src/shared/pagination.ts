import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { BadUserInput } from './errors';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ObjectType({ simpleResolvers: true, description: 'Relay page information.' })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface PageArgs {
  first?: number | null;
  after?: string | null;
}

export interface Edge<T> {
  cursor: string;
  node: T;
}

/** A page of a keyset-paginated list; `totalCount` runs its COUNT only when selected. */
export class Page<T> {
  constructor(
    readonly edges: Edge<T>[],
    readonly pageInfo: PageInfo,
    private readonly count: () => Promise<number> | number,
  ) {}

  get totalCount(): Promise<number> | number {
    return this.count();
  }

  get nodes(): T[] {
    return this.edges.map((e) => e.node);
  }
}

/** Declares `<Name>Connection` and `<Name>Edge` GraphQL types for a node type. */
export function ConnectionType<T extends object>(node: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true })
  class EdgeType {
    @Field()
    cursor!: string;

    @Field(() => node)
    node!: T;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${name} items (Relay cursor connection).`,
  })
  class ConnectionTypeClass {
    @Field(() => [EdgeType])
    edges!: EdgeType[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, { description: 'The number of items in the whole list.' })
    totalCount!: number;
  }
  return ConnectionTypeClass;
}

/** Validates `first` (1–100, default 20). */
export function pageSize(first: number | null | undefined): number {
  if (first == null) return DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw new BadUserInput([{ field: 'first', message: `must be between 1 and ${MAX_PAGE_SIZE}` }]);
  }
  return first;
}

export type CursorValue = string | number;

/**
 * The window a keyset page over one sort value asks for: the page size (validated) and the value
 * of the row it starts after (null: from the start).
 */
export function keysetWindow(page: PageArgs): { first: number; after: CursorValue | null } {
  return { first: pageSize(page.first), after: decodeCursor(page.after, 1)?.[0] ?? null };
}

export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): CursorValue[] | null {
  if (cursor == null || cursor === '') return null;
  try {
    const values: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(values) &&
      values.length === arity &&
      values.every((v) => typeof v === 'string' || typeof v === 'number')
    ) {
      return values as CursorValue[];
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInput([{ field: 'after', message: 'is not a cursor of this list' }]);
}

export interface SortKey<T> {
  /** SQL expression, e.g. `k.id` (query-builder alias and property). */
  expression: string;
  value: (row: T) => CursorValue;
}

/**
 * Keyset pagination (no OFFSET): orders by the sort keys (the last one unique), continues strictly
 * after the cursor's values, and fetches one extra row to know whether a next page exists.
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

class LazyEdge<T> implements Edge<T> {
  constructor(
    readonly node: T,
    private readonly cursorOf: (row: T) => string,
  ) {}

  get cursor(): string {
    return this.cursorOf(this.node);
  }
}

/** Builds a page from rows fetched with one extra row. */
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
  return new Page(edges, { hasNextPage, endCursor: last === undefined ? null : cursorOf(last) }, count);
}
