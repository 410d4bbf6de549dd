import { Permission } from '../../../server/src/auth/permission';
import { useWorld } from '../../testkit/run';

/**
 * Nøkkel's own pipeline answers a document Apollo has already validated (http/prepared-pipeline).
 * Each request below is sent twice: the first time Apollo parses, validates and answers it, the
 * second time the own pipeline does — and the two answers must be the same: status, content type,
 * the headers' names, and the body byte for byte (request ids aside). Requests it must leave to
 * Apollo are checked to reach Apollo. The whole suite runs on both pipelines too: every document a
 * test file sends more than once is answered by the own pipeline from its second time.
 */

const kit = useWorld({ sessions: ['kari', 'per'] });

beforeAll(async () => {
  await kit.app.seed.markIntegrationsActivatedBy(kit.world.office, kit.world.kari);
});

interface Answer {
  status: number;
  contentType: string | null;
  headerNames: string[];
  body: string;
}

const VARYING = new Set(['date', 'x-request-id', 'x-sql-statements', 'ratelimit-remaining', 'ratelimit']);

async function post(body: unknown, headers: Record<string, string>): Promise<Answer> {
  const res = await fetch(`${kit.app.url}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    headerNames: [...res.headers.keys()].filter((name) => !VARYING.has(name)).sort(),
    // a masked error quotes its own request's id
    body: text
      .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<request id>')
      // the minute's cost budget: what is left one request later, and when it refills
      .replace(/"remaining":\d+/g, '"remaining":<n>')
      .replace(/"resetAt":"[^"]+"/g, '"resetAt":<time>'),
  };
}

const served = () => kit.app.server.preparedPipeline?.served ?? 0;

/** Sends the request twice; returns both answers and which pipeline gave each. */
async function twice(body: unknown, headers: Record<string, string> = {}) {
  const before = served();
  const first = await post(body, headers);
  const between = served();
  const second = await post(body, headers);
  return { first, second, firstByOwn: between > before, secondByOwn: served() > between };
}

const enabled = () => kit.app.server.preparedPipeline !== null;

describe('the own pipeline answers as Apollo does', () => {
  const kari = () => ({ authorization: `Bearer ${kit.token.kari}` });
  /** What is sent, and what Apollo's first answer is (status, a piece of its body). */
  const cases: [string, () => { body: unknown; headers: Record<string, string> }, number, string][] = [
    [
      'a read',
      () => ({ body: { query: '{ company { name } viewer { employee { name } } }' }, headers: kari() }),
      200,
      '"data":{"company":{"name":',
    ],
    [
      'a field refused at its path (null and FORBIDDEN)',
      () => ({
        body: { query: '{ company { integrationsActivatedBy { name email } } }' },
        headers: { authorization: `Bearer ${kit.token.per}` },
      }),
      // a refusal at a path answers 403, with the rest of the data
      403,
      '"code":"FORBIDDEN"',
    ],
    [
      'variables of the wrong type',
      () => ({
        body: { query: 'query ($n: Int) { userKeys(first: $n) { totalCount } }', variables: { n: 'many' } },
        headers: kari(),
      }),
      400,
      '"code":"BAD_USER_INPUT"',
    ],
    [
      'a required variable missing',
      () => ({ body: { query: 'query ($id: ID!) { node(id: $id) { id } }', variables: {} }, headers: kari() }),
      400,
      '"code":"BAD_USER_INPUT"',
    ],
    [
      'an operation over the cost limit (refused before execution)',
      () => ({
        body: {
          query:
            'query ($n: Int) { userKeys(first: $n) { edges { node { owner { name } clients(first: 100) { edges { node { client { name } } } } } } } }',
          variables: { n: 100 },
        },
        headers: kari(),
      }),
      400,
      '"limit":"cost"',
    ],
    [
      'a mutation refused by its resolver',
      () => ({
        body: {
          query: 'mutation ($input: CreateUserKeyInput!) { createUserKey(input: $input) { userKey { id } token } }',
          variables: {
            input: { name: 'Prøve', employeeId: 'nope', accessMode: 'CUSTOM', permissions: [Permission.CUSTOMER_READ] },
          },
        },
        headers: kari(),
      }),
      400,
      '"data":null',
    ],
    ['no credential', () => ({ body: { query: '{ company { name } }' }, headers: {} }), 401, '"UNAUTHENTICATED"'],
    [
      'one of two operations chosen by name',
      () => ({
        body: { query: 'query A { company { name } } query B { viewer { employee { name } } }', operationName: 'B' },
        headers: kari(),
      }),
      200,
      '"data":{"viewer":{"employee":{"name":',
    ],
    [
      'Accept: application/graphql-response+json',
      () => ({
        body: { query: '{ viewer { actingAtClient } }' },
        headers: { ...kari(), accept: 'application/graphql-response+json, application/json' },
      }),
      200,
      '"data":{"viewer":{"actingAtClient":false}}',
    ],
  ];

  test.each(cases)('%s', async (_name, request, status, fragment) => {
    const { body, headers } = request();
    const { first, second, firstByOwn, secondByOwn } = await twice(body, headers);
    expect([first.status, first.body]).toEqual([status, expect.stringContaining(fragment)]);
    expect(second).toEqual(first);
    expect(firstByOwn).toBe(false);
    expect(secondByOwn).toBe(enabled());
  });

  test('a credential that does not authenticate: the context fails, answered alike', async () => {
    // Apollo never validates a document whose request has no context: the one below is validated first
    const prepared = '{ company { id name } }';
    await post({ query: prepared }, kari());
    const before = served();
    const byApollo = await post({ query: '{ company { name id } }' }, { authorization: 'Bearer not-a-token' });
    const byOwn = await post({ query: prepared }, { authorization: 'Bearer not-a-token' });
    expect(served()).toBe(before + (enabled() ? 1 : 0));
    expect(byApollo.status).toBe(401);
    expect(byOwn).toEqual(byApollo);
  });

  test('an unexpected failure is masked the same way, its detail logged each time', async () => {
    await kit.app.server.db.manager.query('DROP TABLE invoice');
    const { first, second, secondByOwn } = await twice(
      { query: '{ invoices { totalCount } }' },
      { authorization: `Bearer ${kit.token.kari}` },
    );
    expect(first.body).toContain('INTERNAL_SERVER_ERROR');
    expect(second).toEqual(first);
    expect(secondByOwn).toBe(enabled());
    expect(
      kit.app.logs.filter((line) => /unexpected error/.test(line) && /invoice/i.test(line)).length,
    ).toBeGreaterThanOrEqual(2);
  });
});

describe('what the own pipeline leaves to Apollo', () => {
  const kari = () => ({ authorization: `Bearer ${kit.token.kari}` });
  test.each([
    ['an operation name that selects nothing', () => ({ query: 'query A { company { name } }', operationName: 'Z' })],
    ['extensions in the body', () => ({ query: '{ company { id } }', extensions: {} })],
    ['variables that are not an object', () => ({ query: '{ company { name } }', variables: [1] })],
  ])('%s', async (_name, body) => {
    const { first, second, firstByOwn, secondByOwn } = await twice(body(), kari());
    expect(second).toEqual(first);
    expect([firstByOwn, secondByOwn]).toEqual([false, false]);
  });

  test('an Accept it cannot answer (406 from Apollo), and a body that is not sent as application/json', async () => {
    const query = { query: '{ company { name } }' };
    await twice(query, kari());
    const before = served();
    const html = await post(query, { ...kari(), accept: 'text/html' });
    expect(html.status).toBe(406);
    const plain = await post(query, { ...kari(), 'content-type': 'text/plain; x=json' });
    expect(plain.status).toBe(400);
    expect(plain.body).toMatch(/CSRF|Cross-Site/);
    expect(served()).toBe(before);
  });

  test('a document that fails validation is never kept: it is refused each time by Apollo', async () => {
    const { first, second, secondByOwn } = await twice({ query: '{ company { nosuchfield } }' }, kari());
    expect(first.status).toBe(400);
    expect(second).toEqual(first);
    expect(secondByOwn).toBe(false);
  });
});
