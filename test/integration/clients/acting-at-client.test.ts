import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { newId } from '../../../server/src/shared/ids';
import { codes } from '../../testkit/graphql-client';
import { PASSWORD } from '../../testkit/world';
import { VIEWER, accountantKey } from './helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectOk } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari'] });

const CUSTOMERS = '{ customers(first: 100) { totalCount edges { node { name } } } }';
const CREATE_CUSTOMER = 'mutation ($n: String!) { createCustomer(input: { name: $n }) { name } }';

function intersect(...sets: readonly Permission[][]): Permission[] {
  return Object.values(Permission).filter((p) => sets.every((s) => s.includes(p)));
}

describe('an accountant key acting at a client', () => {
  test('R17: effective permissions at a client are key ∩ owner ∩ template, and only those work', async () => {
    // each factor removes a different permission
    const ownerPermissions = [
      Permission.LOGIN,
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
      Permission.HOURS_READ_ALL,
    ];
    const keyPermissions = [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_WRITE, // the owner lacks it (a locked, inert grant)
      Permission.HOURS_READ_ALL,
    ];
    const templatePermissions = [
      Permission.CUSTOMER_READ,
      Permission.INVOICE_READ, // the key lacks it
      Permission.INVOICE_WRITE,
      Permission.HOURS_READ_ALL,
    ];
    const owner = await kit.app.seed.employee(kit.world.office, { name: 'Snitt Eier', permissions: ownerPermissions });
    const template = await kit.app.seed.accessTemplate(kit.world.office, 'Snitt', templatePermissions);
    const { userKey, token } = await accountantKey(kit.app, kit.world, owner, keyPermissions);
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, template);

    const expected = intersect(ownerPermissions, keyPermissions, templatePermissions);
    expect([...expected].sort()).toEqual([Permission.CUSTOMER_READ, Permission.HOURS_READ_ALL]);
    const at = { token, companyId: kit.world.bakeri.id };
    const viewer = await kit.app.api.request(VIEWER, {}, at);
    expect(viewer.errors).toEqual([]);
    expect(viewer.data.viewer).toMatchObject({
      company: { id: kit.world.bakeri.id, name: 'Bakeri Hansen AS' },
      actingAtClient: true,
      accessTemplate: { id: template.id, name: 'Snitt' },
      userKey: { id: userKey.id },
      employee: { id: owner.id },
    });
    expect([...viewer.data.viewer.effectivePermissions].sort()).toEqual([...expected].sort());

    const customers = await kit.app.api.request(CUSTOMERS, {}, at);
    expect(customers.errors).toEqual([]);
    // the client's own customers, not another client's
    expect(customers.data.customers.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual([
      'Kunde En AS (Bakeri Hansen AS)',
      'Kunde To AS (Bakeri Hansen AS)',
    ]);
    expectCode(await kit.app.api.request(CREATE_CUSTOMER, { n: 'Nei AS' }, at), 'FORBIDDEN'); // template
    expectCode(await kit.app.api.request('{ invoices { totalCount } }', {}, at), 'FORBIDDEN'); // key
    expect(
      codes(
        await kit.app.api.request(
          'mutation { createInvoice(input: { customerId: "cus_00000000000000000000000000", amount: 1 }) { id } }',
          {},
          at,
        ),
      ),
    ).toEqual(['FORBIDDEN']); // owner
  });

  test('R17: a permission removed from the key’s owner disappears at the client at once', async () => {
    const owner = await kit.app.seed.employee(kit.world.office, {
      name: 'Mister Tilgang',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ],
    });
    const { userKey, token } = await accountantKey(kit.app, kit.world, owner, [
      Permission.CUSTOMER_READ,
      Permission.INVOICE_READ,
    ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, userKey, kit.world.kunLese);
    const at = { token, companyId: kit.world.fjordFisk.id };
    expect((await kit.app.api.request(CUSTOMERS, {}, at)).data.customers.totalCount).toBe(2);

    const changed = await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN, INVOICE_READ]) { id } }',
      { id: owner.id },
      { token: kit.token.kari },
    );
    expect(changed.errors).toEqual([]);
    expect((await kit.app.api.request(VIEWER, {}, at)).data.viewer.effectivePermissions).toEqual(['INVOICE_READ']);
    expectCode(await kit.app.api.request(CUSTOMERS, {}, at), 'FORBIDDEN');
  });

  test('R17: a key is refused at a client it is not linked to, whether that client is its office’s, another’s or unknown', async () => {
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const unknown = newId('company');
    const answers = [];
    for (const companyId of [kit.world.fjordFisk.id, kit.world.other.client.id, kit.world.other.office.id, unknown]) {
      const res = await kit.app.api.request(VIEWER, {}, { token, companyId });
      expectCode(res, 'FORBIDDEN');
      expect(res.data).toBeNull();
      answers.push(res.errors[0].message.replace(companyId, 'X'));
    }
    // the same answer for every one of them: nothing about the company leaks
    expect(new Set(answers).size).toBe(1);
    expect((await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.bakeri.id })).errors).toEqual([]);
  });

  test('R17: a revoked or expired accountant key is refused at its linked client', async () => {
    const revoked = await accountantKey(
      kit.app,
      kit.world,
      kit.world.kari,
      [Permission.CUSTOMER_READ],
      'Tilbakekalles',
    );
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, revoked.userKey, kit.world.kunLese);
    expect(
      (await kit.app.api.request(VIEWER, {}, { token: revoked.token, companyId: kit.world.bakeri.id })).errors,
    ).toEqual([]);
    await kit.app.api.request(
      'mutation ($id: ID!) { revokeUserKey(id: $id) { id } }',
      { id: revoked.userKey.id },
      { token: kit.token.kari },
    );
    const afterRevoke = await kit.app.api.request(VIEWER, {}, { token: revoked.token, companyId: kit.world.bakeri.id });
    expectCode(afterRevoke, 'UNAUTHENTICATED');

    const expired = await kit.app.seed.userKey(kit.world.kari, {
      kind: UserKeyKind.ACCOUNTANT,
      permissions: [Permission.CUSTOMER_READ],
      expiresAt: new Date(Date.now() - 60_000),
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, expired.userKey, kit.world.kunLese);
    const afterExpiry = await kit.app.api.request(VIEWER, {}, { token: expired.token, companyId: kit.world.bakeri.id });
    expectCode(afterExpiry, 'UNAUTHENTICATED');
  });

  test('R17: restoring a key keeps its client links: the new secret acts at the client, the old one is refused', async () => {
    const { userKey, token } = await accountantKey(
      kit.app,
      kit.world,
      kit.world.kari,
      [Permission.CUSTOMER_READ],
      'Gjenopprettes',
    );
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, userKey, kit.world.kunLese);
    const RESTORE = 'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }';
    const restored = expectOk(await kit.app.api.request(RESTORE, { id: userKey.id }, { token: kit.token.kari }));
    const fresh = restored.restoreUserKey.token;
    expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.fjordFisk.id }), 'UNAUTHENTICATED');
    const at = await kit.app.api.request(VIEWER, {}, { token: fresh, companyId: kit.world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer).toMatchObject({
      accessTemplate: { name: 'Kun lese' },
      effectivePermissions: ['CUSTOMER_READ'],
    });
  });

  test('R17: without the office’s Integrations add-on, its accountant keys are refused even at linked clients', async () => {
    const office = await kit.app.seed.company({
      name: 'Uten Tillegg Regnskap AS',
      kind: CompanyKind.ACCOUNTING_OFFICE,
      integrationsActive: false,
    });
    const accountant = await kit.app.seed.employee(office, {
      name: 'Uten Tillegg',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    const client = await kit.app.seed.company({ name: 'Klient Uten Tillegg AS' });
    await kit.app.seed.clientRelation(office, client);
    const template = await kit.app.seed.accessTemplate(office, 'Lese', [Permission.CUSTOMER_READ]);
    const { userKey, token } = await accountantKey(kit.app, kit.world, accountant, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(office, client, userKey, template);
    const res = await kit.app.api.request(VIEWER, {}, { token, companyId: client.id });
    expectCode(res, 'INTEGRATIONS_NOT_ACTIVE');
  });

  test('R12: the client has not activated Integrations, yet the office’s accountant key works there', async () => {
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, userKey, kit.world.bokforing);
    const at = { token, companyId: kit.world.fjordFisk.id };
    const viewer = await kit.app.api.request(VIEWER, {}, at);
    expect(viewer.errors).toEqual([]);
    expect(viewer.data.viewer.company).toEqual({
      id: kit.world.fjordFisk.id,
      name: 'Fjord Fisk AS',
      integrationsActive: false,
    });
    const created = await kit.app.api.request(CREATE_CUSTOMER, { n: 'Laget via regnskapskontoret AS' }, at);
    expect(created.errors).toEqual([]);
    const fjordAdmin = await kit.app.api.login('admin@fjordfisk.example');
    const seenByClient = await kit.app.api.request(CUSTOMERS, {}, { token: fjordAdmin });
    expect(seenByClient.data.customers.edges.map((e: { node: { name: string } }) => e.node.name)).toContain(
      'Laget via regnskapskontoret AS',
    );
    // and the client still cannot make keys of its own without activating
    const own = await kit.app.api.request(
      `mutation ($e: ID!) { createUserKey(input: { employeeId: $e, customApplicationName: "Egen", name: "Egen", accessMode: CUSTOM, permissions: [] }) { token } }`,
      { e: kit.world.fjordAdmin.id },
      { token: fjordAdmin },
    );
    expectCode(own, 'INTEGRATIONS_NOT_ACTIVE');
  });
});

