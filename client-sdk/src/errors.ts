/** The error codes the Nøkkel API returns in `extensions.code`, plus the SDK's own transport codes. */
export const ErrorCode = {
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PERMISSION_CEILING_EXCEEDED: 'PERMISSION_CEILING_EXCEEDED',
  INTEGRATIONS_NOT_ACTIVE: 'INTEGRATIONS_NOT_ACTIVE',
  ACCOUNTANT_KEY_NOT_SUPPORTED: 'ACCOUNTANT_KEY_NOT_SUPPORTED',
  CLIENT_API_ACCESS_DISABLED: 'CLIENT_API_ACCESS_DISABLED',
  RATE_LIMITED: 'RATE_LIMITED',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  GRAPHQL_VALIDATION_FAILED: 'GRAPHQL_VALIDATION_FAILED',
  BAD_REQUEST: 'BAD_REQUEST',
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
  errors?: ReadonlyArray<GraphQLErrorEntry>;
  status?: number;
  data?: unknown;
  operationName?: string;
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
  }

  /** Builds the error for a response whose `errors` list is not empty. */
  static fromResponse(
    errors: ReadonlyArray<GraphQLErrorEntry>,
    extra: { status?: number; data?: unknown; operationName?: string } = {},
  ): NokkelError {
    const first = errors[0];
    const code = typeof first?.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
    return new NokkelError({ code, message: `${first?.message ?? 'Unknown error'}${more}`, errors, ...extra });
  }
}
