import { createClient, ErrorCode, NokkelError, Permission, ViewerDocument, type FetchLike } from '../../client-sdk/src';

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