describe('where a key may act (R15)', () => {
  test('R15: an accountant key without X-Company-Id is refused: it never acts in the office’s own books', async () => {
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CLIENT_ADMIN,
    ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const none = await kit.app.api.request(VIEWER, {}, { token });
    expectCode(none, 'FORBIDDEN');
    expect(none.status).toBe(403);
    const own = await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.office.id });
    expectCode(own, 'FORBIDDEN');
    const template = await kit.app.api.request(
      'mutation { createAccessTemplate(input: { name: "Via nøkkel", permissions: [] }) { id } }',
      {},
      { token },
    );
    expectCode(template, 'FORBIDDEN');
  });

  test('R15: an end-user key acts in its own company only, even with a client link row', async () => {
    const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CUSTOMER_READ],
    });
    // written straight to the database: the API refuses to link end-user keys
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const home = await kit.app.api.request(VIEWER, {}, { token });
    expect(home.errors).toEqual([]);
    expect(home.data.viewer.company.id).toBe(kit.world.office.id);
    expect(home.data.viewer.actingAtClient).toBe(false);
    for (const companyId of [kit.world.bakeri.id, kit.world.fjordFisk.id, kit.world.other.office.id]) {
      expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId }), 'FORBIDDEN');
    }
  });

  test('R15: a client’s own end-user key cannot act at its accounting office or at another client', async () => {
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    await kit.app.api.request(
      'mutation { activateIntegrations(acceptTerms: true) { id } }',
      {},
      { token: bakeriAdmin },
    );
    const created = await kit.app.api.request(
      `mutation ($e: ID!) { createUserKey(input: { employeeId: $e, customApplicationName: "Kasse", name: "Kasse", accessMode: COPY_EMPLOYEE }) { token } }`,
      { e: kit.world.bakeriAdmin.id },
      { token: bakeriAdmin },
    );
    expect(created.errors).toEqual([]);
    const token = created.data.createUserKey.token;
    expect((await kit.app.api.request(VIEWER, {}, { token })).data.viewer.company.id).toBe(kit.world.bakeri.id);
    for (const companyId of [kit.world.office.id, kit.world.fjordFisk.id]) {
      expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId }), 'FORBIDDEN');
    }
  });
});

