import { randomBytes } from 'node:crypto';
import { DEFAULT_RATE_LIMITS } from '../../../server/src/http/rate-limits';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { describeNeeding } from '../../testkit/needs';
import { buildWorld } from '../../testkit/world';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

function limits(overrides: Partial<typeof DEFAULT_RATE_LIMITS>) {
  return { ...DEFAULT_RATE_LIMITS, prefix: `nokkel-test-${randomBytes(4).toString('hex')}`, ...overrides };
}

/** The same tests for each store of the limits: this process's memory, or Redis shared by instances. */
function rateLimitTests(redisUrl: string | null): void {
  const apps: TestApp[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });

  test('login attempts per email are limited, even with the right password, and other emails are unaffected', async () => {
    const app = await startTestApp({ redisUrl, rateLimits: limits({ loginsPerEmail: 3 }) });
    apps.push(app);
    await buildWorld(app.seed);
    const attempt = (email: string, password: string) =>
      app.api.request('mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', {
        e: email,
        p: password,
      });
    for (let i = 0; i < 3; i++)
      expect(codes(await attempt('kari@regnskap.example', 'guess-' + i))).toEqual(['UNAUTHENTICATED']);
    const blocked = await attempt('kari@regnskap.example', 'demo-password');
    expect(codes(blocked)).toEqual(['RATE_LIMITED']);
    expect(blocked.errors[0].extensions?.retryAfter).toBeGreaterThan(0);
    expect(blocked.data?.login ?? null).toBeNull();
    expect(codes(await attempt('ola@regnskap.example', 'demo-password'))).toEqual([]);
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
    expect(codes(res)).toEqual(['RATE_LIMITED']);
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
    expect(codes(res)).toEqual(['RATE_LIMITED']);
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
