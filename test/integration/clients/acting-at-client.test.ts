import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { newId } from '../../../server/src/shared/ids';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { PASSWORD, buildWorld, type World } from '../../testkit/world';
import { VIEWER, accountantKey } from './helpers';

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

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
    const owner = await app.seed.employee(world.office, { name: 'Snitt Eier', permissions: ownerPermissions });
    const template = await app.seed.accessTemplate(world.office, 'Snitt', templatePermissions);
    const { userKey, token } = await accountantKey(app, world, owner, keyPermissions);
    await app.seed.clientLink(world.office, world.bakeri, userKey, template);

    const expected = intersect(ownerPermissions, keyPermissions, templatePermissions);
    expect([...expected].sort()).toEqual([Permission.CUSTOMER_READ, Permission.HOURS_READ_ALL]);
    const at = { token, companyId: world.bakeri.id };
    const viewer = await app.api.request(VIEWER, {}, at);
    expect(viewer.errors).toEqual([]);
    expect(viewer.data.viewer).toMatchObject({
      company: { id: world.bakeri.id, name: 'Bakeri Hansen AS' },
      actingAtClient: true,
      accessTemplate: { id: template.id, name: 'Snitt' },
      userKey: { id: userKey.id },
      employee: { id: owner.id },
    });
    expect([...viewer.data.viewer.effectivePermissions].sort()).toEqual([...expected].sort());

    const customers = await app.api.request(CUSTOMERS, {}, at);
    expect(customers.errors).toEqual([]);
    // the client's own customers, not another client's
    expect(customers.data.customers.edges.map((e: { node: { name: string } }) => e.node.name).sort()).toEqual([
      'Kunde En AS (Bakeri Hansen AS)',
      'Kunde To AS (Bakeri Hansen AS)',
    ]);
    expect(codes(await app.api.request(CREATE_CUSTOMER, { n: 'Nei AS' }, at))).toEqual(['FORBIDDEN']); // template
    expect(codes(await app.api.request('{ invoices { totalCount } }', {}, at))).toEqual(['FORBIDDEN']); // key
    expect(
      codes(
        await app.api.request(
          'mutation { createInvoice(input: { customerId: "cus_00000000000000000000000000", amount: 1 }) { id } }',
          {},
          at,
        ),
      ),
    ).toEqual(['FORBIDDEN']); // owner
  });

  test('R17: a permission removed from the key’s owner disappears at the client at once', async () => {
    const owner = await app.seed.employee(world.office, {
      name: 'Mister Tilgang',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ],
    });
    const { userKey, token } = await accountantKey(app, world, owner, [
      Permission.CUSTOMER_READ,
      Permission.INVOICE_READ,
    ]);
    await app.seed.clientLink(world.office, world.fjordFisk, userKey, world.kunLese);
    const at = { token, companyId: world.fjordFisk.id };
    expect((await app.api.request(CUSTOMERS, {}, at)).data.customers.totalCount).toBe(2);

    const changed = await app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN, INVOICE_READ]) { id } }',
      { id: owner.id },
      { token: kari },
    );
    expect(changed.errors).toEqual([]);
    expect((await app.api.request(VIEWER, {}, at)).data.viewer.effectivePermissions).toEqual(['INVOICE_READ']);
    expect(codes(await app.api.request(CUSTOMERS, {}, at))).toEqual(['FORBIDDEN']);
  });

  test('R17: a key is refused at a client it is not linked to, whether that client is its office’s, another’s or unknown', async () => {
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    const unknown = newId('company');
    const answers = [];
    for (const companyId of [world.fjordFisk.id, world.other.client.id, world.other.office.id, unknown]) {
      const res = await app.api.request(VIEWER, {}, { token, companyId });
      expect(codes(res)).toEqual(['FORBIDDEN']);
      expect(res.data).toBeNull();
      answers.push(res.errors[0].message.replace(companyId, 'X'));
    }
    // the same answer for every one of them: nothing about the company leaks
    expect(new Set(answers).size).toBe(1);
    expect((await app.api.request(VIEWER, {}, { token, companyId: world.bakeri.id })).errors).toEqual([]);
  });

  test('R17: a revoked or expired accountant key is refused at its linked client', async () => {
    const revoked = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ], 'Tilbakekalles');
    await app.seed.clientLink(world.office, world.bakeri, revoked.userKey, world.kunLese);
    expect((await app.api.request(VIEWER, {}, { token: revoked.token, companyId: world.bakeri.id })).errors).toEqual(
      [],
    );
    await app.api.request(
      'mutation ($id: ID!) { revokeUserKey(id: $id) { id } }',
      { id: revoked.userKey.id },
      { token: kari },
    );
    const afterRevoke = await app.api.request(VIEWER, {}, { token: revoked.token, companyId: world.bakeri.id });
    expect(codes(afterRevoke)).toEqual(['UNAUTHENTICATED']);

    const expired = await app.seed.userKey(world.kari, {
      kind: UserKeyKind.ACCOUNTANT,
      permissions: [Permission.CUSTOMER_READ],
      expiresAt: new Date(Date.now() - 60_000),
    });
    await app.seed.clientLink(world.office, world.bakeri, expired.userKey, world.kunLese);
    const afterExpiry = await app.api.request(VIEWER, {}, { token: expired.token, companyId: world.bakeri.id });
    expect(codes(afterExpiry)).toEqual(['UNAUTHENTICATED']);
  });

  test('R17: restoring a key keeps its client links: the new secret acts at the client, the old one is refused', async () => {
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ], 'Gjenopprettes');
    await app.seed.clientLink(world.office, world.fjordFisk, userKey, world.kunLese);
    const restored = await app.api.request(
      'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
      { id: userKey.id },
      { token: kari },
    );
    expect(restored.errors).toEqual([]);
    const fresh = restored.data.restoreUserKey.token;
    expect(codes(await app.api.request(VIEWER, {}, { token, companyId: world.fjordFisk.id }))).toEqual([
      'UNAUTHENTICATED',
    ]);
    const at = await app.api.request(VIEWER, {}, { token: fresh, companyId: world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer).toMatchObject({
      accessTemplate: { name: 'Kun lese' },
      effectivePermissions: ['CUSTOMER_READ'],
    });
  });

  test('R17: without the office’s Integrations add-on, its accountant keys are refused even at linked clients', async () => {
    const office = await app.seed.company({
      name: 'Uten Tillegg Regnskap AS',
      kind: CompanyKind.ACCOUNTING_OFFICE,
      integrationsActive: false,
    });
    const accountant = await app.seed.employee(office, {
      name: 'Uten Tillegg',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    const client = await app.seed.company({ name: 'Klient Uten Tillegg AS' });
    await app.seed.clientRelation(office, client);
    const template = await app.seed.accessTemplate(office, 'Lese', [Permission.CUSTOMER_READ]);
    const { userKey, token } = await accountantKey(app, world, accountant, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(office, client, userKey, template);
    const res = await app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(codes(res)).toEqual(['INTEGRATIONS_NOT_ACTIVE']);
  });

  test('R12: the client has not activated Integrations, yet the office’s accountant key works there', async () => {
    const { userKey, token } = await accountantKey(app, world, world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    await app.seed.clientLink(world.office, world.fjordFisk, userKey, world.bokforing);
    const at = { token, companyId: world.fjordFisk.id };
    const viewer = await app.api.request(VIEWER, {}, at);
    expect(viewer.errors).toEqual([]);
    expect(viewer.data.viewer.company).toEqual({
      id: world.fjordFisk.id,
      name: 'Fjord Fisk AS',
      integrationsActive: false,
    });
    const created = await app.api.request(CREATE_CUSTOMER, { n: 'Laget via regnskapskontoret AS' }, at);
    expect(created.errors).toEqual([]);
    const fjordAdmin = await app.api.login('admin@fjordfisk.example');
    const seenByClient = await app.api.request(CUSTOMERS, {}, { token: fjordAdmin });
    expect(seenByClient.data.customers.edges.map((e: { node: { name: string } }) => e.node.name)).toContain(
      'Laget via regnskapskontoret AS',
    );
    // and the client still cannot make keys of its own without activating
    const own = await app.api.request(
      `mutation ($e: ID!) { createUserKey(input: { employeeId: $e, customApplicationName: "Egen", name: "Egen", accessMode: CUSTOM, permissions: [] }) { token } }`,
      { e: world.fjordAdmin.id },
      { token: fjordAdmin },
    );
    expect(codes(own)).toEqual(['INTEGRATIONS_NOT_ACTIVE']);
  });
});

describe('where a key may act (R15)', () => {
  test('R15: an accountant key without X-Company-Id is refused: it never acts in the office’s own books', async () => {
    const { userKey, token } = await accountantKey(app, world, world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CLIENT_ADMIN,
    ]);
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    const none = await app.api.request(VIEWER, {}, { token });
    expect(codes(none)).toEqual(['FORBIDDEN']);
    expect(none.status).toBe(403);
    const own = await app.api.request(VIEWER, {}, { token, companyId: world.office.id });
    expect(codes(own)).toEqual(['FORBIDDEN']);
    const template = await app.api.request(
      'mutation { createAccessTemplate(input: { name: "Via nøkkel", permissions: [] }) { id } }',
      {},
      { token },
    );
    expect(codes(template)).toEqual(['FORBIDDEN']);
  });

  test('R15: an end-user key acts in its own company only, even with a client link row', async () => {
    const { userKey, token } = await app.seed.userKey(world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CUSTOMER_READ],
    });
    // written straight to the database: the API refuses to link end-user keys
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    const home = await app.api.request(VIEWER, {}, { token });
    expect(home.errors).toEqual([]);
    expect(home.data.viewer.company.id).toBe(world.office.id);
    expect(home.data.viewer.actingAtClient).toBe(false);
    for (const companyId of [world.bakeri.id, world.fjordFisk.id, world.other.office.id]) {
      expect(codes(await app.api.request(VIEWER, {}, { token, companyId }))).toEqual(['FORBIDDEN']);
    }
  });

  test('R15: a client’s own end-user key cannot act at its accounting office or at another client', async () => {
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    await app.api.request('mutation { activateIntegrations(acceptTerms: true) { id } }', {}, { token: bakeriAdmin });
    const created = await app.api.request(
      `mutation ($e: ID!) { createUserKey(input: { employeeId: $e, customApplicationName: "Kasse", name: "Kasse", accessMode: COPY_EMPLOYEE }) { token } }`,
      { e: world.bakeriAdmin.id },
      { token: bakeriAdmin },
    );
    expect(created.errors).toEqual([]);
    const token = created.data.createUserKey.token;
    expect((await app.api.request(VIEWER, {}, { token })).data.viewer.company.id).toBe(world.bakeri.id);
    for (const companyId of [world.office.id, world.fjordFisk.id]) {
      expect(codes(await app.api.request(VIEWER, {}, { token, companyId }))).toEqual(['FORBIDDEN']);
    }
  });
});

