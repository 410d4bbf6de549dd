import { Permission } from '../../../server/src/auth/permission';
import { AccessTemplate } from '../../../server/src/modules/clients/access-template.entity';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { CREATE_TEMPLATE, SET_API_ACCESS, UPDATE_TEMPLATE, VIEWER } from '../clients/helpers';
import { addEmployee } from '../keys/helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

/**
 * The office → client boundary (SPEC section 7): administration never crosses a client link, and
 * the client's API switch belongs to the client. Templates holding administration permissions are
 * written straight into the database here, as data from before R22 would be.
 */

const { LOGIN, CUSTOMER_READ, INVOICE_READ, USER_ADMIN, ACCOUNT_ADMIN, CLIENT_ADMIN } = Permission;
const ADMINISTRATION: Permission[] = [USER_ADMIN, ACCOUNT_ADMIN, CLIENT_ADMIN];
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';

const kit = useWorld({ sessions: ['kari', 'bakeriAdmin'] });

/** An accountant key of Kari's holding every permission, linked at the client under the template. */
async function officeKeyAt(client: Company, template: AccessTemplate): Promise<string> {
  const key = await kit.app.seed.userKey(kit.world.kari, {
    permissions: ALL_PERMISSIONS,
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
    name: `Alt hos ${client.name} ${template.name}`,
  });
  await kit.app.seed.clientLink(kit.world.office, client, key.userKey, template);
  return key.token;
}

async function setSwitch(token: string, enabled: boolean, companyId?: string) {
  return kit.app.api.request(
    SET_API_ACCESS,
    { input: { accountingOfficeId: kit.world.office.id, enabled } },
    { token, companyId },
  );
}

describe('R22: no administration across a link', () => {
  test('R22: a template cannot be created with USER_ADMIN, ACCOUNT_ADMIN or CLIENT_ADMIN (BAD_USER_INPUT naming them)', async () => {
    const res = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Forvalter', permissions: [CUSTOMER_READ, ACCOUNT_ADMIN, USER_ADMIN] } },
      { token: kit.token.kari },
    );
    const error = expectCode(res, 'BAD_USER_INPUT');
    expect(error.message).toContain('ACCOUNT_ADMIN');
    expect(error.message).toContain('USER_ADMIN');
    expect(error.message).not.toContain('CLIENT_ADMIN');
    expect(error.extensions?.fields).toEqual([{ field: 'permissions', message: expect.any(String) }]);
    const names = expectOk(
      await kit.app.api.request('{ accessTemplates { name } }', {}, { token: kit.token.kari }),
    ).accessTemplates;
    expect(names.map((t: { name: string }) => t.name)).not.toContain('Forvalter');
  });

  test('R22: a template cannot be given an administration permission by an update either, and stays as it was', async () => {
    const created = expectOk(
      await kit.app.api.request(
        CREATE_TEMPLATE,
        { input: { name: 'Bare kunder', permissions: [CUSTOMER_READ] } },
        { token: kit.token.kari },
      ),
    ).createAccessTemplate;
    for (const admin of ADMINISTRATION) {
      const res = await kit.app.api.request(
        UPDATE_TEMPLATE,
        { id: created.id, input: { name: 'Bare kunder+', permissions: [CUSTOMER_READ, admin] } },
        { token: kit.token.kari },
      );
      expectCode(res, 'BAD_USER_INPUT');
      expect(res.errors[0].message).toContain(admin);
    }
    const stored = await kit.app.server.db.manager.findOneByOrFail(AccessTemplate, { id: created.id });
    expect({ name: stored.name, permissions: stored.permissions }).toEqual({
      name: 'Bare kunder',
      permissions: [CUSTOMER_READ],
    });
  });

  test('R22: whatever a stored template holds, no administration permission takes effect at a client, for a person or a key', async () => {
    const everything = await kit.app.seed.accessTemplate(kit.world.office, 'Alt (gammel)', ALL_PERMISSIONS);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, kit.world.kari, everything);
    const keyToken = await officeKeyAt(kit.world.fjordFisk, everything);
    const expected = ALL_PERMISSIONS.filter((p) => !ADMINISTRATION.includes(p));
    for (const token of [kit.token.kari, keyToken]) {
      const viewer = expectOk(
        await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.fjordFisk.id }),
      ).viewer;
      expect(viewer.effectivePermissions).toEqual(expected);
    }
    // at home, Kari's own administration permissions are untouched
    const home = expectOk(await kit.app.api.request(VIEWER, {}, { token: kit.token.kari })).viewer;
    expect(home.effectivePermissions).toEqual(ALL_PERMISSIONS);
  });

  test('R22: an office key linked under a template with administration rights cannot lock the client’s administrator out or accept its terms (finding 2)', async () => {
    const everything = await kit.app.seed.accessTemplate(kit.world.office, 'Alt (bakeri)', ALL_PERMISSIONS);
    const keyToken = await officeKeyAt(kit.world.bakeri, everything);
    const atBakeri = { token: keyToken, companyId: kit.world.bakeri.id };
    // the key can act there, within the template
    expectOk(await kit.app.api.request(CUSTOMERS, {}, atBakeri));

    const lockOut = await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [CUSTOMER_READ]) { id } }',
      { id: kit.world.bakeriAdmin.id },
      atBakeri,
    );
    expectCode(lockOut, 'FORBIDDEN');
    const terms = await kit.app.api.request(
      'mutation { activateIntegrations(acceptTerms: true) { integrationsActive } }',
      {},
      atBakeri,
    );
    expectCode(terms, 'FORBIDDEN');
    const template = await kit.app.api.request(
      CREATE_TEMPLATE,
      { input: { name: 'Fra klienten', permissions: [CUSTOMER_READ] } },
      atBakeri,
    );
    expectCode(template, 'FORBIDDEN');

    // nothing changed: the bakery's admin still logs in with every permission, terms not accepted
    const admin = await kit.app.api.login('admin@bakeri.example');
    expect(expectOk(await kit.app.api.request(VIEWER, {}, { token: admin })).viewer.effectivePermissions).toEqual(
      ALL_PERMISSIONS,
    );
    const bakeri = await kit.app.server.db.manager.findOneByOrFail(Company, { id: kit.world.bakeri.id });
    expect(bakeri.integrationsActive).toBe(false);
  });
});

