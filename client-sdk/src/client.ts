import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, print, type DocumentNode } from 'graphql';
import { getSdk } from './generated/sdk';
import { NokkelError, type GraphQLErrorEntry } from './errors';

/** What the client needs of an AbortSignal (a real AbortSignal fits). */
export interface AbortSignalLike {
  readonly aborted: boolean;
}

/** The part of a fetch Response the client reads. */
export interface FetchResponseLike {
  readonly status: number;
  text(): Promise<string>;
}

/** A fetch function: the global fetch of Node 20+ and browsers fits, and so do most polyfills. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal?: AbortSignalLike },
) => Promise<FetchResponseLike>;

export interface ClientOptions {
  /** The GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  /** A session token from login (nks_…) or a key secret (nkl_…), sent as `Authorization: Bearer`. */
  token?: string;
  /** The company to act in (`X-Company-Id`, a Company.id); without it, the credential's own company. */
  companyId?: string;
  /** Replaces the global fetch (for tests, proxies or older runtimes). */
  fetch?: FetchLike;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** Per-call options, the last argument of every method. */
export interface CallOptions {
  /** Extra headers for this call only. */
  headers?: Record<string, string>;
  /** Cancels the request. */
  signal?: AbortSignalLike;
}

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
  /** Runs any typed document, e.g. one of your own that reuses the SDK's fragments. */
  request<R, V>(document: TypedDocumentNode<R, V>, variables?: V, options?: CallOptions): Promise<R>;
}

const printed = new WeakMap<DocumentNode, string>();

function source(document: DocumentNode): string {
  let text = printed.get(document);
  if (text === undefined) {
    text = print(document);
    printed.set(document, text);
  }
  return text;
}

function operationNameOf(document: DocumentNode): string | undefined {
  for (const definition of document.definitions)
    if (definition.kind === Kind.OPERATION_DEFINITION) return definition.name?.value;
  return undefined;
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

  async function request<R, V>(document: DocumentNode, variables?: V, call: CallOptions = {}): Promise<R> {
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options.headers,
      ...call.headers,
    };
    if (token) headers.authorization = `Bearer ${token}`;
    if (companyId) headers['x-company-id'] = companyId;
    const operationName = operationNameOf(document);
    const body = JSON.stringify({ query: source(document), variables: variables ?? {}, operationName });

    let status: number;
    let text: string;
    try {
      const response = await fetchImpl(url, { method: 'POST', headers, body, signal: call.signal });
      status = response.status;
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
      });
    }
    if (Array.isArray(parsed.errors) && parsed.errors.length > 0)
      throw NokkelError.fromResponse(parsed.errors, { status, data: parsed.data ?? undefined, operationName });
    if (parsed.data === null || typeof parsed.data !== 'object')
      throw new NokkelError({
        code: 'BAD_RESPONSE',
        message: `HTTP ${status} from ${url} has neither data nor errors.`,
        status,
        operationName,
      });
    return parsed.data as R;
  }

  const operations = getSdk<CallOptions>((document, variables, call) => request(document, variables, call));
  return Object.freeze({
    ...operations,
    url,
    companyId,
    request: <R, V>(document: TypedDocumentNode<R, V>, variables?: V, call?: CallOptions) =>
      request<R, V>(document, variables, call),
    withCompany: (id: string | undefined) => createClient({ ...options, companyId: id }),
    withToken: (next: string | undefined) => createClient({ ...options, token: next }),
  });
}