describe('office employees acting at clients', () => {
  test('R17: a linked office employee acts at the client with own permissions ∩ template; unlinked ones are refused', async () => {
    const employee = await app.seed.employee(world.office, {
      name: 'Lenket Ansatt',
      email: 'lenket@regnskap.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.PAYROLL_READ, Permission.INVOICE_WRITE],
    });
    await app.seed.clientLink(world.office, world.fjordFisk, employee, world.bokforing);
    const token = await app.api.login('lenket@regnskap.example');
    const at = await app.api.request(VIEWER, {}, { token, companyId: world.fjordFisk.id });
    expect(at.errors).toEqual([]);
    expect(at.data.viewer).toMatchObject({
      company: { id: world.fjordFisk.id },
      actingAtClient: true,
      accessTemplate: { name: 'Bokføring' },
      userKey: null,
      employee: { id: employee.id },
    });
    expect(at.data.viewer.effectivePermissions).toEqual(
      intersect(
        [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.PAYROLL_READ, Permission.INVOICE_WRITE],
        world.bokforing.permissions,
      ),
    );
    expect(at.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'INVOICE_WRITE']);
    // at home the employee keeps all of their own permissions
    const home = await app.api.request(VIEWER, {}, { token });
    expect([...home.data.viewer.effectivePermissions].sort()).toEqual([
      'CUSTOMER_READ',
      'INVOICE_WRITE',
      'LOGIN',
      'PAYROLL_READ',
    ]);
    expect(codes(await app.api.request(VIEWER, {}, { token, companyId: world.bakeri.id }))).toEqual(['FORBIDDEN']);
    const ola = await app.api.login('ola@regnskap.example');
    expect(codes(await app.api.request(VIEWER, {}, { token: ola, companyId: world.fjordFisk.id }))).toEqual([
      'FORBIDDEN',
    ]);
  });

  test('a client’s employee cannot act in its accounting office', async () => {
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    const res = await app.api.request(VIEWER, {}, { token: bakeriAdmin, companyId: world.office.id });
    expect(codes(res)).toEqual(['FORBIDDEN']);
  });
});
