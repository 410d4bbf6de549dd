import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { rememberSecrets } from './secrets-seen';

export interface GraphQLErrorShape {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; [key: string]: unknown };
}

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  data: T | null;
  errors: GraphQLErrorShape[];
  /** SQL statements the request issued (the server exposes the count in tests). */
  statements: number;
}

export interface CallOptions {
  token?: string;
  companyId?: string;
  headers?: Record<string, string>;
}

/** A minimal GraphQL-over-HTTP client for tests: real HTTP, real headers. */
export class GraphQLClient {
  constructor(readonly endpoint: string) {}

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses dynamically
  async request<T = any>(
    query: string,
    variables: Record<string, unknown> = {},
    options: CallOptions = {},
  ): Promise<GraphQLResponse<T>> {
    const headers: Record<string, string> = { 'content-type': 'application/json', ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (options.companyId) headers['x-company-id'] = options.companyId;
    const response = await fetch(this.endpoint, {
      method: 'POST',
      headers,
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    rememberSecrets(text);
    let body: { data?: T | null; errors?: GraphQLErrorShape[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`not JSON (HTTP ${response.status}): ${text.slice(0, 200)}`);
    }
    return {
      status: response.status,
      headers: response.headers,
      data: body.data ?? null,
      errors: body.errors ?? [],
      statements: Number(response.headers.get('x-sql-statements') ?? NaN),
    };
  }

  /**
   * Runs one of the SDK's typed documents (client-sdk/src/generated/graphql.ts, `…Document`): the
   * variables are checked against the operation and the data comes back typed, as partners get it.
   */
  run<R, V>(document: TypedDocumentNode<R, V>, variables: V, options: CallOptions = {}): Promise<GraphQLResponse<R>> {
    return this.request<R>(print(document), variables as Record<string, unknown>, options);
  }

  /** Logs in and returns the session token. */
  async login(email: string, password = 'demo-password'): Promise<string> {
    const res = await this.request<{ login: { token: string } }>(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
      { email, password },
    );
    if (!res.data?.login) throw new Error(`login failed for ${email}: ${JSON.stringify(res.errors)}`);
    return res.data.login.token;
  }
}

/** The error codes of a response, in order. */
export function codes(res: GraphQLResponse<unknown>): string[] {
  return res.errors.map((e) => String(e.extensions?.code));
}
