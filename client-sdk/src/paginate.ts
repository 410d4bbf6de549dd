import { Kind, type FragmentDefinitionNode, type SelectionSetNode } from 'graphql';
import { NokkelError } from './errors';
import type { PreparedDocument } from './document';

/** The variables paginate() drives: the page size `first` and the cursor `after`. */
export interface PageVariables {
  first?: number | null | undefined;
  after?: string | null | undefined;
}

type ConnectionNode<T> = T extends { pageInfo: unknown; edges: ReadonlyArray<infer E> }
  ? NonNullable<E> extends { node: infer N }
    ? N
    : never
  : T extends { pageInfo: unknown; nodes: ReadonlyArray<infer N> }
    ? N
    : never;

type Shallower = [never, 0, 1, 2, 3];

/**
 * The node type of the connection in a result type: `NodeOf<ClientsQuery>` is the type of
 * `clients.edges[number].node`. A connection is an object with `pageInfo` and `edges { node }`
 * (or `nodes`), found up to four levels deep.
 */
export type NodeOf<R, Depth extends number = 4> = [Depth] extends [never]
  ? never
  : R extends ReadonlyArray<unknown>
    ? never
    : R extends object
      ? [ConnectionNode<R>] extends [never]
        ? { [K in keyof R]-?: NodeOf<NonNullable<R[K]>, Shallower[Depth]> }[keyof R]
        : ConnectionNode<R>
      : never;

/** The variables a caller gives paginate(): the operation's own, without `first` and `after`. */
export type PageOwnVariables<V> = Omit<V, 'first' | 'after'>;

/**
 * The response keys from the root to the field that takes `after: $after`: the connection
 * paginate() follows. Fragments are followed; a connection inside a list is refused, since one
 * cursor cannot page several connections.
 */
export function connectionPath(prepared: PreparedDocument): string[] {
  const { node, operation } = prepared;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const d of node.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments.set(d.name.value, d);

  function search(selectionSet: SelectionSetNode, prefix: string[], seen: Set<string>): string[] | undefined {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const takesCursor = selection.arguments?.some(
          (a) => a.name.value === 'after' && a.value.kind === Kind.VARIABLE && a.value.name.value === 'after',
        );
        if (takesCursor) return [...prefix, key];
        const found = selection.selectionSet && search(selection.selectionSet, [...prefix, key], seen);
        if (found) return found;
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const found = search(selection.selectionSet, prefix, seen);
        if (found) return found;
      } else {
        const name = selection.name.value;
        const fragment = fragments.get(name);
        if (!fragment || seen.has(name)) continue;
        const found = search(fragment.selectionSet, prefix, new Set(seen).add(name));
        if (found) return found;
      }
    }
    return undefined;
  }

  const declares = (name: string) => operation?.variableDefinitions?.some((v) => v.variable.name.value === name);
  const path = operation && declares('after') && declares('first') && search(operation.selectionSet, [], new Set());
  if (!path)
    throw new TypeError(
      `paginate: the operation ${prepared.operationName ?? '(anonymous)'} must declare $first and $after and pass them to a connection field as first: $first, after: $after.`,
    );
  return path;
}

interface PageInfo {
  hasNextPage?: unknown;
  endCursor?: unknown;
}

interface ConnectionValue {
  pageInfo?: PageInfo | null;
  edges?: ReadonlyArray<{ node?: unknown } | null> | null;
  nodes?: ReadonlyArray<unknown> | null;
}

function connectionAt(data: unknown, path: string[], operationName: string | undefined): ConnectionValue | null {
  let value: unknown = data;
  for (const key of path) {
    if (value === null || value === undefined) return null;
    if (Array.isArray(value) || typeof value !== 'object')
      throw new TypeError(
        `paginate: ${path.join('.')} of ${operationName} is inside a list; page it per item instead.`,
      );
    value = (value as Record<string, unknown>)[key];
  }
  return (value ?? null) as ConnectionValue | null;
}

/** paginate()'s own options, beside the per-call headers and signal. */
export interface PaginateOptions {
  /** Items per request, sent as `first` (the server allows 1–100); without it, the server's default page size. */
  pageSize?: number | undefined;
}

/**
 * Runs the operation page after page, following `pageInfo.endCursor` while `hasNextPage`, and
 * yields every node. Stopping the loop (`break`) stops the requests.
 */
export async function* followConnection<N>(
  prepared: PreparedDocument,
  variables: Record<string, unknown>,
  pageSize: number | undefined,
  fetchPage: (variables: Record<string, unknown>) => Promise<unknown>,
): AsyncGenerator<N, void, undefined> {
  const path = connectionPath(prepared);
  if (pageSize !== undefined && (!Number.isInteger(pageSize) || pageSize < 1))
    throw new RangeError(`paginate: pageSize must be a whole number of at least 1, not ${pageSize}.`);
  const name = prepared.operationName;
  let after: string | null = null;
  for (;;) {
    const data = await fetchPage({
      ...variables,
      ...(pageSize !== undefined ? { first: pageSize } : {}),
      ...(after !== null ? { after } : {}),
    });
    const connection = connectionAt(data, path, name);
    if (!connection) return;
    const info = connection.pageInfo;
    if (!info || typeof info.hasNextPage !== 'boolean')
      throw new TypeError(
        `paginate: select pageInfo { hasNextPage endCursor } in ${path.join('.')} of the operation ${name}.`,
      );
    if (Array.isArray(connection.edges)) {
      for (const edge of connection.edges) if (edge) yield edge.node as N;
    } else if (Array.isArray(connection.nodes)) {
      for (const item of connection.nodes) yield item as N;
    } else {
      throw new TypeError(`paginate: select edges { node { … } } or nodes { … } in ${path.join('.')} of ${name}.`);
    }
    if (!info.hasNextPage) return;
    if (typeof info.endCursor !== 'string' || info.endCursor === after)
      // a server that says "more" without a new cursor would otherwise be asked the same page forever
      throw new NokkelError({
        code: 'BAD_RESPONSE',
        message: `${name}: the server reported another page of ${path.join('.')} but no new endCursor.`,
        operationName: name,
        data,
      });
    after = info.endCursor;
  }
}
