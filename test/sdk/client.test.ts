import { print } from 'graphql';
import {
  ClientsDocument,
  createClient,
  ErrorCode,
  NokkelError,
  Permission,
  typedDocument,
  ViewerDocument,
  type DocumentTypeDecoration,
  type FetchLike,
  type PageVariables,
} from '../../client-sdk/src';

/** The SDK's transport and error mapping, against a scripted fetch (no server). */
interface Sent {
  url: string;
  headers: Record<string, string>;
  body: { query: string; variables: Record<string, unknown>; operationName?: string };
}

function scripted(...replies: Array<{ status?: number; body: unknown } | Error>): { fetch: FetchLike; sent: Sent[] } {
  const sent: Sent[] = [];
  const fetch: FetchLike = async (url, init) => {
    sent.push({ url, headers: init.headers, body: JSON.parse(init.body) });
    const reply = replies.shift();
    if (!reply) throw new Error('no scripted reply left');
    if (reply instanceof Error) throw reply;
    const text = typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
    return { status: reply.status ?? 200, text: async () => text };
  };
  return { fetch, sent };
}

const ENDPOINT = 'http://127.0.0.1:1/graphql';

test('a method posts its operation with variables, credential and company headers and returns data', async () => {
  const { fetch, sent } = scripted({ body: { data: { revokeUserKey: { id: 'key_1', status: 'REVOKED' } } } });
  const client = createClient({ url: ENDPOINT, token: 'nks_secret', companyId: 'cmp_1', fetch });
  const data = await client.revokeUserKey({ id: 'key_1' });
  expect(data.revokeUserKey.id).toBe('key_1');
  expect(sent).toHaveLength(1);
  expect(sent[0].url).toBe(ENDPOINT);
  expect(sent[0].headers).toMatchObject({
    authorization: 'Bearer nks_secret',
    'x-company-id': 'cmp_1',
    'content-type': 'application/json',
  });
  expect(sent[0].body.operationName).toBe('revokeUserKey');
  expect(sent[0].body.query).toMatch(/^mutation revokeUserKey\(\$id: ID!\)/);
  expect(sent[0].body.query).toContain('fragment UserKeyFields on UserKey');
  expect(sent[0].body.variables).toEqual({ id: 'key_1' });
});

test('withCompany and withToken return new clients; the original is unchanged', async () => {
  const reply = { body: { data: { company: { id: 'x' } } } };
  const { fetch, sent } = scripted(reply, reply, reply, reply);
  const base = createClient({ url: ENDPOINT, token: 'nks_a', fetch });
  const atClient = base.withCompany('cmp_client');
  const asKey = atClient.withToken('nkl_key');
  await base.company();
  await atClient.company();
  await asKey.company();
  await asKey.withCompany(undefined).company();
  expect(sent.map((s) => [s.headers.authorization, s.headers['x-company-id']])).toEqual([
    ['Bearer nks_a', undefined],
    ['Bearer nks_a', 'cmp_client'],
    ['Bearer nkl_key', 'cmp_client'],
    ['Bearer nkl_key', undefined],
  ]);
  expect(base.companyId).toBeUndefined();
  expect(atClient.companyId).toBe('cmp_client');
  expect(JSON.stringify(asKey)).not.toContain('nkl_key');
});

