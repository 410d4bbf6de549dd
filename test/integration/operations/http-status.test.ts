import { startTestApp, type TestApp } from '../../testkit/app';
import { buildWorld } from '../../testkit/world';

/**
 * One rule for HTTP statuses (README: HTTP status codes), per the GraphQL-over-HTTP specification:
 * a request refused before execution has no `data` and a 4xx; once the operation ran (`data`
 * present, even null), `application/graphql-response+json` answers 200 with the errors, while
 * `application/json` keeps the status of the first error's code.
 */

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp();
  await buildWorld(app.seed);
});
afterAll(() => app.close());

interface Case {
  name: string;
  body: Record<string, unknown>;
  token?: string;
  /** [application/json, application/graphql-response+json] */
  status: [number, number];
  code: string | null;
  data: boolean;
}

const CASES: Case[] = [
  { name: 'no error', body: { query: '{ permissions { permission } }' }, status: [200, 200], code: null, data: true },
  {
    name: 'not parsable',
    body: { query: '{ viewer {' },
    status: [400, 400],
    code: 'GRAPHQL_PARSE_FAILED',
    data: false,
  },
  {
    name: 'not valid',
    body: { query: '{ nope }' },
    status: [400, 400],
    code: 'GRAPHQL_VALIDATION_FAILED',
    data: false,
  },
  { name: 'no query', body: { variables: {} }, status: [400, 400], code: 'BAD_REQUEST', data: false },
  {
    name: 'a variable of the wrong type',
    body: { query: 'query ($n: Int) { applications(first: $n) { totalCount } }', variables: { n: 'x' } },
    status: [400, 400],
    code: 'BAD_USER_INPUT',
    data: false,
  },
  {
    name: 'a credential that does not authenticate',
    body: { query: '{ viewer { company { name } } }' },
    token: 'nks_not-a-session',
    status: [401, 401],
    code: 'UNAUTHENTICATED',
    data: false,
  },
  {
    name: 'a field that needs a credential (execution)',
    body: { query: '{ viewer { company { name } } }' },
    status: [401, 200],
    code: 'UNAUTHENTICATED',
    data: true,
  },
  {
    name: 'a wrong password (execution)',
    body: { query: 'mutation { login(email: "kari@regnskap.example", password: "wrong") { token } }' },
    status: [401, 200],
    code: 'UNAUTHENTICATED',
    data: true,
  },
];

describe.each([
  ['application/json', 0],
  ['application/graphql-response+json', 1],
] as const)('Accept: %s', (accept, column) => {
  test.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept };
    if (c.token) headers.authorization = `Bearer ${c.token}`;
    const response = await fetch(`${app.url}/graphql`, { method: 'POST', headers, body: JSON.stringify(c.body) });
    const body = (await response.json()) as { data?: unknown; errors?: { extensions?: { code?: string } }[] };
    expect({
      status: response.status,
      type: response.headers.get('content-type'),
      code: body.errors?.[0]?.extensions?.code ?? null,
      data: 'data' in body,
    }).toEqual({ status: c.status[column], type: `${accept}; charset=utf-8`, code: c.code, data: c.data });
  });
});

test('without Accept the answer is application/json', async () => {
  const response = await fetch(`${app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ viewer {' }),
  });
  expect([response.status, response.headers.get('content-type')]).toEqual([400, 'application/json; charset=utf-8']);
});

test('a field refused during execution: 403 in application/json, 200 in application/graphql-response+json, partial data in both', async () => {
  const per = await app.api.login('per@regnskap.example');
  const statuses: Record<string, number> = {};
  for (const accept of ['application/json', 'application/graphql-response+json']) {
    const response = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept, authorization: `Bearer ${per}` },
      body: JSON.stringify({ query: '{ viewer { employee { name annualSalary } } }' }),
    });
    const body = (await response.json()) as { data: { viewer: { employee: { name: string; annualSalary: null } } } };
    expect(body.data.viewer.employee).toEqual({ name: 'Per Berg', annualSalary: null });
    statuses[accept] = response.status;
  }
  expect(statuses).toEqual({ 'application/json': 403, 'application/graphql-response+json': 200 });
});
