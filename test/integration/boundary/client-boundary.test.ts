import { Permission } from '../../../server/src/auth/permission';
import { AccessTemplate } from '../../../server/src/modules/clients/access-template.entity';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS, buildWorld, type World } from '../../testkit/world';
import { CREATE_TEMPLATE, SET_API_ACCESS, UPDATE_TEMPLATE, VIEWER, ok } from '../clients/helpers';
import { addEmployee, firstError } from '../keys/helpers';

/**
 * The office → client boundary (SPEC section 7): administration never crosses a client link, and
 * the client's API switch belongs to the client. Templates holding administration permissions are
 * written straight into the database here, as data from before R22 would be.
 */

let app: TestApp;
let world: World;
let kari: string;
let bakeriAdmin: string;

const { LOGIN, CUSTOMER_READ, INVOICE_READ, USER_ADMIN, ACCOUNT_ADMIN, CLIENT_ADMIN } = Permission;
const ADMINISTRATION = [USER_ADMIN, ACCOUNT_ADMIN, CLIENT_ADMIN];
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  bakeriAdmin = await app.api.login('admin@bakeri.example');
});
afterAll(() => app.close());

/** An accountant key of Kari's holding every permission, linked at the client under the template. */
async function officeKeyAt(client: Company, template: AccessTemplate): Promise<string> {
  const key = await app.seed.userKey(world.kari, {
    permissions: ALL_PERMISSIONS,
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.fiken,
    name: `Alt hos ${client.name} ${template.name}`,
  });
  await app.seed.clientLink(world.office, client, key.userKey, template);
  return key.token;
}

async function setSwitch(token: string, enabled: boolean, companyId?: string) {
  return app.api.request(
    SET_API_ACCESS,
    { input: { accountingOfficeId: world.office.id, enabled } },
    { token, companyId },
  );
}

describe('R22: no administration across a link', () => {
  test('R22: a template cannot be created with USER_ADMIN, ACCOUNT_ADMIN or CLIENT_ADMIN (BAD_USER_INPUT naming them)', async () => {
    const res = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Forvalter', permissions: [CUSTOMER_READ, ACCOUNT_ADMIN, USER_ADMIN] } },
      { token: kari },
    );
    const error = firstError(res);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.message).toContain('ACCOUNT_ADMIN');
    expect(error.message).toContain('USER_ADMIN');
    expect(error.message).not.toContain('CLIENT_ADMIN');
    expect(error.extensions.fields).toEqual([{ field: 'permissions', message: expect.any(String) }]);
    const names = ok(await app.api.request('{ accessTemplates { name } }', {}, { token: kari })).accessTemplates;
    expect(names.map((t: { name: string }) => t.name)).not.toContain('Forvalter');
  });

  test('R22: a template cannot be given an administration permission by an update either, and stays as it was', async () => {
    const created = ok(
      await app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Bare kunder', permissions: [CUSTOMER_READ] } },
        { token: kari },
      ),
    ).createAccessTemplate;
    for (const admin of ADMINISTRATION) {
      const res = await app.api.request(
        UPDATE_TEMPLATE,
        { id: created.id, input: { name: 'Bare kunder+', permissions: [CUSTOMER_READ, admin] } },
        { token: kari },
      );
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
      expect(res.errors[0].message).toContain(admin);
    }
    const stored = await app.server.db.manager.findOneByOrFail(AccessTemplate, { id: created.id });
    expect({ name: stored.name, permissions: stored.permissions }).toEqual({
      name: 'Bare kunder',
      permissions: [CUSTOMER_READ],
    });
  });

  test('R22: whatever a stored template holds, no administration permission takes effect at a client, for a person or a key', async () => {
    const everything = await app.seed.accessTemplate(world.office, 'Alt (gammel)', ALL_PERMISSIONS);
    await app.seed.clientLink(world.office, world.fjordFisk, world.kari, everything);
    const keyToken = await officeKeyAt(world.fjordFisk, everything);
    const expected = ALL_PERMISSIONS.filter((p) => !ADMINISTRATION.includes(p));
    for (const token of [kari, keyToken]) {
      const viewer = ok(await app.api.request(VIEWER, {}, { token, companyId: world.fjordFisk.id })).viewer;
      expect(viewer.effectivePermissions).toEqual(expected);
    }
    // at home, Kari's own administration permissions are untouched
    const home = ok(await app.api.request(VIEWER, {}, { token: kari })).viewer;
    expect(home.effectivePermissions).toEqual(ALL_PERMISSIONS);
  });

  test('R22: an office key linked under a template with administration rights cannot lock the client’s administrator out or accept its terms (finding 2)', async () => {
    const everything = await app.seed.accessTemplate(world.office, 'Alt (bakeri)', ALL_PERMISSIONS);
    const keyToken = await officeKeyAt(world.bakeri, everything);
    const atBakeri = { token: keyToken, companyId: world.bakeri.id };
    // the key can act there, within the template
    expect(codes(await app.api.request(CUSTOMERS, {}, atBakeri))).toEqual([]);

    const lockOut = await app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [CUSTOMER_READ]) { id } }',
      { id: world.bakeriAdmin.id },
      atBakeri,
    );
    expect(codes(lockOut)).toEqual(['FORBIDDEN']);
    const terms = await app.api.request(
      'mutation { activateIntegrations(acceptTerms: true) { integrationsActive } }',
      {},
      atBakeri,
    );
    expect(codes(terms)).toEqual(['FORBIDDEN']);
    const template = await app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Fra klienten', permissions: [CUSTOMER_READ] } },
      atBakeri,
    );
    expect(codes(template)).toEqual(['FORBIDDEN']);

    // nothing changed: the bakery's admin still logs in with every permission, terms not accepted
    const admin = await app.api.login('admin@bakeri.example');
    expect(ok(await app.api.request(VIEWER, {}, { token: admin })).viewer.effectivePermissions).toEqual(
      ALL_PERMISSIONS,
    );
    const bakeri = await app.server.db.manager.findOneByOrFail(Company, { id: world.bakeri.id });
    expect(bakeri.integrationsActive).toBe(false);
  });
});