test('a GraphQL error response throws NokkelError with code, path, extensions, all errors and partial data', async () => {
  const errors = [
    {
      message: 'Employee.annualSalary requires the PAYROLL_READ permission in Regnskap AS.',
      path: ['employee', 'annualSalary'],
      extensions: { code: 'FORBIDDEN', requiredPermission: ['PAYROLL_READ'] },
    },
    { message: 'second', extensions: { code: 'FORBIDDEN' } },
  ];
  const { fetch } = scripted({ body: { errors, data: { employee: { id: 'e', annualSalary: null } } } });
  const client = createClient({ url: ENDPOINT, token: 'nks_a', fetch });
  const error = await client.employee({ id: 'e', withSalary: true }).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NokkelError);
  expect(error).toBeInstanceOf(Error);
  const e = error as NokkelError;
  expect(e.name).toBe('NokkelError');
  expect(e.code).toBe(ErrorCode.FORBIDDEN);
  expect(e.path).toEqual(['employee', 'annualSalary']);
  expect(e.extensions.requiredPermission).toEqual(['PAYROLL_READ']);
  expect(e.errors).toEqual(errors);
  expect(e.data).toEqual({ employee: { id: 'e', annualSalary: null } });
  expect(e.operationName).toBe('employee');
  expect(e.failures).toBeUndefined();
  expect(e.message).toBe(`${errors[0].message} (and 1 more error)`);
});

test('bulkLinkClients failures are exposed as error.failures', async () => {
  const failures = [{ clientId: 'cmp_x', code: 'NOT_FOUND', message: 'not a client of this office' }];
  const { fetch } = scripted({
    status: 200,
    body: {
      errors: [{ message: '1 of 2 clients cannot be linked', extensions: { code: 'NOT_FOUND', failures } }],
      data: null,
    },
  });
  const client = createClient({ url: ENDPOINT, token: 'nks_a', fetch });
  const e = (await client
    .bulkLinkClients({ input: { clientIds: ['cmp_x', 'cmp_y'], userKeyId: 'key_1', accessTemplateId: 'tpl_1' } })
    .catch((x: unknown) => x)) as NokkelError;
  expect(e.code).toBe('NOT_FOUND');
  expect(e.failures).toEqual(failures);
  expect(e.data).toBeUndefined();
});

test('HTTP 401 with a GraphQL body is a NokkelError with the status', async () => {
  const { fetch } = scripted({
    status: 401,
    body: {
      errors: [
        { message: 'A valid session token or key secret is required.', extensions: { code: 'UNAUTHENTICATED' } },
      ],
    },
  });
  const e = (await createClient({ url: ENDPOINT, fetch })
    .viewer()
    .catch((x: unknown) => x)) as NokkelError;
  expect(e.code).toBe(ErrorCode.UNAUTHENTICATED);
  expect(e.status).toBe(401);
});

test('network failures and non-GraphQL answers are NokkelErrors too', async () => {
  const { fetch } = scripted(new TypeError('fetch failed'), { status: 502, body: '<html>Bad gateway</html>' });
  const client = createClient({ url: ENDPOINT, fetch });
  const network = (await client.permissions().catch((x: unknown) => x)) as NokkelError;
  expect(network.code).toBe(ErrorCode.NETWORK_ERROR);
  expect(network.cause).toBeInstanceOf(TypeError);
  const proxy = (await client.permissions().catch((x: unknown) => x)) as NokkelError;
  expect(proxy.code).toBe(ErrorCode.BAD_RESPONSE);
  expect(proxy.status).toBe(502);
});

test('request() runs any typed document; enums are usable as values and types', async () => {
  const { fetch, sent } = scripted({ body: { data: { viewer: { effectivePermissions: ['LOGIN'] } } } });
  const client = createClient({ url: ENDPOINT, token: 'nks_a', fetch });
  const data = await client.request(ViewerDocument);
  const first: Permission = Permission.LOGIN;
  expect(data.viewer.effectivePermissions).toEqual([first]);
  expect(sent[0].body.operationName).toBe('viewer');
});

test('createClient needs a url', () => {
  expect(() => createClient({ url: '' })).toThrow(/url is required/);
});

interface Page<N> {
  nodes: N[];
  hasNextPage: boolean;
  endCursor: string | null;
}

function clientsPage({ nodes, hasNextPage, endCursor }: Page<string>) {
  return {
    body: {
      data: {
        clients: {
          totalCount: 5,
          pageInfo: { hasNextPage, endCursor },
          edges: nodes.map((name) => ({ cursor: `c_${name}`, node: { company: { id: name, name } } })),
        },
      },
    },
  };
}

