import { loadConfig, type Config } from '../../../server/src/config';
import { startTestApp, type TestApp } from '../../testkit/app';
import { TestClock } from '../../testkit/clock';
import { expectOk, outcomeOf } from '../../testkit/expect';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses dynamically
export type Json = any;

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
  return outcomeOf(await app.api.request(VIEWER, {}, { token, headers }));
}

/** Revokes a key through the API; fails the test if refused. */
export async function revokeKey(app: TestApp, token: string, id: string): Promise<void> {
  expectOk(await app.api.request('mutation ($id: ID!) { revokeUserKey(id: $id) { id } }', { id }, { token }));
}
