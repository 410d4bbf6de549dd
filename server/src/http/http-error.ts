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
