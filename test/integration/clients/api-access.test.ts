import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { PASSWORD, buildWorld, type World } from '../../testkit/world';
import { SET_API_ACCESS, VIEWER, accountantKey, auditEvents, ok } from './helpers';

let app: TestApp;
let world: World;
let kari: string;
let bakeriAdmin: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  bakeriAdmin = await app.api.login('admin@bakeri.example');
});
afterAll(() => app.close());

/** A fresh client of the demo office with its own admin (every permission) and a session for them. */
async function clientWithAdmin(name: string): Promise<{ client: Company; admin: string }> {
  const client = await app.seed.company({ name });
  const email = `admin@${name.toLowerCase().replace(/[^a-z]/g, '')}.example`;
  await app.seed.employee(client, {
    name: `Admin ${name}`,
    email,
    password: PASSWORD,
    permissions: Object.values(Permission),
  });
  await app.seed.clientRelation(world.office, client);
  return { client, admin: await app.api.login(email) };
}

function setAccess(token: string, input: Record<string, unknown>, companyId?: string) {
  return app.api.request(SET_API_ACCESS, { input }, { token, companyId });
}

describe('setAccountantApiAccess', () => {
  test('R18: turning API access off stops the office keys at that client only', async () => {
    const { client, admin } = await clientWithAdmin('Stengt AS');
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, client, userKey, world.kunLese);
    await app.seed.clientLink(world.office, world.fjordFisk, userKey, world.kunLese);
    const second = await accountantKey(app, world, world.per, [Permission.CUSTOMER_READ], 'Pers nøkkel');
    await app.seed.clientLink(world.office, client, second.userKey, world.kunLese);
    expect((await app.api.request(VIEWER, {}, { token, companyId: client.id })).errors).toEqual([]);

    const off = await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false });
    expect(off.errors).toEqual([]);
    expect(off.data.setAccountantApiAccess).toMatchObject({
      apiAccess: false,
      company: { id: client.id },
      office: { id: world.office.id },
    });
    expect(off.data.setAccountantApiAccess.apiAccessChangedAt).toEqual(expect.any(String));

    // every key of the office is stopped at that client, on the very next request
    for (const t of [token, second.token]) {
      const refused = await app.api.request(VIEWER, {}, { token: t, companyId: client.id });
      expect(codes(refused)).toEqual(['CLIENT_API_ACCESS_DISABLED']);
      expect(refused.status).toBe(403);
    }
    // and nowhere else
    const elsewhere = await app.api.request(VIEWER, {}, { token, companyId: world.fjordFisk.id });
    expect(elsewhere.errors).toEqual([]);
    expect(elsewhere.data.viewer.company.id).toBe(world.fjordFisk.id);

    // the office sees the switch in its client list
    const listed = await app.api.request(
      '{ clients(apiAccess: false, first: 100) { edges { node { company { id } apiAccess } } } }',
      {},
      { token: kari },
    );
    expect(listed.data.clients.edges.map((e: { node: { company: { id: string } } }) => e.node.company.id)).toEqual([
      client.id,
    ]);
  });

  test('R18: turning API access on again restores the office keys at the client', async () => {
    const { client, admin } = await clientWithAdmin('Gjenåpnet AS');
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, client, userKey, world.kunLese);
    ok(await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false }));
    expect(codes(await app.api.request(VIEWER, {}, { token, companyId: client.id }))).toEqual([
      'CLIENT_API_ACCESS_DISABLED',
    ]);
    const on = await setAccess(admin, { accountingOfficeId: world.office.id, enabled: true });
    expect(on.data.setAccountantApiAccess.apiAccess).toBe(true);
    const restored = await app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(restored.errors).toEqual([]);
    expect(restored.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);
  });

  test('R18: switching off for one office leaves another office’s keys at the same client working', async () => {
    const { client, admin } = await clientWithAdmin('Delt Klient AS');
    // the client is kept by both offices
    await app.seed.clientRelation(world.other.office, client);
    const otherTemplate = await app.seed.accessTemplate(world.other.office, 'Lese', [Permission.CUSTOMER_READ]);
    const ours = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const theirs = await accountantKey(app, world, world.other.admin, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, client, ours.userKey, world.kunLese);
    await app.seed.clientLink(world.other.office, client, theirs.userKey, otherTemplate);

    ok(await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false }));
    expect(codes(await app.api.request(VIEWER, {}, { token: ours.token, companyId: client.id }))).toEqual([
      'CLIENT_API_ACCESS_DISABLED',
    ]);
    expect((await app.api.request(VIEWER, {}, { token: theirs.token, companyId: client.id })).errors).toEqual([]);
  });

  test('R18: done in the client’s own session, with or without X-Company-Id naming the client', async () => {
    const viaHeader = await setAccess(
      bakeriAdmin,
      { accountingOfficeId: world.office.id, enabled: true },
      world.bakeri.id,
    );
    expect(viaHeader.errors).toEqual([]);
    expect(viaHeader.data.setAccountantApiAccess.company.id).toBe(world.bakeri.id);
    const viaSession = await setAccess(bakeriAdmin, { accountingOfficeId: world.office.id, enabled: true });
    expect(viaSession.data.setAccountantApiAccess.company.id).toBe(world.bakeri.id);
  });

  test('R18: the switch needs ACCOUNT_ADMIN in the client', async () => {
    const { client, admin } = await clientWithAdmin('Rettigheter AS');
    await app.seed.employee(client, {
      name: 'Bruker Uten Konto',
      email: 'bruker@rettigheter.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.USER_ADMIN, Permission.CUSTOMER_READ],
    });
    const user = await app.api.login('bruker@rettigheter.example');
    const refused = await setAccess(user, { accountingOfficeId: world.office.id, enabled: false });
    expect(codes(refused)).toEqual(['FORBIDDEN']);
    const state = await app.api.request(
      'query ($s: String) { clients(search: $s) { edges { node { apiAccess } } } }',
      { s: 'Rettigheter' },
      { token: kari },
    );
    expect(state.data.clients.edges[0].node.apiAccess).toBe(true);
    expect((await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false })).errors).toEqual([]);
  });

  test('R18: the office cannot flip the switch from its own books, and a company that is not the client’s office is NOT_FOUND', async () => {
    // kari acting in the office: the office is not a client of itself
    expect(codes(await setAccess(kari, { accountingOfficeId: world.office.id, enabled: false }))).toEqual([
      'NOT_FOUND',
    ]);
    // bakeri is not a client of the other office
    expect(codes(await setAccess(bakeriAdmin, { accountingOfficeId: world.other.office.id, enabled: false }))).toEqual([
      'NOT_FOUND',
    ]);
    expect(codes(await setAccess(bakeriAdmin, { accountingOfficeId: 'cmp_nope', enabled: false }))).toEqual([
      'NOT_FOUND',
    ]);
  });

  test('R18: names the responsible accountant, who must be an employee of the office', async () => {
    const { client, admin } = await clientWithAdmin('Ansvarlig AS');
    const named = await setAccess(admin, {
      accountingOfficeId: world.office.id,
      accountantEmployeeId: world.per.id,
      enabled: true,
    });
    expect(named.errors).toEqual([]);
    expect(named.data.setAccountantApiAccess.accountant).toEqual({ id: world.per.id, name: 'Per Berg' });
    for (const accountantEmployeeId of [world.bakeriAdmin.id, world.other.admin.id, 'emp_unknown']) {
      const res = await setAccess(admin, { accountingOfficeId: world.office.id, accountantEmployeeId, enabled: false });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
    // the refused calls changed nothing
    const listed = await app.api.request(
      'query ($s: String) { clients(search: $s) { edges { node { company { id } apiAccess accountant { id } } } } }',
      { s: 'Ansvarlig' },
      { token: kari },
    );
    expect(listed.data.clients.edges[0].node).toEqual({
      company: { id: client.id },
      apiAccess: true,
      accountant: { id: world.per.id },
    });
    // leaving the accountant out keeps the one named before
    const kept = await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false });
    expect(kept.data.setAccountantApiAccess.accountant).toEqual({ id: world.per.id, name: 'Per Berg' });
  });

  test('R18: nobody acting at a client through an office’s link changes a switch there, even with ACCOUNT_ADMIN stored in the template', async () => {
    const { client, admin } = await clientWithAdmin('Felles Klient AS');
    await app.seed.clientRelation(world.other.office, client);
    // a template from before R22, written straight into the database with every permission
    const strong = await app.seed.accessTemplate(world.other.office, 'Full', Object.values(Permission));
    await app.seed.clientLink(world.other.office, client, world.other.admin, strong);
    const anne = await app.api.login('anne@annet.example');
    const at = await app.api.request(VIEWER, {}, { token: anne, companyId: client.id });
    expect(at.data.viewer.effectivePermissions).toContain('CUSTOMER_READ');
    expect(at.data.viewer.effectivePermissions).not.toContain('ACCOUNT_ADMIN');

    for (const office of [world.office.id, world.other.office.id]) {
      const res = await setAccess(anne, { accountingOfficeId: office, enabled: false }, client.id);
      expect(codes(res)).toEqual(['FORBIDDEN']);
    }
    const state = await app.api.request(
      'query ($s: String) { clients(search: $s) { edges { node { apiAccess } } } }',
      { s: 'Felles Klient' },
      { token: kari },
    );
    expect(state.data.clients.edges[0].node.apiAccess).toBe(true);
    // the client's own admin can switch either office
    expect((await setAccess(admin, { accountingOfficeId: world.office.id, enabled: false })).errors).toEqual([]);
    expect((await setAccess(admin, { accountingOfficeId: world.other.office.id, enabled: true })).errors).toEqual([]);
  });

  test('R18: switching is audited in the client and in the office, with the actor', async () => {
    const { client, admin } = await clientWithAdmin('Revidert AS');
    ok(
      await setAccess(admin, {
        accountingOfficeId: world.office.id,
        accountantEmployeeId: world.kari.id,
        enabled: false,
      }),
    );
    const adminId = (await app.api.request('{ viewer { employee { id } } }', {}, { token: admin })).data.viewer.employee
      .id;
    const inClient = (await auditEvents(app, admin)).filter((e) => e.action === 'client.setApiAccess');
    expect(inClient).toHaveLength(1);
    expect(inClient[0]).toMatchObject({
      targetId: world.office.id,
      actorEmployee: { id: adminId },
      actorUserKey: null,
    });
    expect(JSON.parse(inClient[0].details!)).toMatchObject({
      enabled: false,
      officeId: world.office.id,
      clientId: client.id,
      accountantEmployeeId: world.kari.id,
    });
    const inOffice = (await auditEvents(app, kari)).filter(
      (e) => e.action === 'client.setApiAccess' && e.targetId === client.id,
    );
    expect(inOffice).toHaveLength(1);
    expect(JSON.parse(inOffice[0].details!).enabled).toBe(false);
  });
});
