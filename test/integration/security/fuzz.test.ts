import fc from 'fast-check';
import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { useWorld } from '../../testkit/run';

/**
 * Property-based fuzzing of the HTTP surface: random and mutated documents, variables and headers.
 * Whatever arrives, the server answers below 500, with JSON and without a stack trace, and a
 * caller of one tenant never receives another tenant's data.
 */

const credentials: Record<string, { token?: string; tenant: 'regnskap' | 'other' | 'none'; actsAt?: string }> = {};
let companyIds: string[];

// strings that exist only in one tenant's data
const REGNSKAP_MARKERS = ['Kari Nordmann', 'Bakeri Hansen AS', 'Kunde En AS'];
const OTHER_MARKERS = ['Anne Annen', 'Hemmelig Kunde AS', 'Fremmed Klient AS', 'Frode Fremmed'];

const DOCUMENTS = [
  '{ viewer { employee { name email annualSalary permissions userKeys { name tokenHint } } company { id name } effectivePermissions } }',
  '{ employees(first: 50) { totalCount edges { cursor node { id name email annualSalary } } pageInfo { hasNextPage endCursor } } }',
  '{ customers(first: 50) { edges { node { id name orgNumber email } } } invoices { edges { node { number amount customer { name } } } } }',
  '{ userKeys(first: 20) { edges { node { id name applicationName status owner { name } permissionGrants { permission locked } clients { edges { node { client { name } } } } } } } }',
  '{ clients(first: 20) { edges { node { company { id name } apiAccess accountant { name } links { totalCount edges { node { userKey { name } employee { name } } } } } } } }',
  '{ accessTemplates { id name permissions } auditEvents(first: 20) { edges { node { action targetId actorEmployee { name } } } } }',
  'query ($id: ID!) { employee(id: $id) { name annualSalary } userKey(id: $id) { name } }',
  'mutation ($n: String!) { createCustomer(input: { name: $n }) { id name } }',
  'mutation ($i: CreateUserKeyInput!) { createUserKey(input: $i) { userKey { id } } }',
  'mutation ($i: BulkLinkClientsInput!) { bulkLinkClients(input: $i) { linkedCount } }',
  'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { employee { name } } }',
  '{ permissions { permission label labelNo } applications(first: 5, after: "x") { totalCount } }',
];

const kit = useWorld();
beforeAll(async () => {
  credentials.kari = { token: await kit.app.api.login('kari@regnskap.example'), tenant: 'regnskap' };
  credentials.anne = { token: await kit.app.api.login('anne@annet.example'), tenant: 'other' };
  credentials.otherClientAdmin = { token: await kit.app.api.login('admin@fremmed.example'), tenant: 'other' };
  const key = await kit.app.seed.userKey(kit.world.kari, {
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, key.userKey, kit.world.bokforing);
  credentials.accountantKey = { token: key.token, tenant: 'regnskap', actsAt: kit.world.bakeri.id };
  credentials.none = { tenant: 'none' };
  companyIds = [
    kit.world.office.id,
    kit.world.bakeri.id,
    kit.world.fjordFisk.id,
    kit.world.other.office.id,
    kit.world.other.client.id,
  ];
});

const mutate = (doc: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(doc) },
    fc.tuple(fc.nat(doc.length), fc.nat(20)).map(([at, n]) => doc.slice(0, at) + doc.slice(at + n)),
    fc.tuple(fc.nat(doc.length), fc.string({ maxLength: 12 })).map(([at, s]) => doc.slice(0, at) + s + doc.slice(at)),
    fc.nat(doc.length).map((at) => doc.slice(0, at)),
    fc
      .constantFrom('first: 50', 'first: 1')
      .chain((from) => fc.integer({ min: -5, max: 1_000_000 }).map((n) => doc.replace(from, `first: ${n}`))),
  );

const documentArb = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(...DOCUMENTS).chain(mutate) },
  { weight: 1, arbitrary: fc.string({ maxLength: 200 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      '{',
      '{{{{{{',
      'query',
      '{ __typename }',
      'subscription { x }',
      '{ viewer { ...F } } fragment F on Viewer { ...F }',
    ),
  },
);

