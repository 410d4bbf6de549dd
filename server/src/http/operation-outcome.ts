import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isExpectedErrorCode } from './error-masking';

/**
 * How a request ended, for metrics and traces: `ok`, or the code of its first error. Codes the
 * server does not send count as `OTHER`, so a label never holds text a caller chose.
 */
export function outcomeOf(errors: readonly (GraphQLError | GraphQLFormattedError)[] | undefined): string {
  if (!errors?.length) return 'ok';
  const code = errors[0].extensions?.code;
  if (typeof code !== 'string') return 'INTERNAL_SERVER_ERROR';
  return isExpectedErrorCode(code) || code === 'INTERNAL_SERVER_ERROR' ? code : 'OTHER';
}
