import type { RequestVariant } from './driver/protocol';

/** The operations of the benchmark and the load script. */
export const PARTNER_READ = '{ customers(first: 20) { edges { node { id name orgNumber email } } } }';
export const CUSTOMER_PAGE =
  'query ($after: String) { customers(first: 20, after: $after) { edges { node { id name orgNumber email } } } }';
export const KEY_OVERVIEW = `query ($n: Int!) { userKeys(first: $n) { edges { node { id name applicationName kind status tokenHint createdAt
  owner { id name } application { name } permissions
  clients(first: 20) { edges { node { client { id name } template { id name } } } } } } } }`;
export const OWN_NETWORKS = '{ viewer { userKey { allowedNetworks } } }';
export const BULK_LINK = 'mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount } }';
export const LINK_CLIENT =
  'mutation ($input: LinkClientInput!) { linkClient(input: $input) { client { id } template { id } } }';
export const UNLINK_CLIENTS =
  'mutation ($input: UnlinkClientsInput!) { unlinkClients(input: $input) { unlinkedCount } }';
export const RESTORE_KEY = 'mutation ($id: ID!) { restoreUserKey(id: $id) { userKey { id tokenHint } } }';
export const LOGIN =
  'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

export interface Credentials {
  token: string;
  companyId?: string;
}

export function headersFor(credentials: Credentials | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (credentials) headers.authorization = `Bearer ${credentials.token}`;
  if (credentials?.companyId) headers['x-company-id'] = credentials.companyId;
  return headers;
}

/** A request for the load driver. */
export function variant(
  path: string,
  query: string,
  variables: Record<string, unknown>,
  credentials: Credentials | null,
): RequestVariant {
  return { path, headers: headersFor(credentials), body: JSON.stringify({ query, variables }) };
}

export interface GraphQLReply<T> {
  status: number;
  data: T | null;
  errors: { message: string; extensions?: { code?: string } }[];
  /** x-sql-statements of the response, when the server sends it. */
  statements: number | null;
  ms: number;
}

/** One request with fetch (set-up, checks, single timed calls). */
export async function post<T>(
  baseUrl: string,
  path: string,
  query: string,
  variables: Record<string, unknown>,
  credentials: Credentials | null,
): Promise<GraphQLReply<T>> {
  const started = performance.now();
  const res = await fetch(baseUrl + path, {
    method: 'POST',
    headers: headersFor(credentials),
    body: JSON.stringify({ query, variables }),
  });
  const text = await res.text();
  const ms = performance.now() - started;
  const parsed = JSON.parse(text) as { data?: T | null; errors?: GraphQLReply<T>['errors'] };
  const statements = res.headers.get('x-sql-statements');
  return {
    status: res.status,
    data: parsed.data ?? null,
    errors: parsed.errors ?? [],
    statements: statements === null ? null : Number(statements),
    ms,
  };
}

/** Throws with the errors' codes and messages (never the request, which may hold a secret). */
export function expectOk<T>(reply: GraphQLReply<T>, what: string): T {
  if (reply.errors.length || reply.data === null) {
    const errors = reply.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ');
    throw new Error(`${what} failed (HTTP ${reply.status}): ${errors || 'no data'}`);
  }
  return reply.data;
}

/** Logs in through the API and returns the session as credentials. */
export async function loginAs(baseUrl: string, email: string, password: string): Promise<Credentials> {
  const reply = await post<{ login: { token: string } }>(baseUrl, '/graphql', LOGIN, { email, password }, null);
  return { token: expectOk(reply, 'login').login.token };
}
