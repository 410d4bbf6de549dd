import type { DocumentNode } from 'graphql';
import { getSdk } from './generated/sdk';
import { NokkelError, type GraphQLErrorEntry } from './errors';
import { prepare, type PreparedDocument, type TypedDocument } from './document';
import {
  followConnection,
  type NodeOf,
  type PageOwnVariables,
  type PageVariables,
  type PaginateOptions,
} from './paginate';
import { parseRetryAfter, retryDelay, retryPolicy, type RetryOptions, type RetryPolicy } from './retry';

/** What the client needs of an AbortSignal (a real AbortSignal fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** The part of a fetch Response the client reads. */
export interface FetchResponseLike {
  readonly status: number;
  /** Read for `Retry-After`; a fetch without headers simply has no Retry-After. */
  readonly headers?: { get(name: string): string | null };
  text(): Promise<string>;
}

/** A fetch function: the global fetch of Node 20+ and browsers fits, and so do most polyfills. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignalLike | undefined },
) => Promise<FetchResponseLike>;

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** A session token from login (nks_…) or a key secret (nkl_…), sent as `Authorization: Bearer`. */
  token?: string | undefined;
  /** The company to act in (`X-Company-Id`, a Company.id); without it, the credential's own company. */
  companyId?: string | undefined;
  /** Replaces the global fetch (for tests, proxies or older runtimes). */
  fetch?: FetchLike | undefined;
  /** Extra headers sent with every request. */
  headers?: Record<string, string> | undefined;
  /**
   * Retries of RATE_LIMITED (429) and SERVICE_UNAVAILABLE (503) answers, honouring `Retry-After`.
   * Off by default; `true` is 3 attempts, waits of at most 60 s (see RetryOptions).
   */
  retry?: boolean | RetryOptions | undefined;
}

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string> | undefined;
  /** Cancels the request (and any retry still to come). */
  signal?: AbortSignalLike | undefined;
}

/** Options of paginate(): the page size, and the per-call headers and signal used for every page. */
export type PaginateCallOptions = CallOptions & PaginateOptions;

/** The variables and options of request(): variables may be left out when the operation needs none. */
export type RequestArgs<V> =
  Record<string, never> extends V ? [variables?: V, options?: CallOptions] : [variables: V, options?: CallOptions];

/** The variables (without first and after) and options of paginate(). */
export type PaginateArgs<V> =
  Record<string, never> extends PageOwnVariables<V>
    ? [variables?: PageOwnVariables<V>, options?: PaginateCallOptions]
    : [variables: PageOwnVariables<V>, options?: PaginateCallOptions];

/** A compile error (naming what is missing) for a document whose result has no connection. */
export type Pageable<R> = [NodeOf<R>] extends [never]
  ? { 'paginate() needs a connection: pageInfo { hasNextPage endCursor } and edges { node } or nodes': never }
  : unknown;

/** One typed method per operation of the API, named after its root field. */
export type NokkelOperations = ReturnType<typeof getSdk<CallOptions>>;

