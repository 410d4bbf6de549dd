import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../server/src/config';
import { startTestApp, type TestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { parsePrometheusText, type Exposition } from '../../testkit/prometheus-text';
import { issuedSecrets } from '../../testkit/secrets-seen';
import { buildWorld, type World } from '../../testkit/world';
import { createEndpoint, emit, keyCreated, driveUntil } from '../events/helpers';
import { Receiver } from '../events/receiver';

/**
 * `/metrics` (README: Metrics and tracing): Prometheus text that a strict reader accepts, counters
 * that move with real requests, refusals and deliveries, behind an optional bearer token, with no
 * tenant, person or credential in it.
 */

const TOKEN = 'metrics-token-for-tests-0123456789';

let app: TestApp;
let world: World;
let receiver: Receiver;

beforeAll(async () => {
  const base = loadConfig({ NODE_ENV: 'test' });
  app = await startTestApp({
    observability: { ...base.observability, metrics: true, metricsToken: TOKEN },
    // startTestApp's generous limits, except two failed logins per account and address
    rateLimits: {
      requestsPerMinute: 1_000_000,
      costPerMinute: 100_000_000,
      loginsPerEmail: 2,
      loginsPerAccount: 10_000,
      loginsPerIp: 100_000,
      prefix: 'nokkel-test',
    },
    events: {
      ...base.events,
      worker: false,
      allowPrivateNetworks: true,
      backoffBaseMs: 20,
      timeoutMs: 2_000,
      leaseMs: 10_000,
      secretKey: randomBytes(32),
    },
  });
  world = await buildWorld(app.seed);
  receiver = await new Receiver().start();
});
afterAll(async () => {
  await receiver?.close();
  await app?.close();
});

async function scrape(headers: Record<string, string> = { authorization: `Bearer ${TOKEN}` }) {
  const response = await fetch(`${app.url}/metrics`, { headers });
  return { response, text: await response.text() };
}

async function metrics(): Promise<Exposition> {
  const { response, text } = await scrape();
  expect(response.status).toBe(200);
  return parsePrometheusText(text);
}

test('/metrics without the METRICS_TOKEN, or with another, is 401 and shows nothing', async () => {
  const attempts: Record<string, string>[] = [
    {},
    { authorization: 'Bearer wrong-token-0123456789' },
    { authorization: TOKEN },
  ];
  for (const headers of attempts) {
    const { response, text } = await scrape(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect(text).not.toContain('nokkel_graphql_requests_total');
  }
});

test('/metrics answers Prometheus text (version 0.0.4) that a strict reader accepts', async () => {
  const { response, text } = await scrape();
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  expect(response.headers.get('cache-control')).toBe('no-store');
  const exposition = parsePrometheusText(text);
  expect(
    Object.fromEntries([...exposition.types].filter(([name]) => /^nokkel_(graphql|rate|cost|webhook|db)_/.test(name))),
  ).toEqual({
    nokkel_graphql_requests_total: 'counter',
    nokkel_graphql_request_duration_seconds: 'histogram',
    nokkel_rate_limit_refusals_total: 'counter',
    nokkel_cost_gate_wait_seconds: 'histogram',
    nokkel_cost_gate_refusals_total: 'counter',
    nokkel_webhook_delivery_attempts_total: 'counter',
    nokkel_webhook_endpoints_disabled_total: 'counter',
    nokkel_db_statements_total: 'counter',
    nokkel_db_statement_errors_total: 'counter',
    // the connection pool's state, on MySQL/MariaDB (SQLite has one connection)
    ...(testDatabaseKind() === 'mariadb'
      ? { nokkel_db_pool_connections: 'gauge', nokkel_db_pool_waiting: 'gauge', nokkel_db_pool_max: 'gauge' }
      : {}),
  });
  if (testDatabaseKind() === 'mariadb') {
    const pool = exposition.samples.filter((s) => s.name === 'nokkel_db_pool_connections');
    expect(pool.map((s) => s.labels.state).sort()).toEqual(['idle', 'in_use']);
    expect(exposition.samples.find((s) => s.name === 'nokkel_db_pool_max')?.value).toBeGreaterThan(0);
  }
  // and the process's own (memory, event loop)
  expect(exposition.types.get('nokkel_process_resident_memory_bytes')).toBe('gauge');
  expect(exposition.types.get('nokkel_nodejs_eventloop_lag_seconds')).toBe('gauge');
});

test('requests count by operation name and outcome, with their latency', async () => {
  const before = await metrics();
  const requests = (operation: string, outcome: string, m: Exposition) =>
    m.value('nokkel_graphql_requests_total', { operation, outcome });

  const login = await app.api.request(
    'mutation Login { login(email: "per@regnskap.example", password: "demo-password") { token } }',
  );
  const per: string = login.data.login.token;
  issuedSecrets.add(per);
  const viewer = await app.api.request('query Viewer { viewer { company { name } } }', {}, { token: per });
  expect(viewer.errors).toEqual([]);
  const salary = await app.api.request('query Salary { viewer { employee { annualSalary } } }', {}, { token: per });
  expect(salary.errors.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
  await app.api.request('query Viewer { viewer { company { name } } }', {}, { token: 'nks_not-a-real-session' });
  await app.api.request('query Broken { viewer {', {});
  await app.api.request('{ applications(first: 1) { totalCount } }');

  const after = await metrics();
  const delta = (operation: string, outcome: string) =>
    requests(operation, outcome, after) - requests(operation, outcome, before);
  expect({
    login: delta('Login', 'ok'),
    viewer: delta('Viewer', 'ok'),
    salary: delta('Salary', 'FORBIDDEN'),
    badToken: delta('unknown', 'UNAUTHENTICATED'),
    parse: delta('unknown', 'GRAPHQL_PARSE_FAILED'),
    anonymous: delta('anonymous', 'ok'),
  }).toEqual({ login: 1, viewer: 1, salary: 1, badToken: 1, parse: 1, anonymous: 1 });

  const histogram = 'nokkel_graphql_request_duration_seconds';
  expect(after.value(`${histogram}_count`, { operation: 'Viewer' })).toBe(
    before.value(`${histogram}_count`, { operation: 'Viewer' }) + 1,
  );
  expect(after.value(`${histogram}_sum`, { operation: 'Viewer' })).toBeGreaterThan(0);
  const buckets = after.samples.filter((s) => s.name === `${histogram}_bucket` && s.labels.operation === 'Viewer');
  expect(buckets.at(-1)?.labels.le).toBe('+Inf');
  expect(buckets.at(-1)?.value).toBe(after.value(`${histogram}_count`, { operation: 'Viewer' }));
  buckets.slice(1).forEach((bucket, i) => expect(bucket.value).toBeGreaterThanOrEqual(buckets[i].value));

  expect(after.value('nokkel_db_statements_total')).toBeGreaterThan(before.value('nokkel_db_statements_total'));
});

test('rate-limit refusals count by the limit that refused', async () => {
  const before = await metrics();
  const codes: string[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await app.api.request(
      'mutation ($p: String!) { login(email: "ola@regnskap.example", password: $p) { token } }',
      {
        p: 'wrong-password',
      },
    );
    codes.push(String(res.errors[0]?.extensions?.code));
  }
  expect(codes).toEqual(['UNAUTHENTICATED', 'UNAUTHENTICATED', 'RATE_LIMITED']);
  const after = await metrics();
  const refusals = (limiter: string, m: Exposition) => m.value('nokkel_rate_limit_refusals_total', { limiter });
  expect(refusals('login_account_address', after) - refusals('login_account_address', before)).toBe(1);
  expect(refusals('requests', after) - refusals('requests', before)).toBe(0);
  expect(after.value('nokkel_graphql_requests_total', { operation: 'anonymous', outcome: 'RATE_LIMITED' })).toBe(
    before.value('nokkel_graphql_requests_total', { operation: 'anonymous', outcome: 'RATE_LIMITED' }) + 1,
  );
});

test('webhook delivery attempts count by outcome', async () => {
  const before = await metrics();
  const kari = await app.api.login('kari@regnskap.example');
  const { id } = await createEndpoint(app, kari, `${receiver.url}/metrics-hook`);
  receiver.answer('/metrics-hook', 500);
  await emit(app, [keyCreated(world.office.id, 'key_metrics')]);
  await driveUntil(app, async () => {
    const rows: { status: string }[] = await app.server.db.manager.query(
      'SELECT status FROM webhook_delivery WHERE endpoint_id = ?',
      [id],
    );
    return rows.length > 0 && rows.every((row) => row.status === 'DELIVERED');
  });
  const after = await metrics();
  const attempts = (outcome: string, m: Exposition) => m.value('nokkel_webhook_delivery_attempts_total', { outcome });
  expect({
    retrying: attempts('retrying', after) - attempts('retrying', before),
    delivered: attempts('delivered', after) - attempts('delivered', before),
    failed: attempts('failed', after) - attempts('failed', before),
  }).toEqual({ retrying: 1, delivered: 1, failed: 0 });
});

test('no company, person, email or credential appears in /metrics', async () => {
  const { text } = await scrape();
  const ids = [world.office, world.bakeri, world.fjordFisk, world.other.office].map((company) => company.id);
  const people = [world.kari, world.other.admin].flatMap((employee) => [employee.id, employee.email ?? employee.id]);
  for (const forbidden of [...ids, ...people, ...issuedSecrets, TOKEN, 'Regnskap AS'])
    expect({ forbidden, found: text.includes(forbidden) }).toEqual({ forbidden, found: false });
  expect(text).not.toMatch(/\b(cmp|emp|key|nks|nkl)_[A-Za-z0-9]/);
});
