import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { type GraphQLResponse } from '../../testkit/graphql-client';
import { addEmployee } from '../keys/helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

/**
 * An employee's email needs EMPLOYEE_READ in the employee's own company, except on one's own record
 * — wherever the record is met: the add-on's activator, a client's accountant, a client link, the
 * audit log's actors, a key's owner, the viewer (issue 10, finding 12).
 */

const { LOGIN, USER_ADMIN, EMPLOYEE_READ, CUSTOMER_READ, CLIENT_ADMIN } = Permission;

const kit = useWorld({ sessions: ['kari', 'per'] });
beforeAll(async () => {
  await kit.app.seed.markIntegrationsActivatedBy(kit.world.office, kit.world.kari);
  await kit.app.seed.clientRelation(kit.world.office, await kit.app.seed.company({ name: 'Epostklient AS' }), {
    accountant: kit.world.kari,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, kit.world.ola, kit.world.kunLese);
});

/** The emails a response carries, and whether each place that held one answered FORBIDDEN. */
function emails(res: GraphQLResponse): string[] {
  return [...JSON.stringify(res.data).matchAll(/"email":"([^"]+)"/g)].map((m) => m[1]);
}

function forbiddenAt(res: GraphQLResponse): string[] {
  return res.errors.filter((e) => e.extensions?.code === 'FORBIDDEN').map((e) => (e.path ?? []).join('.'));
}

test('without EMPLOYEE_READ, no other employee’s email is readable anywhere (Per: CLIENT_ADMIN, no EMPLOYEE_READ)', async () => {
  const res = await kit.app.api.request(
    `{ company { integrationsActivatedBy { name email } }
       clients(first: 50) { edges { node { accountant { name email }
         links(first: 20) { edges { node { employee { name email } } } } } } } }`,
    {},
    { token: kit.token.per },
  );
  expect(emails(res)).toEqual([]);
  const paths = forbiddenAt(res);
  expect(paths).toContain('company.integrationsActivatedBy.email');
  expect(paths.some((p) => /^clients\.edges\.\d+\.node\.accountant\.email$/.test(p))).toBe(true);
  expect(paths.some((p) => /links\.edges\.\d+\.node\.employee\.email$/.test(p))).toBe(true);
  // the names are still there
  expect(res.data.company.integrationsActivatedBy.name).toBe('Kari Nordmann');
});

test('one’s own email is readable without EMPLOYEE_READ: as the viewer, at login, through one’s own key', async () => {
  const own = expectOk(await kit.app.api.request('{ viewer { employee { email } } }', {}, { token: kit.token.per }));
  expect(own.viewer.employee.email).toBe('per@regnskap.example');
  const login = expectOk(
    await kit.app.api.request(
      'mutation { login(email: "per@regnskap.example", password: "demo-password") { employee { email } } }',
    ),
  );
  expect(login.login.employee.email).toBe('per@regnskap.example');
  const key = await kit.app.seed.userKey(kit.world.per, { permissions: [CUSTOMER_READ], name: 'Pers nøkkel' });
  const throughKey = expectOk(
    await kit.app.api.request(
      '{ viewer { employee { email } userKey { owner { email } } } }',
      {},
      { token: key.token },
    ),
  );
  expect(throughKey.viewer).toEqual({
    employee: { email: 'per@regnskap.example' },
    userKey: { owner: { email: 'per@regnskap.example' } },
  });
  // and one's own record met at a client, where one acts through a link
  const ola = await kit.app.api.login('ola@regnskap.example');
  const atClient = expectOk(
    await kit.app.api.request(
      '{ viewer { employee { email } } }',
      {},
      { token: ola, companyId: kit.world.fjordFisk.id },
    ),
  );
  expect(atClient.viewer.employee.email).toBe('ola@regnskap.example');
});

test('the audit log’s actors and a key’s owner show emails only with EMPLOYEE_READ', async () => {
  // Una administers users but may not read the employee register
  const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, CUSTOMER_READ], 'Una');
  const unaToken = await una.session();
  expectOk(
    await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN, HOURS_REGISTER]) { id } }',
      { id: kit.world.ola.id },
      { token: kit.token.kari },
    ),
  );
  await kit.app.seed.userKey(kit.world.ola, { permissions: [LOGIN], name: 'Olas nøkkel' });
  const res = await kit.app.api.request(
    `{ auditEvents(first: 50) { edges { node { actorEmployee { name email } } } }
       userKeys(first: 50) { edges { node { owner { name email } } } } }`,
    {},
    { token: unaToken },
  );
  expect(emails(res)).toEqual([]);
  expect(forbiddenAt(res).length).toBeGreaterThan(0);
  // Kari holds EMPLOYEE_READ: she reads them
  const asKari = expectOk(
    await kit.app.api.request(
      '{ auditEvents(first: 50) { edges { node { actorEmployee { email } } } } }',
      {},
      { token: kit.token.kari },
    ),
  );
  expect(emails({ data: asKari } as GraphQLResponse)).toContain('kari@regnskap.example');
});

test('EMPLOYEE_READ opens emails of one’s own company only: a client’s admin does not read its accountant’s email', async () => {
  const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
  const res = await kit.app.api.request(
    `mutation ($office: ID!, $accountant: ID!) {
       setAccountantApiAccess(input: { accountingOfficeId: $office, accountantEmployeeId: $accountant, enabled: true }) {
         accountant { name email } } }`,
    { office: kit.world.office.id, accountant: kit.world.kari.id },
    { token: bakeriAdmin },
  );
  expect(res.data.setAccountantApiAccess.accountant.name).toBe('Kari Nordmann');
  expect(res.data.setAccountantApiAccess.accountant.email).toBeNull();
  expectCode(res, 'FORBIDDEN');
  // nor does an office key acting at a client with EMPLOYEE_READ there read the office's people
  const key = await kit.app.seed.userKey(kit.world.kari, {
    permissions: [EMPLOYEE_READ, CUSTOMER_READ, CLIENT_ADMIN],
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
    name: 'Ansattleser',
  });
  const reader = await kit.app.seed.accessTemplate(kit.world.office, 'Ansattleser', [EMPLOYEE_READ, CUSTOMER_READ]);
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, key.userKey, reader);
  const atBakeri = await kit.app.api.request(
    '{ employees(first: 10) { edges { node { email } } } viewer { employee { email } } }',
    {},
    { token: key.token, companyId: kit.world.bakeri.id },
  );
  expect(atBakeri.errors).toEqual([]);
  // the client's own employees (EMPLOYEE_READ there), and the key's owner (her own record)
  expect(emails(atBakeri).sort()).toEqual(['admin@bakeri.example', 'kari@regnskap.example']);
});
