import { ErrorCode } from '../shared/errors';

/**
 * A fault in the caller's HTTP request found by the edge (before GraphQL): answered with its
 * status and code, logged at warn without a stack trace. Since its stack is never read, none is
 * captured: a flood of refusals (a spent address budget answers thousands a minute) costs no stack
 * walk per request.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
    /** Extra response headers (e.g. `retry-after`). */
    readonly headers: Record<string, string> = {},
  ) {
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'HttpError';
  }
}

/**
 * A 429 RATE_LIMITED refusal at the edge, with the headers a GraphQL 429 carries: `Retry-After`
 * and `RateLimit-*` (nothing left of `limit`, refilled in `msBeforeNext`).
 */
export function tooManyRequests(limit: number, msBeforeNext: number, message: string): HttpError {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return new HttpError(429, `${message} Retry after ${retryAfter} s.`, ErrorCode.RATE_LIMITED, {
    'retry-after': String(retryAfter),
    'ratelimit-limit': String(limit),
    'ratelimit-remaining': '0',
    'ratelimit-reset': String(retryAfter),
  });
}
