import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseKind } from '../../testkit/database';
import { startServerProcess } from '../../testkit/server-process';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

const kit = useWorld({
  config: { env: 'production', introspection: false, explorer: false, debugErrors: false },
  seed: false,
});

test('in production introspection is off', async () => {
  const res = await kit.app.api.request('{ __schema { types { name } } }');
  expect(res.status).toBe(400);
  expect(res.errors[0].message).toMatch(/introspection/i);
});

test('in production validation errors give no "Did you mean" suggestions', async () => {
  const res = await kit.app.api.request('{ permisions { permission } }');
  expectCode(res, 'GRAPHQL_VALIDATION_FAILED');
  expect(res.errors[0].message).not.toMatch(/Did you mean/);
});

test('in production no error carries a stack trace', async () => {
  const res = await kit.app.api.request('{ viewer { company { name } } }');
  expectCode(res, 'UNAUTHENTICATED');
  expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|at .*\.js/);
});

test('in production the explorer is not served', async () => {
  const res = await fetch(`${kit.app.url}/graphql`, { headers: { accept: 'text/html' } });
  expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
});

describe('a NODE_ENV other than development or test (a real process)', () => {
  const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

  onSqlite(
    'NODE_ENV=staging is production: no explorer, no introspection; demo data only on SEED_DEMO=on, with a warning',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'nokkel-staging-'));
      const server = await startServerProcess(join(dir, 'db.sqlite'), { NODE_ENV: 'staging', SEED_DEMO: 'on' });
      try {
        const page = await fetch(`${server.url}/graphql`, { headers: { accept: 'text/html' } });
        expect(page.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
        const introspection = await fetch(`${server.url}/graphql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ query: '{ __schema { types { name } } }' }),
        });
        expect(introspection.status).toBe(400);
        const warning = server
          .output()
          .split('\n')
          .filter((line) => line.startsWith('{'))
          .map((line) => JSON.parse(line) as { level: number; msg: string })
          .find((line) => /demo data outside development/.test(line.msg));
        expect(warning?.level).toBe(40);
      } finally {
        server.child.kill('SIGKILL');
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  onSqlite('NODE_ENV=prod without SEED_DEMO loads no demo accounts', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nokkel-prod-'));
    const server = await startServerProcess(join(dir, 'db.sqlite'), { NODE_ENV: 'prod', SEED_DEMO: '' });
    try {
      const login = await fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation { login(email: "kari@regnskap.example", password: "demo-password") { token } }',
        }),
      });
      const body = (await login.json()) as { data?: { login?: unknown }; errors?: unknown[] };
      expect(body.data?.login ?? null).toBeNull();
      expect(server.output()).not.toMatch(/Demo logins/);
    } finally {
      server.child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
