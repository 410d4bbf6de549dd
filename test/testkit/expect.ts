import type { ServerErrorCode } from '../../client-sdk/src/generated/error-codes';
import { codes, type GraphQLErrorShape, type GraphQLResponse } from './graphql-client';

/** Every code the API sends in `extensions.code` (generated from the server's errors): a typo does not compile. */
export type ErrorCode = (typeof ServerErrorCode)[keyof typeof ServerErrorCode];

/** The data of a response that must have worked; fails the test, showing the server's errors, otherwise. */
export function expectOk<T>(res: GraphQLResponse<T>): T {
  expect(res.errors).toEqual([]);
  expect(res.data).not.toBeNull();
  return res.data as T;
}

/**
 * A response refused with exactly one error of this code (at `path` when given); the error is
 * returned for asserting its message and extensions.
 */
export function expectCode(
  res: GraphQLResponse<unknown>,
  code: ErrorCode,
  path?: readonly (string | number)[],
): GraphQLErrorShape {
  expect(codes(res)).toEqual([code]);
  if (path) expect(res.errors[0].path).toEqual(path);
  return res.errors[0];
}

/** A response with exactly these error codes, in this order (partial results, several refused fields). */
export function expectCodes(res: GraphQLResponse<unknown>, expected: readonly ErrorCode[]): GraphQLErrorShape[] {
  expect(codes(res)).toEqual(expected);
  return res.errors;
}

/** A response refused as NOT_FOUND: what another tenant's objects, and objects that do not exist, answer. */
export function expectNotFound(res: GraphQLResponse<unknown>, path?: readonly (string | number)[]): GraphQLErrorShape {
  return expectCode(res, 'NOT_FOUND', path);
}

/** What a request ended in: 'OK', or the code of its first error (for tables of outcomes). */
export function outcomeOf(res: GraphQLResponse<unknown>): string {
  return res.errors.length ? String(res.errors[0].extensions?.code) : 'OK';
}