describe('paginate()', () => {
  test('follows pageInfo.endCursor page after page, sends the page size as first, and yields every node', async () => {
    const { fetch, sent } = scripted(
      clientsPage({ nodes: ['A', 'B'], hasNextPage: true, endCursor: 'cur_2' }),
      clientsPage({ nodes: ['C', 'D'], hasNextPage: true, endCursor: 'cur_4' }),
      clientsPage({ nodes: ['E'], hasNextPage: false, endCursor: 'cur_5' }),
    );
    const client = createClient({ url: ENDPOINT, token: 'nks_a', fetch });
    const names: string[] = [];
    for await (const node of client.paginate(ClientsDocument, { search: 'AS' }, { pageSize: 2 }))
      names.push(node.company.name);
    expect(names).toEqual(['A', 'B', 'C', 'D', 'E']);
    expect(sent.map((s) => s.body.variables)).toEqual([
      { search: 'AS', first: 2 },
      { search: 'AS', first: 2, after: 'cur_2' },
      { search: 'AS', first: 2, after: 'cur_4' },
    ]);
    expect(sent.every((s) => s.body.operationName === 'clients')).toBe(true);
  });

  test("without pageSize it sends no first (the server's default page size)", async () => {
    const { fetch, sent } = scripted(clientsPage({ nodes: ['A'], hasNextPage: false, endCursor: 'cur_1' }));
    const nodes = [];
    for await (const node of createClient({ url: ENDPOINT, fetch }).paginate(ClientsDocument)) nodes.push(node);
    expect(nodes).toHaveLength(1);
    expect(sent[0].body.variables).toEqual({});
  });

  test('leaving the loop early stops the requests', async () => {
    const { fetch, sent } = scripted(
      clientsPage({ nodes: ['A', 'B'], hasNextPage: true, endCursor: 'cur_2' }),
      clientsPage({ nodes: ['C', 'D'], hasNextPage: true, endCursor: 'cur_4' }),
    );
    for await (const node of createClient({ url: ENDPOINT, fetch }).paginate(ClientsDocument, {}, { pageSize: 2 })) {
      if (node.company.name === 'B') break;
    }
    expect(sent).toHaveLength(1);
  });

  test('finds a nested connection through aliases and fragments, and reads `nodes` as well as `edges`', async () => {
    const document = typedDocument<
      {
        key: {
          clients: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: Array<{ id: string }> };
        };
      },
      { id: string; first?: number | null; after?: string | null }
    >(`
      query keyClients($id: ID!, $first: Int, $after: String) {
        key: userKey(id: $id) { ...Links }
      }
      fragment Links on UserKey {
        clients(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } }
      }
    `);
    const page = (ids: string[], hasNextPage: boolean, endCursor: string) => ({
      body: { data: { key: { clients: { pageInfo: { hasNextPage, endCursor }, nodes: ids.map((id) => ({ id })) } } } },
    });
    const { fetch, sent } = scripted(page(['l1', 'l2'], true, 'x2'), page(['l3'], false, 'x3'));
    const ids: string[] = [];
    for await (const link of createClient({ url: ENDPOINT, fetch }).paginate(
      document,
      { id: 'key_1' },
      { pageSize: 2 },
    ))
      ids.push(link.id);
    expect(ids).toEqual(['l1', 'l2', 'l3']);
    expect(sent[1].body.variables).toEqual({ id: 'key_1', first: 2, after: 'x2' });
    expect(sent[0].body.operationName).toBe('keyClients');
  });

  test('a null connection (nothing to page) yields nothing', async () => {
    const document = typedDocument<
      { key: { clients: { pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: string[] } } | null },
      { first?: number; after?: string }
    >(
      'query k($first: Int, $after: String) { key: userKey(id: "x") { clients(first: $first, after: $after) { pageInfo { hasNextPage endCursor } nodes { id } } } }',
    );
    const { fetch } = scripted({ body: { data: { key: null } } });
    const seen = [];
    for await (const node of createClient({ url: ENDPOINT, fetch }).paginate(document)) seen.push(node);
    expect(seen).toEqual([]);
  });

  test('a server that reports another page without a new cursor ends in BAD_RESPONSE, not an endless loop', async () => {
    const { fetch, sent } = scripted(
      clientsPage({ nodes: ['A'], hasNextPage: true, endCursor: 'same' }),
      clientsPage({ nodes: ['A'], hasNextPage: true, endCursor: 'same' }),
    );
    const names: string[] = [];
    const error = await (async () => {
      for await (const node of createClient({ url: ENDPOINT, fetch }).paginate(ClientsDocument))
        names.push(node.company.name);
    })().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(NokkelError);
    expect((error as NokkelError).code).toBe(ErrorCode.BAD_RESPONSE);
    expect(names).toEqual(['A', 'A']);
    expect(sent).toHaveLength(2);
  });

  test('an operation that cannot be paged is refused with a message that says what it needs', async () => {
    const { fetch, sent } = scripted();
    const client = createClient({ url: ENDPOINT, fetch });
    const noCursor = typedDocument<{ clients: { pageInfo: { hasNextPage: boolean }; nodes: string[] } }, PageVariables>(
      'query c { clients { pageInfo { hasNextPage } nodes { apiAccess } } }',
    );
    await expect(client.paginate(noCursor).next()).rejects.toThrow(
      /must declare \$first and \$after and pass them to a connection field/,
    );
    const { fetch: fetch2 } = scripted({ body: { data: { clients: { edges: [] } } } });
    const noPageInfo = typedDocument<
      { clients: { pageInfo: { hasNextPage: boolean }; nodes: string[] } },
      PageVariables
    >('query c($first: Int, $after: String) { clients(first: $first, after: $after) { edges { cursor } } }');
    await expect(createClient({ url: ENDPOINT, fetch: fetch2 }).paginate(noPageInfo).next()).rejects.toThrow(
      /select pageInfo \{ hasNextPage endCursor \} in clients/,
    );
    await expect(client.paginate(ClientsDocument, {}, { pageSize: 0 }).next()).rejects.toThrow(RangeError);
    expect(sent).toHaveLength(0);
  });
});

