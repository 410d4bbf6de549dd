import { ServerErrorCode } from './generated/error-codes';

/**
 * The error codes the Nøkkel API returns in `extensions.code` (generated from the server's own
 * list, see generated/error-codes.ts), plus the SDK's own transport codes.
 */
export const ErrorCode = {
  ...ServerErrorCode,
  /** The SDK could not reach the server (DNS, refused connection, abort). */
  NETWORK_ERROR: 'NETWORK_ERROR',
  /** The server answered with something that is not a GraphQL response. */
  BAD_RESPONSE: 'BAD_RESPONSE',
} as const;

/** A known error code; other strings are possible from newer servers. */
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** One entry of a GraphQL response's `errors` list. */
export interface GraphQLErrorEntry {
  message: string;
  path?: ReadonlyArray<string | number>;
  locations?: ReadonlyArray<{ line: number; column: number }>;
  extensions?: { code?: string; [key: string]: unknown };
}

/** Why one client could not be linked (bulkLinkClients lists one per failing client; nothing is linked). */
export interface ClientLinkFailure {
  clientId: string;
  code: string;
  message: string;
}

export interface NokkelErrorDetails {
  code: string;
  message: string;
  errors?: ReadonlyArray<GraphQLErrorEntry> | undefined;
  status?: number | undefined;
  data?: unknown;
  operationName?: string | undefined;
  /** Seconds to wait before trying again, from `Retry-After` or `extensions.retryAfter`. */
  retryAfter?: number | undefined;
  cause?: unknown;
}

function isFailureList(value: unknown): value is ClientLinkFailure[] {
  return (
    Array.isArray(value) &&
    value.every((f) => typeof f === 'object' && f !== null && typeof (f as ClientLinkFailure).clientId === 'string')
  );
}

/**
 * Thrown by every client method when the response carries GraphQL errors (or no response came).
 * `code`, `path` and `extensions` describe the first error; `errors` holds all of them; `data` holds
 * whatever partial data the server returned.
 */
export class NokkelError extends Error {
  /** `extensions.code` of the first error (or NETWORK_ERROR / BAD_RESPONSE). */
  readonly code: ErrorCode | (string & NonNullable<unknown>);
  /** Where in the response the first error happened, e.g. ['viewer', 'employee', 'annualSalary']. */
  readonly path: ReadonlyArray<string | number> | undefined;
  /** bulkLinkClients: each client that failed and why (nothing was linked). */
  readonly failures: ReadonlyArray<ClientLinkFailure> | undefined;
  /** `extensions` of the first error, e.g. `permissions` for PERMISSION_CEILING_EXCEEDED. */
  readonly extensions: Readonly<Record<string, unknown>>;
  /** Every error of the response, as the server sent them. */
  readonly errors: ReadonlyArray<GraphQLErrorEntry>;
  /** The HTTP status of the response, when there was one. */
  readonly status: number | undefined;
  /** Partial data of the response (fields that did resolve), when there was any. */
  readonly data: unknown;
  /** The operation that failed, e.g. createUserKey. */
  readonly operationName: string | undefined;
  /**
   * RATE_LIMITED, SERVICE_UNAVAILABLE: seconds to wait before trying again, as the server said
   * (`Retry-After` header, or `extensions.retryAfter`); undefined when it did not say.
   */
  readonly retryAfter: number | undefined;

  constructor(details: NokkelErrorDetails) {
    super(details.message, details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'NokkelError';
    this.code = details.code;
    this.errors = details.errors ?? [];
    const first = this.errors[0];
    this.path = first?.path;
    this.extensions = { ...(first?.extensions ?? {}) };
    const failures = first?.extensions?.failures;
    this.failures = isFailureList(failures) ? failures : undefined;
    this.status = details.status;
    this.data = details.data;
    this.operationName = details.operationName;
    const fromBody = first?.extensions?.retryAfter;
    this.retryAfter = details.retryAfter ?? (typeof fromBody === 'number' && fromBody >= 0 ? fromBody : undefined);
  }

  /** Builds the error for a response whose `errors` list is not empty. */
  static fromResponse(
    errors: ReadonlyArray<GraphQLErrorEntry>,
    extra: Omit<NokkelErrorDetails, 'code' | 'message' | 'errors' | 'cause'> = {},
  ): NokkelError {
    const first = errors[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    return new NokkelError({ code, message: `${first?.message ?? 'Unknown error'}${more}`, errors, ...extra });
  }
}
