import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { PASSWORD } from '../../testkit/world';
import { SET_API_ACCESS, VIEWER, accountantKey, auditEvents } from './helpers';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari', 'bakeriAdmin'] });

/** A fresh client of the demo office with its own admin (every permission) and a session for them. */
async function clientWithAdmin(name: string): Promise<{ client: Company; admin: string }> {
  const client = await kit.app.seed.company({ name });
  const email = `admin@${name.toLowerCase().replace(/[^a-z]/g, '')}.example`;
  await kit.app.seed.employee(client, {
    name: `Admin ${name}`,
    email,
    password: PASSWORD,
    permissions: Object.values(Permission),
  });
  await kit.app.seed.clientRelation(kit.world.office, client);
  return { client, admin: await kit.app.api.login(email) };
}

function setAccess(token: string, input: Record<string, unknown>, companyId?: string) {
  return kit.app.api.request(SET_API_ACCESS, { input }, { token, companyId });
}

/** The API access switch of the first client whose name matches, as the office sees it. */
async function apiAccessOf(search: string): Promise<boolean> {
  const query = 'query ($s: String) { clients(search: $s) { edges { node { apiAccess } } } }';
  return expectOk(await kit.app.api.request(query, { s: search }, { token: kit.token.kari })).clients.edges[0].node
    .apiAccess;
}