describe('R18 (amended): the API switch belongs to the client', () => {
  test('R18: an office person linked under a template with ACCOUNT_ADMIN cannot turn the client’s switch back on (finding 1)', async () => {
    const switcher = await app.seed.accessTemplate(world.office, 'Bryter (gammel)', [ACCOUNT_ADMIN, CUSTOMER_READ]);
    const client = await app.seed.company({ name: 'Bryterklient AS' });
    const clientAdmin = await addEmployee(app, client, ALL_PERMISSIONS, 'Klientadmin');
    await app.seed.clientRelation(world.office, client);
    await app.seed.clientLink(world.office, client, world.kari, switcher);
    const keyToken = await officeKeyAt(client, switcher);

    // the client turns its office's API access off: the office's key stops there
    expect((await setSwitch(await clientAdmin.session(), false)).errors).toEqual([]);
    expect(codes(await app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }))).toEqual([
      'CLIENT_API_ACCESS_DISABLED',
    ]);
    // the office person acting there through the link cannot turn it back on
    const back = await setSwitch(kari, true, client.id);
    expect(codes(back)).toEqual(['FORBIDDEN']);
    expect(codes(await app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }))).toEqual([
      'CLIENT_API_ACCESS_DISABLED',
    ]);
    // only the client's own administrator can
    expect((await setSwitch(await clientAdmin.session(), true)).errors).toEqual([]);
    expect(codes(await app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }))).toEqual([]);
  });

  test('R18: the switch needs ACCOUNT_ADMIN acting in the client’s own company, by session or by the client’s own key', async () => {
    const clerk = await addEmployee(app, world.bakeri, [LOGIN, CUSTOMER_READ, USER_ADMIN], 'Bakerikontor');
    expect(codes(await setSwitch(await clerk.session(), false))).toEqual(['FORBIDDEN']);
    // the client's own end-user key with ACCOUNT_ADMIN acts in its own company: it may
    await app.server.db.manager.update(Company, { id: world.bakeri.id }, { integrationsActivatedAt: new Date() });
    const own = await app.seed.userKey(world.bakeriAdmin, { permissions: [ACCOUNT_ADMIN], name: 'Bakeriets nøkkel' });
    expect((await setSwitch(own.token, false)).errors).toEqual([]);
    expect((await setSwitch(bakeriAdmin, true)).errors).toEqual([]);
    await app.server.db.manager.update(Company, { id: world.bakeri.id }, { integrationsActivatedAt: null });
  });

  test('R18: the switch governs the office’s keys, while office people with a session follow their link (both ways)', async () => {
    const client = await app.seed.company({ name: 'Sesjonsklient AS' });
    const clientAdmin = await addEmployee(app, client, ALL_PERMISSIONS, 'Sesjonsadmin');
    await app.seed.clientRelation(world.office, client);
    await app.seed.customer(client, 'Kunde hos sesjonsklient');
    await app.seed.clientLink(world.office, client, world.per, world.kunLese);
    const keyToken = await officeKeyAt(client, world.kunLese);
    const per = await app.api.login('per@regnskap.example');
    const read = (token: string) => app.api.request(CUSTOMERS, {}, { token, companyId: client.id });

    expect(codes(await read(keyToken))).toEqual([]);
    expect(codes(await read(per))).toEqual([]);
    expect((await setSwitch(await clientAdmin.session(), false)).errors).toEqual([]);
    // off: the key is refused; Per, in the accounting UI with a session, keeps his link's access
    expect(codes(await read(keyToken))).toEqual(['CLIENT_API_ACCESS_DISABLED']);
    expect(codes(await read(per))).toEqual([]);
    const perThere = ok(await app.api.request(VIEWER, {}, { token: per, companyId: client.id })).viewer;
    expect(perThere.effectivePermissions).toEqual([CUSTOMER_READ, INVOICE_READ]);
    // his link is what governs him: without it he is out, switch or not
    ok(
      await app.api.request(
        'mutation ($input: UnlinkClientsInput!) { unlinkClients(input: $input) { unlinkedCount } }',
        { input: { clientIds: [client.id], employeeId: world.per.id } },
        { token: kari },
      ),
    );
    expect(codes(await read(per))).toEqual(['FORBIDDEN']);
    // on again: the key is back
    expect((await setSwitch(await clientAdmin.session(), true)).errors).toEqual([]);
    expect(codes(await read(keyToken))).toEqual([]);
  });
});
