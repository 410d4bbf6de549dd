import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../modules/request-context';
import { ErrorCode } from '../../shared/errors';

/**
 * A rate-limited GraphQL answer carries `Retry-After` and the `RateLimit-*` headers (as the edge's
 * own 429s do): nothing left, and when to retry. `RateLimit-Limit` is the budget the error names
 * (`extensions.limit`), else the per-credential requests per minute.
 */
export interface RateLimitHeadersOptions {
  /** The per-credential budget of requests per minute: `RateLimit-Limit` when the error names no other. */
  requestsPerMinute: number;
}

export function rateLimitHeadersPlugin({
  requestsPerMinute,
}: RateLimitHeadersOptions): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response, errors }) {
          const limited = errors?.find((e) => e.extensions?.code === ErrorCode.RATE_LIMITED);
          const retryAfter = Number(limited?.extensions?.retryAfter);
          if (!limited || !Number.isFinite(retryAfter)) return;
          const limit = limited.extensions.limit;
          const headers = response.http.headers;
          headers.set('retry-after', String(retryAfter));
          headers.set('ratelimit-limit', String(typeof limit === 'number' ? limit : requestsPerMinute));
          headers.set('ratelimit-remaining', '0');
          headers.set('ratelimit-reset', String(retryAfter));
        },
      };
    },
  };
}
