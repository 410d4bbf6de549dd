import { DEFAULT_QUERY_LIMITS } from '../../../server/src/http/cost/query-limits';
import { Database } from '../../../server/src/db/database';
import { PoolShare } from '../../../server/src/db/pool-share';
import { startTestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari'] });
const CHEAP_PAGE = '{ clients(first: 5) { edges { node { company { name } } } } }';

describe('query limits', () => {
  // the pool's company share exists on MySQL/MariaDB only (SQLite runs a company's reads on one reader)
  (testDatabaseKind() === 'mariadb' ? test : test.skip)(
    'a heavy operation’s statements take its company’s one heavy connection; a cheap one its share',
    async () => {
      // the share's own acquire runs as always; the spy only records which lane each statement took
      const acquire = jest.spyOn(PoolShare.prototype, 'acquire');
      const lanes = () => acquire.mock.calls.splice(0).map(([lane]) => lane);
      try {
        const heavy =
          '{ a: userKeys(first: 50) { edges { node { clients(first: 20) { edges { node { client { name } } } } } } } b: clients(first: 100) { edges { node { company { name } } } } }';
        lanes();
        expectOk(await kit.app.api.request(heavy, {}, { token: kit.token.kari }));
        const heavyLanes = lanes();
        expectOk(await kit.app.api.request(CHEAP_PAGE, {}, { token: kit.token.kari }));
        const cheapLanes = lanes();
        expect(heavyLanes.length).toBeGreaterThan(1);
        expect(heavyLanes.every((lane) => lane.endsWith('\u0000heavy'))).toBe(true);
        expect(cheapLanes.length).toBeGreaterThan(0);
        expect(cheapLanes.some((lane) => lane.endsWith('\u0000heavy'))).toBe(false);
      } finally {
        acquire.mockRestore();
      }
    },
  );

  (testDatabaseKind() === 'mariadb' ? test : test.skip)(
    'a heavy operation’s prepared reads take the heavy lane too, each statement once',
    async () => {
      const acquire = jest.spyOn(PoolShare.prototype, 'acquire');
      const read = jest.spyOn(Database.prototype, 'read');
      try {
        // the customer pages and their counts are prepared reads (Database.read), beside TypeORM's
        const page = (alias: string) => `${alias}: customers(first: 100) { totalCount edges { node { name } } }`;
        const heavy = `{ ${['a', 'b', 'c', 'd', 'e', 'f'].map(page).join(' ')} k: userKeys(first: 50) { edges { node { clients(first: 20) { edges { node { client { name } } } } } } } }`;
        acquire.mockClear();
        read.mockClear();
        const res = await kit.app.api.request(heavy, {}, { token: kit.token.kari });
        expectOk(res);
        const lanes = acquire.mock.calls.map(([lane]) => lane);
        // more than the credential lookup went through Database.read
        expect(read.mock.calls.length).toBeGreaterThan(6);
        expect(lanes.every((lane) => lane.endsWith('\u0000heavy'))).toBe(true);
        // every statement but the credential lookup (it runs before the company is known) took a lane
        expect(lanes.length).toBe(res.statements - 1);
      } finally {
        acquire.mockRestore();
        read.mockRestore();
      }
    },
  );

  test('a query nested deeper than 6 levels (edges/node not counted) is refused with a clear 400', async () => {
    // viewer > employee > userKeys > owner > userKeys > owner > userKeys > owner > name = 9 levels
    const deep =
      '{ viewer { employee { userKeys { owner { userKeys { owner { userKeys { owner { name } } } } } } } } }';
    const res = await kit.app.api.request(deep, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expect(res.errors[0].message).toMatch(/nested 9 levels deep; the limit is 6/);
    const overview =
      '{ userKeys(first: 5) { edges { node { owner { name } clients(first: 5) { edges { node { client { name } template { name } } } } } } } }';
    expect((await kit.app.api.request(overview, {}, { token: kit.token.kari })).errors).toEqual([]);
  });

  test('more than 15 aliases is refused', async () => {
    const aliases = Array.from({ length: 16 }, (_, i) => `a${i}: company { name }`).join(' ');
    const res = await kit.app.api.request(`{ ${aliases} }`, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expect(res.errors[0].message).toMatch(/16 aliases; the limit is 15/);
  });

  test('more than 50 directives is refused', async () => {
    const fields = Array.from({ length: 51 }, () => 'name @include(if: true)').join(' ');
    const res = await kit.app.api.request(`{ company { ${fields} } }`, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expect(res.errors[0].message).toMatch(/51 directives; the limit is 50/);
  });

  test('a document of more than 1000 tokens is refused while parsing', async () => {
    const res = await kit.app.api.request(`{ company { ${'name '.repeat(1001)} } }`, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expectCode(res, 'GRAPHQL_PARSE_FAILED');
    expect(res.errors[0].message).toMatch(/more tha[nt] 1000 tokens/);
  });

  test('the cost counts `first` from variables, and a query over the limit is refused before it runs', async () => {
    const q =
      'query ($n: Int!, $m: Int!) { userKeys(first: $n) { edges { node { owner { name } clients(first: $m) { edges { node { client { name } template { name } } } } } } } }';
    const small = await kit.app.api.request(q, { n: 2, m: 3 }, { token: kit.token.kari });
    // 1 (userKeys) + 2 × (owner 1 + clients 1 + 3 × (client 1 + template 1))
    expect(small.errors).toEqual([]);
    expect((small as unknown as { statements: number }).statements).toBeGreaterThan(0);
    const big = await kit.app.api.request(q, { n: 100, m: 100 }, { token: kit.token.kari });
    expect(big.status).toBe(400);
    expectCode(big, 'BAD_USER_INPUT');
    expect(big.errors[0].extensions).toMatchObject({ limit: 'cost', value: 1 + 100 * (2 + 100 * 2), max: 5000 });
    expect(big.statements).toBeLessThanOrEqual(2); // refused before any resolver touched the database
  });

  test('every answer reports its cost and the remaining budget in extensions.cost', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${kit.token.kari}` },
      body: JSON.stringify({ query: '{ userKeys(first: 10) { edges { node { owner { name } } } } }' }),
    });
    const body = await res.json();
    expect(body.extensions.cost).toMatchObject({ requested: 11, limit: 5000 });
    expect(body.extensions.cost.remaining).toBeGreaterThan(0);
    expect(Date.parse(body.extensions.cost.resetAt)).toBeGreaterThan(Date.now() - 1000);
  });
});

describe('work bounded before it is done', () => {
  test('a 90-level chain of fragments each spreading the next twice is costed at once and refused', async () => {
    const fragments = Array.from({ length: 90 }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
    const query = `query { ...F0 } ${fragments.join(' ')} fragment F90 on Query { company { name } }`;
    const res = await kit.app.api.request(query, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.errors[0].extensions).toMatchObject({ limit: 'cost', max: 5000 });
  });

  test('finding 7: the cost counts a variable’s default value', async () => {
    const q =
      'query ($n: Int = 100, $m: Int = 100) { userKeys(first: $n) { edges { node { owner { name } clients(first: $m) { edges { node { client { name } template { name } } } } } } } }';
    const res = await kit.app.api.request(q, {}, { token: kit.token.kari });
    expect(res.status).toBe(400);
    expect(res.errors[0].extensions).toMatchObject({ limit: 'cost', value: 1 + 100 * (2 + 100 * 2) });
    expect(res.statements).toBeLessThanOrEqual(2);
  });

  test('finding 11: aliased __schema counts for aliases, depth and cost, also without a credential', async () => {
    const aliased = Array.from({ length: 16 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ');
    const many = await kit.app.api.request(`{ ${aliased} }`);
    expect(many.status).toBe(400);
    expect(many.errors[0].extensions).toMatchObject({ limit: 'aliases', value: 16 });
    const deep = await kit.app.api.request(
      '{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }',
    );
    expect(deep.errors[0].extensions).toMatchObject({ limit: 'depth' });
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ a: __schema { queryType { name } } b: __schema { queryType { name } } }' }),
    });
    expect((await res.json()).extensions.cost.requested).toBe(200);
  });

  test('totalCount carries the cost of its COUNT', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${kit.token.kari}` },
      body: JSON.stringify({ query: '{ userKeys(first: 10) { totalCount edges { node { owner { name } } } } }' }),
    });
    // a root list's count reads the whole list: priced as a full page (100); 10 keys with their owner: 10
    expect((await res.json()).extensions.cost.requested).toBe(1 + 100 + 10);
  });

  test('an over-long search is BAD_USER_INPUT naming the argument, not a 500', async () => {
    for (const field of ['employees', 'clients', 'applications']) {
      const res = await kit.app.api.request(
        `query ($q: String) { ${field}(search: $q) { totalCount } }`,
        { q: 'x'.repeat(60_000) },
        { token: kit.token.kari },
      );
      expectCode(res, 'BAD_USER_INPUT');
      expect(res.errors[0].message).toMatch(/search: is 60000 characters long; at most 200/);
    }
    const literal = await kit.app.api.request(
      `{ employees(search: "${'y'.repeat(300)}") { totalCount } }`,
      {},
      { token: kit.token.kari },
    );
    expectCode(literal, 'BAD_USER_INPUT');
  });

  test('every string argument has a length limit, inside input objects too', async () => {
    const res = await kit.app.api.request(
      'mutation ($name: String!) { createAccessTemplate(input: { name: $name, permissions: [LOGIN] }) { id } }',
      { name: 'n'.repeat(5000) },
      { token: kit.token.kari },
    );
    expect(res.status).toBe(400);
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.errors[0].message).toMatch(/at most 2000/);
  });

  test('a request resolving more list items than the limit is refused while it runs', async () => {
    const small = await startTestApp({ queryLimits: { ...DEFAULT_QUERY_LIMITS, maxResolvedObjects: 5 } });
    try {
      const res = await small.api.request('{ permissions { permission } }');
      expectCode(res, 'BAD_USER_INPUT');
      expect(res.errors[0].message).toMatch(/more than 5 objects/);
      expect(res.errors[0].extensions).toMatchObject({ limit: 'resolvedObjects', max: 5 });
      expect(res.data?.permissions ?? null).toBeNull();
    } finally {
      await small.close();
    }
    // the default limit lets the same request through
    expectOk(await kit.app.api.request('{ permissions { permission } }'));
  });
});