describe('setAccountantApiAccess', () => {
  test('R18: turning API access off stops the office keys at that client only', async () => {
    const { client, admin } = await clientWithAdmin('Stengt AS');
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, client, userKey, kit.world.kunLese);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, userKey, kit.world.kunLese);
    const second = await accountantKey(kit.app, kit.world, kit.world.per, [Permission.CUSTOMER_READ], 'Pers nøkkel');
    await kit.app.seed.clientLink(kit.world.office, client, second.userKey, kit.world.kunLese);
    expect((await kit.app.api.request(VIEWER, {}, { token, companyId: client.id })).errors).toEqual([]);

    const off = await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false });
    expect(off.errors).toEqual([]);
    expect(off.data.setAccountantApiAccess).toMatchObject({
      apiAccess: false,
      company: { id: client.id },
      office: { id: kit.world.office.id },
    });
    expect(off.data.setAccountantApiAccess.apiAccessChangedAt).toEqual(expect.any(String));

    // every key of the office is stopped at that client, on the very next request
    for (const t of [token, second.token]) {
      const refused = await kit.app.api.request(VIEWER, {}, { token: t, companyId: client.id });
      expectCode(refused, 'CLIENT_API_ACCESS_DISABLED');
      expect(refused.status).toBe(403);
    }
    // and nowhere else
    const elsewhere = await kit.app.api.request(VIEWER, {}, { token, companyId: kit.world.fjordFisk.id });
    expect(elsewhere.errors).toEqual([]);
    expect(elsewhere.data.viewer.company.id).toBe(kit.world.fjordFisk.id);

    // the office sees the switch in its client list
    const listed = await kit.app.api.request(
      '{ clients(apiAccess: false, first: 100) { edges { node { company { id } apiAccess } } } }',
      {},
      { token: kit.token.kari },
    );
    expect(listed.data.clients.edges.map((e: { node: { company: { id: string } } }) => e.node.company.id)).toEqual([
      client.id,
    ]);
  });

  test('R18: turning API access on again restores the office keys at the client', async () => {
    const { client, admin } = await clientWithAdmin('Gjenåpnet AS');
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, client, userKey, kit.world.kunLese);
    expectOk(await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false }));
    expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId: client.id }), 'CLIENT_API_ACCESS_DISABLED');
    const on = await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: true });
    expect(on.data.setAccountantApiAccess.apiAccess).toBe(true);
    const restored = await kit.app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(restored.errors).toEqual([]);
    expect(restored.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);
  });

  test('R18: switching off for one office leaves another office’s keys at the same client working', async () => {
    const { client, admin } = await clientWithAdmin('Delt Klient AS');
    // the client is kept by both offices
    await kit.app.seed.clientRelation(kit.world.other.office, client);
    const otherTemplate = await kit.app.seed.accessTemplate(kit.world.other.office, 'Lese', [Permission.CUSTOMER_READ]);
    const ours = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const theirs = await accountantKey(kit.app, kit.world, kit.world.other.admin, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, client, ours.userKey, kit.world.kunLese);
    await kit.app.seed.clientLink(kit.world.other.office, client, theirs.userKey, otherTemplate);

    expectOk(await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false }));
    expectCode(
      await kit.app.api.request(VIEWER, {}, { token: ours.token, companyId: client.id }),
      'CLIENT_API_ACCESS_DISABLED',
    );
    expect((await kit.app.api.request(VIEWER, {}, { token: theirs.token, companyId: client.id })).errors).toEqual([]);
  });

  test('R18: done in the client’s own session, with or without X-Company-Id naming the client', async () => {
    const viaHeader = await setAccess(
      kit.token.bakeriAdmin,
      { accountingOfficeId: kit.world.office.id, enabled: true },
      kit.world.bakeri.id,
    );
    expect(viaHeader.errors).toEqual([]);
    expect(viaHeader.data.setAccountantApiAccess.company.id).toBe(kit.world.bakeri.id);
    const viaSession = await setAccess(kit.token.bakeriAdmin, {
      accountingOfficeId: kit.world.office.id,
      enabled: true,
    });
    expect(viaSession.data.setAccountantApiAccess.company.id).toBe(kit.world.bakeri.id);
  });

  test('R18: the switch needs ACCOUNT_ADMIN in the client', async () => {
    const { client, admin } = await clientWithAdmin('Rettigheter AS');
    await kit.app.seed.employee(client, {
      name: 'Bruker Uten Konto',
      email: 'bruker@rettigheter.example',
      password: PASSWORD,
      permissions: [Permission.LOGIN, Permission.USER_ADMIN, Permission.CUSTOMER_READ],
    });
    const user = await kit.app.api.login('bruker@rettigheter.example');
    const refused = await setAccess(user, { accountingOfficeId: kit.world.office.id, enabled: false });
    expectCode(refused, 'FORBIDDEN');
    expect(await apiAccessOf('Rettigheter')).toBe(true);
    expect((await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false })).errors).toEqual([]);
  });

  test('R18: the office cannot flip the switch from its own books, and a company that is not the client’s office is NOT_FOUND', async () => {
    // kari acting in the office: the office is not a client of itself
    expectNotFound(await setAccess(kit.token.kari, { accountingOfficeId: kit.world.office.id, enabled: false }));
    // bakeri is not a client of the other office
    expectNotFound(
      await setAccess(kit.token.bakeriAdmin, { accountingOfficeId: kit.world.other.office.id, enabled: false }),
    );
    expectNotFound(await setAccess(kit.token.bakeriAdmin, { accountingOfficeId: 'cmp_nope', enabled: false }));
  });

  test('R18: names the responsible accountant, who must be an employee of the office', async () => {
    const { client, admin } = await clientWithAdmin('Ansvarlig AS');
    const named = await setAccess(admin, {
      accountingOfficeId: kit.world.office.id,
      accountantEmployeeId: kit.world.per.id,
      enabled: true,
    });
    expect(named.errors).toEqual([]);
    expect(named.data.setAccountantApiAccess.accountant).toEqual({ id: kit.world.per.id, name: 'Per Berg' });
    for (const accountantEmployeeId of [kit.world.bakeriAdmin.id, kit.world.other.admin.id, 'emp_unknown']) {
      const res = await setAccess(admin, {
        accountingOfficeId: kit.world.office.id,
        accountantEmployeeId,
        enabled: false,
      });
      expectCode(res, 'BAD_USER_INPUT');
    }
    // the refused calls changed nothing
    const listed = await kit.app.api.request(
      'query ($s: String) { clients(search: $s) { edges { node { company { id } apiAccess accountant { id } } } } }',
      { s: 'Ansvarlig' },
      { token: kit.token.kari },
    );
    expect(listed.data.clients.edges[0].node).toEqual({
      company: { id: client.id },
      apiAccess: true,
      accountant: { id: kit.world.per.id },
    });
    // leaving the accountant out keeps the one named before
    const kept = await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false });
    expect(kept.data.setAccountantApiAccess.accountant).toEqual({ id: kit.world.per.id, name: 'Per Berg' });
  });

  test('R18: nobody acting at a client through an office’s link changes a switch there, even with ACCOUNT_ADMIN stored in the template', async () => {
    const { client, admin } = await clientWithAdmin('Felles Klient AS');
    await kit.app.seed.clientRelation(kit.world.other.office, client);
    // a template from before R22, written straight into the database with every permission
    const strong = await kit.app.seed.accessTemplate(kit.world.other.office, 'Full', Object.values(Permission));
    await kit.app.seed.clientLink(kit.world.other.office, client, kit.world.other.admin, strong);
    const anne = await kit.app.api.login('anne@annet.example');
    const at = await kit.app.api.request(VIEWER, {}, { token: anne, companyId: client.id });
    expect(at.data.viewer.effectivePermissions).toContain('CUSTOMER_READ');
    expect(at.data.viewer.effectivePermissions).not.toContain('ACCOUNT_ADMIN');

    for (const office of [kit.world.office.id, kit.world.other.office.id]) {
      const res = await setAccess(anne, { accountingOfficeId: office, enabled: false }, client.id);
      expectCode(res, 'FORBIDDEN');
    }
    expect(await apiAccessOf('Felles Klient')).toBe(true);
    // the client's own admin can switch either office
    expect((await setAccess(admin, { accountingOfficeId: kit.world.office.id, enabled: false })).errors).toEqual([]);
    expect((await setAccess(admin, { accountingOfficeId: kit.world.other.office.id, enabled: true })).errors).toEqual(
      [],
    );
  });

  test('R18: switching is audited in the client and in the office, with the actor', async () => {
    const { client, admin } = await clientWithAdmin('Revidert AS');
    expectOk(
      await setAccess(admin, {
        accountingOfficeId: kit.world.office.id,
        accountantEmployeeId: kit.world.kari.id,
        enabled: false,
      }),
    );
    const adminId = (await kit.app.api.request('{ viewer { employee { id } } }', {}, { token: admin })).data.viewer
      .employee.id;
    const inClient = (await auditEvents(kit.app, admin)).filter((e) => e.action === 'client.setApiAccess');
    expect(inClient).toHaveLength(1);
    expect(inClient[0]).toMatchObject({
      targetId: kit.world.office.id,
      actorEmployee: { id: adminId },
      actorUserKey: null,
    });
    expect(JSON.parse(inClient[0].details!)).toMatchObject({
      enabled: false,
      officeId: kit.world.office.id,
      clientId: client.id,
      accountantEmployeeId: kit.world.kari.id,
    });
    const inOffice = (await auditEvents(kit.app, kit.token.kari)).filter(
      (e) => e.action === 'client.setApiAccess' && e.targetId === client.id,
    );
    expect(inOffice).toHaveLength(1);
    expect(JSON.parse(inOffice[0].details!).enabled).toBe(false);
  });
});
