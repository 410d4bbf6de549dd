/** The media type of the GraphQL-over-HTTP specification, which clients ask for with `Accept`. */
export const GRAPHQL_RESPONSE = 'application/graphql-response+json';

/**
 * The HTTP status of a GraphQL answer (README: HTTP status codes). A request refused before
 * execution (unparsable, invalid, unauthenticated, rate-limited, …) has no `data` and keeps its
 * 4xx/5xx. Once an operation ran, its answer holds `data` (possibly null) and, in
 * `application/graphql-response+json`, is 200 whatever its errors, as the GraphQL-over-HTTP
 * specification requires; `application/json` keeps the status of the first error's code, as
 * this server always answered it, for the clients written against that.
 */
export function graphqlResponseStatus(status: number, contentType: string | undefined, body: string): number {
  if (status < 400 || !(contentType ?? '').startsWith(GRAPHQL_RESPONSE)) return status;
  try {
    const parsed = JSON.parse(body) as Record<string, unknown> | null;
    return parsed !== null && typeof parsed === 'object' && 'data' in parsed ? 200 : status;
  } catch {
    return status;
  }
}