describe('R18 (amended): the API switch belongs to the client', () => {
  test('R18: an office person linked under a template with ACCOUNT_ADMIN cannot turn the client’s switch back on (finding 1)', async () => {
    const switcher = await kit.app.seed.accessTemplate(kit.world.office, 'Bryter (gammel)', [
      ACCOUNT_ADMIN,
      CUSTOMER_READ,
    ]);
    const client = await kit.app.seed.company({ name: 'Bryterklient AS' });
    const clientAdmin = await addEmployee(kit.app, client, ALL_PERMISSIONS, 'Klientadmin');
    await kit.app.seed.clientRelation(kit.world.office, client);
    await kit.app.seed.clientLink(kit.world.office, client, kit.world.kari, switcher);
    const keyToken = await officeKeyAt(client, switcher);

    // the client turns its office's API access off: the office's key stops there
    expect((await setSwitch(await clientAdmin.session(), false)).errors).toEqual([]);
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }),
      'CLIENT_API_ACCESS_DISABLED',
    );
    // the office person acting there through the link cannot turn it back on
    const back = await setSwitch(kit.token.kari, true, client.id);
    expectCode(back, 'FORBIDDEN');
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }),
      'CLIENT_API_ACCESS_DISABLED',
    );
    // only the client's own administrator can
    expect((await setSwitch(await clientAdmin.session(), true)).errors).toEqual([]);
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: keyToken, companyId: client.id }));
  });

  test('R18: the switch needs ACCOUNT_ADMIN acting in the client’s own company, by session or by the client’s own key', async () => {
    const clerk = await addEmployee(kit.app, kit.world.bakeri, [LOGIN, CUSTOMER_READ, USER_ADMIN], 'Bakerikontor');
    expectCode(await setSwitch(await clerk.session(), false), 'FORBIDDEN');
    // the client's own end-user key with ACCOUNT_ADMIN acts in its own company: it may
    await kit.app.server.db.manager.update(
      Company,
      { id: kit.world.bakeri.id },
      { integrationsActivatedAt: new Date() },
    );
    const own = await kit.app.seed.userKey(kit.world.bakeriAdmin, {
      permissions: [ACCOUNT_ADMIN],
      name: 'Bakeriets nøkkel',
    });
    expect((await setSwitch(own.token, false)).errors).toEqual([]);
    expect((await setSwitch(kit.token.bakeriAdmin, true)).errors).toEqual([]);
    await kit.app.server.db.manager.update(Company, { id: kit.world.bakeri.id }, { integrationsActivatedAt: null });
  });

  test('R18: the switch governs the office’s keys, while office people with a session follow their link (both ways)', async () => {
    const client = await kit.app.seed.company({ name: 'Sesjonsklient AS' });
    const clientAdmin = await addEmployee(kit.app, client, ALL_PERMISSIONS, 'Sesjonsadmin');
    await kit.app.seed.clientRelation(kit.world.office, client);
    await kit.app.seed.customer(client, 'Kunde hos sesjonsklient');
    await kit.app.seed.clientLink(kit.world.office, client, kit.world.per, kit.world.kunLese);
    const keyToken = await officeKeyAt(client, kit.world.kunLese);
    const per = await kit.app.api.login('per@regnskap.example');
    const read = (token: string) => kit.app.api.request(CUSTOMERS, {}, { token, companyId: client.id });

    expectOk(await read(keyToken));
    expectOk(await read(per));
    expect((await setSwitch(await clientAdmin.session(), false)).errors).toEqual([]);
    // off: the key is refused; Per, in the accounting UI with a session, keeps his link's access
    expectCode(await read(keyToken), 'CLIENT_API_ACCESS_DISABLED');
    expectOk(await read(per));
    const perThere = expectOk(await kit.app.api.request(VIEWER, {}, { token: per, companyId: client.id })).viewer;
    expect(perThere.effectivePermissions).toEqual([CUSTOMER_READ, INVOICE_READ]);
    // his link is what governs him: without it he is out, switch or not
    expectOk(
      await kit.app.api.request(
        'mutation ($input: UnlinkClientsInput!) { unlinkClients(input: $input) { unlinkedCount } }',
        { input: { clientIds: [client.id], employeeId: kit.world.per.id } },
        { token: kit.token.kari },
      ),
    );
    expectCode(await read(per), 'FORBIDDEN');
    // on again: the key is back
    expect((await setSwitch(await clientAdmin.session(), true)).errors).toEqual([]);
    expectOk(await read(keyToken));
  });
});
