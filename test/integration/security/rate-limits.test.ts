import type { Permission } from '../../../server/src/auth/permission';
import type { TrustProxy } from '../../../server/src/http/client-address';
import { DEFAULT_RATE_LIMITS } from '../../../server/src/http/rate-limits';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { describeNeeding } from '../../testkit/needs';
import { REDIS_URL, uniqueRedisPrefix } from '../../testkit/redis';
import { buildWorld } from '../../testkit/world';
import { expectCode, expectOk } from '../../testkit/expect';

/** The test client reaches the server from loopback: trusted as a proxy, so X-Forwarded-For names the client. */
const LOCAL_PROXY: TrustProxy = { kind: 'networks', networks: ['127.0.0.0/8', '::1'] };
const ATTACKER = '203.0.113.66';
const OWNER = '198.51.100.7';

function limits(overrides: Partial<typeof DEFAULT_RATE_LIMITS>) {
  return { ...DEFAULT_RATE_LIMITS, prefix: uniqueRedisPrefix(), ...overrides };
}

/** The same tests for each store of the limits: this process's memory, or Redis shared by instances. */
function rateLimitTests(redisUrl: string | null): void {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  test('failed logins into one account from one address are limited, even with the right password from there, and other emails are unaffected', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ loginsPerEmail: 3 }) });
    apps.push(app);
    await buildWorld(app.seed);
    const attempt = (email: string, password: string) =>
      app.api.request('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
        e: email,
        p: password,
      });
    for (let i = 0; i < 3; i++) expectCode(await attempt('kari@regnskap.example', 'guess-' + i), 'UNAUTHENTICATED');
    const blocked = await attempt('kari@regnskap.example', 'demo-password');
    expectCode(blocked, 'RATE_LIMITED');
    expect(blocked.errors[0].extensions?.retryAfter).toBeGreaterThan(0);
    expect(blocked.data?.login ?? null).toBeNull();
    expectOk(await attempt('ola@regnskap.example', 'demo-password'));
  });

  test('login attempts per client IP are limited across emails', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ loginsPerIp: 4 }) });
    apps.push(app);
    await buildWorld(app.seed);
    for (let i = 0; i < 4; i++) {
      await app.api.request('mutation ($e: String!) { login(email: $e, password: "x") { token } }', {
        e: `user${i}@nowhere.example`,
      });
    }
    const res = await app.api.request(
      'mutation { login(email: "kari@regnskap.example", password: "demo-password") { token } }',
    );
    expectCode(res, 'RATE_LIMITED');
  });

  const LOGIN = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
  const from = (app: TestApp, address: string, email: string, password: string) =>
    app.api.request(LOGIN, { e: email, p: password }, { headers: { 'x-forwarded-for': address } });
  const behindProxy = (overrides: Partial<typeof DEFAULT_RATE_LIMITS>) =>
    startTestApp({ redisUrl, rateLimits: limits(overrides), trustProxy: LOCAL_PROXY });

  test('finding 10: wrong passwords from one address do not lock the account’s owner out of another address', async () => {
    const app = await behindProxy({ loginsPerEmail: 3, loginsPerAccount: 100 });
    apps.push(app);
    await buildWorld(app.seed);
    for (let i = 0; i < 3; i++)
      expectCode(await from(app, ATTACKER, 'kari@regnskap.example', `guess-${i}`), 'UNAUTHENTICATED');
    expectCode(await from(app, ATTACKER, 'kari@regnskap.example', 'demo-password'), 'RATE_LIMITED');
    expectOk(await from(app, OWNER, 'kari@regnskap.example', 'demo-password'));
    // the attacker stays throttled after the owner's success
    expectCode(await from(app, ATTACKER, 'kari@regnskap.example', 'guess-4'), 'RATE_LIMITED');
  });

  test('only failures count: successful logins spend no login budget', async () => {
    const app = await behindProxy({ loginsPerEmail: 2, loginsPerAccount: 2, loginsPerIp: 2 });
    apps.push(app);
    await buildWorld(app.seed);
    for (let i = 0; i < 5; i++) expectOk(await from(app, OWNER, 'kari@regnskap.example', 'demo-password'));
  });

  test('an account’s failures from all addresses together have a larger budget of their own', async () => {
    const app = await behindProxy({ loginsPerEmail: 2, loginsPerAccount: 4 });
    apps.push(app);
    await buildWorld(app.seed);
    for (const address of ['203.0.113.1', '203.0.113.2'])
      for (let i = 0; i < 2; i++) await from(app, address, 'kari@regnskap.example', `guess-${i}`);
    expectCode(await from(app, OWNER, 'kari@regnskap.example', 'demo-password'), 'RATE_LIMITED');
    expectOk(await from(app, OWNER, 'ola@regnskap.example', 'demo-password'));
  });

  test('finding 9: look-alike spellings the database matches to an account share its budget', async () => {
    const app = await behindProxy({ loginsPerEmail: 2, loginsPerAccount: 100 });
    apps.push(app);
    await buildWorld(app.seed);
    for (const email of ['olä@regnskap.example', 'ｏｌａ@regnskap.example'])
      expectCode(await from(app, ATTACKER, email, 'guess'), 'UNAUTHENTICATED');
    const real = codes(await from(app, ATTACKER, 'ola@regnskap.example', 'demo-password'));
    if (app.database === 'mariadb') {
      // the accent- and width-insensitive collation finds the real account for both spellings
      expect(real).toEqual(['RATE_LIMITED']);
    } else {
      // SQLite compares exactly: the look-alikes name no account, so they were no guesses at it
      expect(real).toEqual([]);
      expectCode(await from(app, OWNER, 'olä@regnskap.example', 'demo-password'), 'UNAUTHENTICATED');
    }
  });

  test('over-long emails are refused before they become limiter keys', async () => {
    const app = await behindProxy({ loginsPerIp: 3 });
    apps.push(app);
    await buildWorld(app.seed);
    for (let i = 0; i < 5; i++)
      expectCode(await from(app, ATTACKER, `${String(i).repeat(60_000)}@x.example`, 'x'), 'BAD_USER_INPUT');
    expectOk(await from(app, ATTACKER, 'kari@regnskap.example', 'demo-password'));
  });

  test('budgets belong to the person in the acting company: two keys of one person share them', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ requestsPerMinute: 4 }) });
    apps.push(app);
    const world = await buildWorld(app.seed);
    const one = await app.seed.userKey(world.kari, { name: 'One', permissions: ['LOGIN' as Permission] });
    const two = await app.seed.userKey(world.kari, { name: 'Two', permissions: ['LOGIN' as Permission] });
    const statuses = [];
    for (const token of [one.token, two.token, one.token, two.token, one.token])
      statuses.push((await app.api.request('{ company { name } }', {}, { token })).status);
    expect(statuses).toEqual([200, 200, 200, 200, 429]);
    // another person of the same company has a budget of their own
    const ola = await app.seed.userKey(world.ola, { name: 'Ola', permissions: ['LOGIN' as Permission] });
    expect((await app.api.request('{ company { name } }', {}, { token: ola.token })).status).toBe(200);
  });

  test('requests per credential are limited with 429 and Retry-After; another credential is unaffected', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ requestsPerMinute: 5 }) });
    apps.push(app);
    await buildWorld(app.seed);
    const kari = await app.api.login('kari@regnskap.example');
    const ola = await app.api.login('ola@regnskap.example');
    for (let i = 0; i < 5; i++)
      expect((await app.api.request('{ company { name } }', {}, { token: kari })).errors).toEqual([]);
    const res = await app.api.request('{ company { name } }', {}, { token: kari });
    expect(res.status).toBe(429);
    expectCode(res, 'RATE_LIMITED');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await app.api.request('{ company { name } }', {}, { token: ola })).errors).toEqual([]);
  });

  test('the cost budget per minute is spent by expensive queries', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ costPerMinute: 50 }) });
    apps.push(app);
    await buildWorld(app.seed);
    const token = await app.api.login('kari@regnskap.example');
    const q = '{ userKeys(first: 10) { edges { node { owner { name } } } } }'; // cost 11
    const results = [];
    for (let i = 0; i < 5; i++) results.push(codes(await app.api.request(q, {}, { token })));
    expect(results).toEqual([[], [], [], [], ['RATE_LIMITED']]);
  });

  if (redisUrl) {
    test('instances sharing Redis share the limits', async () => {
      const shared = limits({ requestsPerMinute: 4 });
      const a = await startTestApp({ redisUrl, rateLimits: shared });
      const b = await startTestApp({ redisUrl, rateLimits: shared });
      apps.push(a, b);
      // anonymous catalog requests: their budget belongs to the client IP, the same on both instances
      const statuses = [];
      for (const app of [a, b, a, b, a])
        statuses.push((await app.api.request('{ permissions { permission } }')).status);
      expect(statuses).toEqual([200, 200, 200, 200, 429]);
    });
  }
}

describe('rate limits (memory store)', () => rateLimitTests(null));
describeNeeding('redis')('rate limits (Redis store)', () => rateLimitTests(REDIS_URL));