describe('HTTP hardening', () => {
  test('batched requests (a JSON array) are refused', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ permissions { permission } }' }, { query: '{ permissions { label } }' }]),
    });
    expect(res.status).toBe(400);
    expect(await res.text()).not.toContain('"data"');
  });

  test('a body over the size limit is 413 without being read to the end', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ permissions { permission } } # ${'x'.repeat(1024 * 1024)}` }),
    });
    expect(res.status).toBe(413);
    expect((await res.json()).errors[0].extensions.code).toBe('PAYLOAD_TOO_LARGE');
  });

  test('invalid JSON is a 400 with a message, not a 500', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"query": ',
    });
    expect(res.status).toBe(400);
    expect((await res.json()).errors[0].message).toMatch(/not valid JSON/);
  });

  test('CSRF prevention: a GET query without a preflight header is refused', async () => {
    const res = await fetch(`${kit.app.url}/graphql?query=${encodeURIComponent('{ permissions { permission } }')}`);
    expect(res.status).toBe(400);
    const ok = await fetch(`${kit.app.url}/graphql?query=${encodeURIComponent('{ permissions { permission } }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(ok.status).toBe(200);
  });

  test('responses carry secure headers and a request id', async () => {
    const res = await fetch(`${kit.app.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ permissions { permission } }' }),
    });
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('DENY');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  test('an unexpected failure is masked as INTERNAL_SERVER_ERROR with a correlation id; the detail is only in the log', async () => {
    await kit.app.server.db.manager.query('DROP TABLE invoice');
    const res = await kit.app.api.request('{ invoices { totalCount } }', {}, { token: kit.token.kari });
    expectCode(res, 'INTERNAL_SERVER_ERROR');
    const requestId = res.errors[0].extensions?.requestId as string;
    expect(res.errors[0].message).toBe(`Internal error. Quote reference ${requestId} when reporting it.`);
    expect(JSON.stringify({ message: res.errors[0].message, extensions: res.errors[0].extensions })).not.toMatch(
      /invoice|SELECT|stack|sqlite|mysql/i,
    );
    expect(kit.app.logs.some((line) => line.includes(requestId) && /invoice/i.test(line))).toBe(true);
  });
});
