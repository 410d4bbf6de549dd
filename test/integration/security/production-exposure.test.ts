import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ env: 'production', introspection: false, explorer: false, debugErrors: false });
});
afterAll(() => app.close());

test('in production introspection is off', async () => {
  const res = await app.api.request('{ __schema { types { name } } }');
  expect(res.status).toBe(400);
  expect(res.errors[0].message).toMatch(/introspection/i);
});

test('in production validation errors give no "Did you mean" suggestions', async () => {
  const res = await app.api.request('{ permisions { permission } }');
  expect(codes(res)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  expect(res.errors[0].message).not.toMatch(/Did you mean/);
});

test('in production no error carries a stack trace', async () => {
  const res = await app.api.request('{ viewer { company { name } } }');
  expect(codes(res)).toEqual(['UNAUTHENTICATED']);
  expect(JSON.stringify(res.errors)).not.toMatch(/stacktrace|at .*\.js/);
});

test('in production the explorer is not served', async () => {
  const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
  expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
});
