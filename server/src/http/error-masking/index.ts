import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../../modules/request-context';
import { ErrorCode } from '../../shared/errors';
import type { Logger } from '../../shared/logger';

/** Codes that describe the caller's request; anything else is an internal fault and is masked. */
const EXPECTED_CODES = new Set<string>([
  ...Object.values(ErrorCode).filter((c) => c !== ErrorCode.INTERNAL_SERVER_ERROR),
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

/** Whether a code is one the server answers the caller's own faults with (every code but INTERNAL_SERVER_ERROR). */
export function isExpectedErrorCode(code: string): boolean {
  return EXPECTED_CODES.has(code);
}

const CONNECTION_FAULTS =
  /ECONNREFUSED|ECONNRESET|PROTOCOL_CONNECTION_LOST|ETIMEDOUT|EPIPE|Pool is closed|Connection lost|closed state|Can't add new command when connection is in closed state|Too many connections|ER_CON_COUNT_ERROR|SQLITE_BUSY/;

/** Whether an error means the database cannot be reached right now (retryable). */
export function isDatabaseUnavailable(error: unknown): boolean {
  let e: unknown = error;
  for (let depth = 0; e && depth < 5; depth++) {
    const { code, message } = e as { code?: unknown; message?: unknown };
    if (CONNECTION_FAULTS.test(`${String(code ?? '')} ${String(message ?? '')}`)) return true;
    e =
      (e as { originalError?: unknown; driverError?: unknown }).originalError ??
      (e as { driverError?: unknown }).driverError;
  }
  return false;
}

/**
 * Apollo's own refusals of a malformed request carry a 4xx status and no code (a persisted-query
 * hash that does not match its query): the caller's fault, answered BAD_REQUEST, logged at warn.
 */
function isUncodedClientFault(error: GraphQLError | undefined): boolean {
  if (!error || error.extensions?.code !== undefined || error.originalError) return false;
  const status = (error.extensions?.http as { status?: unknown } | undefined)?.status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

function isExpected(error: GraphQLFormattedError): boolean {
  return EXPECTED_CODES.has(String(error.extensions?.code ?? ''));
}

/**
 * Masks unexpected errors: the caller gets INTERNAL_SERVER_ERROR (or SERVICE_UNAVAILABLE when the
 * database is away) and a correlation id; the detail goes only to the log. Stack traces and
 * "Did you mean" suggestions (validation and variable errors alike) never leave the server unless
 * DEBUG_ERRORS is on in development.
 */
export interface ErrorMaskingOptions {
  /** Where an unexpected error's detail goes (the caller sees only its code and correlation id). */
  log: Logger;
  /** DEBUG_ERRORS in development: suggestions and details are left in the answer. */
  development: boolean;
}

export function errorMaskingPlugin({ log, development }: ErrorMaskingOptions): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            const code = String(error.extensions?.code ?? '');
            if (isUncodedClientFault(error)) {
              log.warn({ requestId: contextValue.requestId, reason: error.message }, 'request refused');
            } else if (!EXPECTED_CODES.has(code)) {
              log.error(
                {
                  requestId: contextValue.requestId,
                  err: { message: error.message, stack: error.originalError?.stack ?? error.stack },
                  path: error.path,
                },
                'unexpected error',
              );
            }
          }
        },
        async willSendResponse({ response, contextValue, errors }) {
          if (response.body.kind !== 'single' || !response.body.singleResult.errors) return;
          const originals = errors ?? [];
          response.body.singleResult.errors = response.body.singleResult.errors.map((formatted, i) => {
            if (isExpected(formatted)) return stripDetail(formatted, development);
            if (isUncodedClientFault(originals[i]))
              return stripDetail(
                { ...formatted, extensions: { ...formatted.extensions, code: 'BAD_REQUEST' } },
                development,
              );
            const unavailable = isDatabaseUnavailable(originals[i]);
            return {
              message: unavailable
                ? 'The database is not reachable right now. Retry in a moment.'
                : `Internal error. Quote reference ${contextValue.requestId} when reporting it.`,
              path: formatted.path,
              locations: formatted.locations,
              extensions: {
                code: unavailable ? ErrorCode.SERVICE_UNAVAILABLE : ErrorCode.INTERNAL_SERVER_ERROR,
                requestId: contextValue.requestId,
                ...(unavailable ? { retryable: true } : {}),
              },
            };
          });
          if (
            response.body.singleResult.errors.some((e) => e.extensions?.code === ErrorCode.SERVICE_UNAVAILABLE) &&
            !response.body.singleResult.data
          ) {
            response.http.status = 503;
          }
        },
      };
    },
  };
}

/** graphql-js's hints at names in the schema ("Did you mean the enum value "LOGIN"?"). */
const SUGGESTION = /\s*Did you mean [^?]*\?/g;

/** Without debugging, an expected error loses its stack trace and any suggestion of schema names. */
function stripDetail(error: GraphQLFormattedError, development: boolean): GraphQLFormattedError {
  if (development) return error;
  const message = error.message.replace(SUGGESTION, '');
  if (!error.extensions?.stacktrace) return message === error.message ? error : { ...error, message };
  const { stacktrace: _stacktrace, ...extensions } = error.extensions;
  return { ...error, message, extensions };
}

/** Errors that happen before execution (context creation) go through the same masking. */
export function maskPreExecutionError(error: unknown, requestId: string, log: Logger): GraphQLError {
  if (error instanceof GraphQLError && EXPECTED_CODES.has(String(error.extensions?.code ?? ''))) return error;
  if (isDatabaseUnavailable(error)) {
    return new GraphQLError('The database is not reachable right now. Retry in a moment.', {
      extensions: { code: ErrorCode.SERVICE_UNAVAILABLE, requestId, retryable: true, http: { status: 503 } },
    });
  }
  log.error(
    { requestId, err: { message: (error as Error)?.message, stack: (error as Error)?.stack } },
    'unexpected error before execution',
  );
  return new GraphQLError(`Internal error. Quote reference ${requestId} when reporting it.`, {
    extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, requestId, http: { status: 500 } },
  });
}