describe('typed documents of your own', () => {
  test('typedDocument() parses a document; request() runs it with its variables', async () => {
    const MyCompany = typedDocument<{ company: { name: string } }, Record<string, never>>(
      'query myCompany { company { name } }',
    );
    const { fetch, sent } = scripted({ body: { data: { company: { name: 'Regnskap AS' } } } });
    const data = await createClient({ url: ENDPOINT, fetch }).request(MyCompany);
    expect(data.company.name).toBe('Regnskap AS');
    expect(sent[0].body).toEqual({ query: print(MyCompany), variables: {}, operationName: 'myCompany' });
  });

  test("request() runs a typed string document (the client-preset's documentMode: 'string') too", async () => {
    class TypedString<R, V> extends String implements DocumentTypeDecoration<R, V> {
      __apiType?: (variables: V) => R;
    }
    const document = new TypedString<{ employee: { name: string } }, { id: string }>(
      'query oneEmployee($id: ID!) { employee(id: $id) { name } }',
    );
    const { fetch, sent } = scripted({ body: { data: { employee: { name: 'Ola' } } } });
    const data = await createClient({ url: ENDPOINT, fetch }).request(document, { id: 'e1' });
    expect(data.employee.name).toBe('Ola');
    expect(sent[0].body).toEqual({
      query: 'query oneEmployee($id: ID!) { employee(id: $id) { name } }',
      variables: { id: 'e1' },
      operationName: 'oneEmployee',
    });
  });
});