const idLike = () =>
  fc.oneof(
    fc.constantFrom(...companyIds, kit.world.kari.id, kit.world.other.admin.id, kit.world.bokforing.id),
    fc.string({ maxLength: 40 }),
  );

const variablesArb = () =>
  fc.oneof(
    fc.record({ id: idLike(), n: fc.string({ maxLength: 300 }), e: fc.string(), p: fc.string() }, { requiredKeys: [] }),
    fc.record({
      i: fc.record(
        {
          employeeId: idLike(),
          applicationId: idLike(),
          name: fc.string({ maxLength: 120 }),
          accessMode: fc.constantFrom('ALL_ACCESS', 'COPY_EMPLOYEE', 'CUSTOM', 'ROOT'),
          permissions: fc.array(fc.constantFrom(...Object.values(Permission), 'SUPERUSER')),
          clientIds: fc.array(idLike(), { maxLength: 5 }),
          userKeyId: idLike(),
          accessTemplateId: idLike(),
        },
        { requiredKeys: [] },
      ),
    }),
    fc.jsonValue(),
  );

test('random and mutated requests: no 5xx, always JSON, no stack traces, no other tenant’s data', async () => {
  let withOwnData = 0;
  await fc.assert(
    fc.asyncProperty(
      documentArb,
      variablesArb(),
      fc.constantFrom(...Object.keys(credentials)),
      fc.oneof(
        { weight: 2, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.constantFrom(...companyIds) },
        { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
      ),
      fc.oneof(
        { weight: 6, arbitrary: fc.constant(undefined) },
        {
          weight: 1,
          arbitrary: fc.constantFrom(
            'Bearer nkl_x',
            'Basic a2FyaQ==',
            'Bearer ',
            'bearer   ',
            'Bearer nks_' + 'A'.repeat(49),
          ),
        },
      ),
      async (query, variables, who, companyId, rawAuthorization) => {
        const credential = credentials[who];
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (rawAuthorization !== undefined) headers.authorization = rawAuthorization;
        else if (credential.token) headers.authorization = `Bearer ${credential.token}`;
        const actingIn = companyId ?? credential.actsAt;
        if (actingIn !== undefined) headers['x-company-id'] = actingIn;
        const res = await fetch(`${kit.app.url}/graphql`, {
          method: 'POST',
          headers,
          body: JSON.stringify({ query, variables }),
        });
        const text = await res.text();
        expect(res.status).toBeLessThan(500);
        expect(() => JSON.parse(text)).not.toThrow();
        expect(text).not.toMatch(/\bat [\w.<>]+ \(|stacktrace/);
        const tenant = rawAuthorization !== undefined ? 'none' : credential.tenant;
        const foreign =
          tenant === 'regnskap'
            ? OTHER_MARKERS
            : tenant === 'other'
              ? REGNSKAP_MARKERS
              : [...OTHER_MARKERS, ...REGNSKAP_MARKERS];
        for (const marker of foreign) expect(text).not.toContain(marker);
        if (tenant === 'regnskap' && REGNSKAP_MARKERS.some((m) => text.includes(m))) withOwnData++;
      },
    ),
    { numRuns: 500, seed: Number(process.env.FUZZ_SEED ?? 20261125) },
  );
  // the property is only meaningful if many requests did get through to real data
  expect(withOwnData).toBeGreaterThanOrEqual(10);
});

test('random headers and bodies at the HTTP level never crash the server', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.constantFrom(
        'application/json',
        'text/plain',
        'application/graphql',
        'multipart/form-data',
        'application/x-www-form-urlencoded',
      ),
      fc.oneof(
        fc.string({ maxLength: 300 }),
        fc.jsonValue().map((v) => JSON.stringify(v)),
      ),
      fc.constantFrom('POST', 'GET', 'PUT', 'DELETE', 'OPTIONS'),
      async (contentType, body, method) => {
        const res = await fetch(`${kit.app.url}/graphql`, {
          method,
          headers: { 'content-type': contentType },
          body: method === 'GET' ? undefined : body,
        });
        expect(res.status).toBeLessThan(500);
        await res.text();
      },
    ),
    { numRuns: 150, seed: Number(process.env.FUZZ_SEED ?? 20261125) },
  );
  expect((await fetch(`${kit.app.url}/healthz`)).status).toBe(200);
});