export interface NokkelClient extends NokkelOperations {
  /** The GraphQL endpoint this client calls. */
  readonly url: string;
  /** The company this client acts in, if one was chosen. */
  readonly companyId: string | undefined;
  /** A new client that acts in another company (e.g. a client of your accounting office); undefined: your own. */
  withCompany(companyId: string | undefined): NokkelClient;
  /** A new client that authenticates with another credential (a session token or key secret). */
  withToken(token: string | undefined): NokkelClient;
  /**
   * Runs any typed document: one of the SDK's (`ViewerDocument`, …), one your codegen made with
   * exactly the fields you need, or one from `typedDocument()`. Result and variables are typed
   * by the document.
   */
  request<R, V>(document: TypedDocument<R, V>, ...args: RequestArgs<V>): Promise<R>;
  /**
   * Every node of a connection, page after page: runs the operation with `first` (the page
   * size) and `after` (the previous page's `pageInfo.endCursor`) until `hasNextPage` is false.
   * The operation declares `$first` and `$after`, passes them to one connection field, and
   * selects its `pageInfo { hasNextPage endCursor }` and `edges { node { … } }` (or `nodes`).
   *
   * @example
   * for await (const client of api.paginate(ClientsDocument, { search: 'AS' }, { pageSize: 100 })) {
   *   console.log(client.company.name);
   * }
   */
  paginate<R, V extends PageVariables>(
    document: TypedDocument<R, V> & Pageable<R>,
    ...args: PaginateArgs<V>
  ): AsyncGenerator<NodeOf<R>, void, undefined>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function defaultFetch(): FetchLike {
  const found = (globalThis as { fetch?: unknown }).fetch;
  if (typeof found !== 'function')
    throw new TypeError('No global fetch in this runtime: pass one with createClient({ fetch }).');
  return found as FetchLike;
}

/** Creates a client for the Nøkkel API: one typed method per operation, errors thrown as NokkelError. */
export function createClient(options: ClientOptions): NokkelClient {
  const { url, token, companyId } = options;
  if (typeof url !== 'string' || url === '') throw new TypeError('createClient: url is required');
  const fetchImpl = options.fetch ?? defaultFetch();
  const policy: RetryPolicy | undefined = retryPolicy(options.retry);

  /** One HTTP exchange: the data of the response, or a NokkelError. */
  async function exchange(prepared: PreparedDocument, variables: unknown, call: CallOptions): Promise<unknown> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options.headers,
      ...call.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    if (companyId) headers['x-company-id'] = companyId;
    const { operationName } = prepared;
    const body = JSON.stringify({ query: prepared.source, variables: variables ?? {}, operationName });

    let status: number;
    let text: string;
    let retryAfter: number | undefined;
    try {
      const response = await fetchImpl(url, { method: 'POST', headers, body, signal: call.signal });
      status = response.status;
      retryAfter = parseRetryAfter(response.headers?.get('retry-after'));
      text = await response.text();
    } catch (cause) {
      throw new NokkelError({
        code: 'NETWORK_ERROR',
        message: `Could not reach ${url}: ${describe(cause)}`,
        operationName,
        cause,
      });
    }

    let parsed: { data?: unknown; errors?: GraphQLErrorEntry[] };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      throw new NokkelError({
        code: 'BAD_RESPONSE',
        message: `HTTP ${status} from ${url} is not a GraphQL response.`,
        status,
        operationName,
        retryAfter,
      });
    }
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0)
      throw NokkelError.fromResponse(parsed.errors, {
        status,
        data: parsed.data ?? undefined,
        operationName,
        retryAfter,
      });
    if (parsed.data === null || typeof parsed.data !== 'object')
      throw new NokkelError({
        code: 'BAD_RESPONSE',
        message: `HTTP ${status} from ${url} has neither data nor errors.`,
        status,
        operationName,
      });
    return parsed.data;
  }

  /** The exchange, tried again after RATE_LIMITED / SERVICE_UNAVAILABLE when retries are on. */
  async function send(prepared: PreparedDocument, variables: unknown, call: CallOptions = {}): Promise<unknown> {
    const mutation = prepared.operation?.operation === 'mutation';
    for (let attempt = 1; ; attempt++) {
      try {
        return await exchange(prepared, variables, call);
      } catch (error) {
        if (!policy || !(error instanceof NokkelError) || call.signal?.aborted) throw error;
        const delayMs = retryDelay(error, attempt, mutation, policy);
        if (delayMs === undefined) throw error;
        policy.onRetry?.({ attempt, delayMs, error });
        await policy.sleep(delayMs);
        if (call.signal?.aborted) throw error;
      }
    }
  }

  const operations = getSdk<CallOptions>(
    <R>(document: DocumentNode, variables?: unknown, call?: CallOptions) =>
      send(prepare(document), variables, call) as Promise<R>,
  );
  return Object.freeze({
    ...operations,
    url,
    companyId,
    request: <R, V>(document: TypedDocument<R, V>, ...[variables, call]: RequestArgs<V>) =>
      send(prepare(document), variables, call) as Promise<R>,
    paginate: <R, V extends PageVariables>(
      document: TypedDocument<R, V> & Pageable<R>,
      ...[variables, call]: PaginateArgs<V>
    ) => {
      const { pageSize, ...callOptions } = call ?? {};
      const prepared = prepare(document);
      return followConnection<NodeOf<R>>(prepared, { ...variables }, pageSize, (pageVariables) =>
        send(prepared, pageVariables, callOptions),
      );
    },
    withCompany: (id: string | undefined) => createClient({ ...options, companyId: id }),
    withToken: (next: string | undefined) => createClient({ ...options, token: next }),
  });
}
