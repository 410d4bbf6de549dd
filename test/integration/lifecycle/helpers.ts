import { loadConfig, type Config } from '../../../server/src/config';
import { startTestApp, type TestApp } from '../../testkit/app';
import type { GraphQLResponse } from '../../testkit/graphql-client';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses dynamically
export type Json = any;

export const SECOND = 1000;
export const DAY = 24 * 60 * 60 * SECOND;

/** The server's clock in tests: real time plus an offset the test moves forward (never a sleep). */
export class TestClock {
  private offsetMs = 0;

  now = (): Date => new Date(Date.now() + this.offsetMs);

  advance(ms: number): void {
    this.offsetMs += ms;
  }
}

/**
 * A test app whose requests and event engine read the test's clock; the engine does not run by
 * itself (the sweep tests drive it with `tick()`).
 */
export async function startLifecycleApp(overrides: Partial<Config> = {}): Promise<TestApp & { clock: TestClock }> {
  const clock = new TestClock();
  const events = { ...loadConfig({ NODE_ENV: 'test' }).events, worker: false, clock: clock.now };
  const app = await startTestApp({ clock: clock.now, events, ...overrides });
  return Object.assign(app, { clock });
}

export function expectOk<T>(res: GraphQLResponse<T>): T {
  if (res.errors.length || !res.data) throw new Error(`unexpected errors: ${JSON.stringify(res.errors)}`);
  return res.data;
}

/** The first error's code and extensions. */
export function refusal(res: GraphQLResponse<unknown>): { code: string; message: string; extensions: Json } {
  const error = res.errors[0];
  if (!error) throw new Error(`expected an error, got data ${JSON.stringify(res.data)}`);
  return { code: String(error.extensions?.code), message: error.message, extensions: error.extensions ?? {} };
}

export const VIEWER = '{ viewer { userKey { id } company { id } } }';
export const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) {
  createUserKey(input: $input) { token userKey { id status expiresAt allowedNetworks } } }`;
export const RESTORE = `mutation ($id: ID!, $keep: Int, $compromised: Boolean) {
  restoreUserKey(id: $id, keepPreviousSecretFor: $keep, compromised: $compromised) {
    token userKey { id status previousSecretExpiresAt } } }`;
export const USER_KEY = `query ($id: ID!) { userKey(id: $id) { id status expiresAt previousSecretExpiresAt
  allowedNetworks recentNetworks { network requests lastSeenAt } } }`;

let serial = 0;

/** A key through the API: CUSTOM, a custom application, a fresh name. */
export async function createKey(
  app: TestApp,
  token: string,
  input: Record<string, unknown>,
): Promise<{ token: string; userKey: Json }> {
  serial += 1;
  const res = await app.api.request(
    CREATE_KEY,
    {
      input: {
        name: `Lifecycle key ${serial}`,
        accessMode: 'CUSTOM',
        customApplicationName: 'Lifecycle Test',
        permissions: ['LOGIN'],
        ...input,
      },
    },
    { token },
  );
  return expectOk(res).createUserKey;
}

/** Whether a secret opens a request now: the error code, or 'OK'. */
export async function outcome(app: TestApp, token: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await app.api.request(VIEWER, {}, { token, headers });
  return res.errors.length ? refusal(res).code : 'OK';
}
