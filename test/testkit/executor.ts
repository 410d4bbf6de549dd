import type { Executor } from '../../server/src/config';

declare const NOKKEL_TEST_EXECUTOR: string | undefined;

/** The execution engine of this Jest project (jest.config.js runs the HTTP suites on both). */
export function testExecutor(): Executor {
  return typeof NOKKEL_TEST_EXECUTOR !== 'undefined' && NOKKEL_TEST_EXECUTOR === 'graphql-js' ? 'graphql-js' : 'jit';
}