describe('office employees acting at clients', () => {
  test('R17: a linked office employee acts at the client with own permissions ∩ template; unlinked ones are refused', async () => {
    const employee = await kit.app.seed.employee(kit.world.office, {
      name: 'Lenket Ansatt',
      email: 'lenket@regnskap.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.PAYROLL_READ, Permission.INVOICE_WRITE],
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, employee, kit.world.bokforing);
    const token = await kit.app.api.login('lenket@regnskap.example');
    const at = await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer).toMatchObject({
      company: { id: kit.world.fjordFisk.id },
      actingAtClient: true,
      accessTemplate: { name: 'Bokføring' },
      userKey: null,
      employee: { id: employee.id },
    });
    expect(at.data.viewer.effectivePermissions).toEqual(
      intersect(
        [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.PAYROLL_READ, Permission.INVOICE_WRITE],
        kit.world.bokforing.permissions,
      ),
    );
    expect(at.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'INVOICE_WRITE']);
    // at home the employee keeps all of their own permissions
    const home = await kit.app.api.request(VIEWER, {}, { token });
    expect([...home.data.viewer.effectivePermissions].sort()).toEqual([
      'CUSTOMER_READ',
      'INVOICE_WRITE',
      'LOGIN',
      'PAYROLL_READ',
    ]);
    expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.bakeri.id }), 'FORBIDDEN');
    const ola = await kit.app.api.login('ola@regnskap.example');
    expectCode(await kit.app.api.request(VIEWER, {}, { token: ola, companyId: kit.world.fjordFisk.id }), 'FORBIDDEN');
  });

  test('a client’s employee cannot act in its accounting office', async () => {
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    const res = await kit.app.api.request(VIEWER, {}, { token: bakeriAdmin, companyId: kit.world.office.id });
    expectCode(res, 'FORBIDDEN');
  });
});
