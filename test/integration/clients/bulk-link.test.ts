import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { newId } from '../../../server/src/shared/ids';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { BULK_LINK, LINK_ONE, UNLINK, VIEWER, accountantKey, ids, linkRows, ok } from './helpers';

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

/** Fresh clients of the demo office, so tests do not share links. */
async function newClients(prefix: string, n: number): Promise<Company[]> {
  const out: Company[] = [];
  for (let i = 0; i < n; i++) {
    const company = await app.seed.company({ name: `${prefix} ${i} AS` });
    await app.seed.clientRelation(world.office, company);
    out.push(company);
  }
  return out;
}

interface Failure {
  clientId: string;
  code: string;
  message: string;
}

describe('bulkLinkClients', () => {
  test('R16: bulkLinkClients links an accountant key to many clients under one template', async () => {
    const clients = await newClients('Bulk', 4);
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.bulkLinkClients.linkedCount).toBe(4);
    const links = res.data.bulkLinkClients.links;
    expect(links.map((l: { client: { id: string } }) => l.client.id).sort()).toEqual(ids(...clients).sort());
    for (const link of links) {
      expect(link.template).toEqual({ id: world.kunLese.id, name: 'Kun lese' });
      expect(link.userKey).toEqual({ id: userKey.id });
      expect(link.employee).toBeNull();
    }
    expect((await linkRows(app, userKey.id)).map((r) => r.client_id)).toEqual(ids(...clients).sort());
    // and the key now works at each of them
    for (const client of clients) {
      const viewer = await app.api.request(VIEWER, {}, { token, companyId: client.id });
      expect(viewer.data.viewer.company.id).toBe(client.id);
    }
  });

  test('R16: bulk linking is atomic: one client of another office links nothing, and the failure names it', async () => {
    const clients = await newClients('Atomisk', 3);
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const clientIds = [...ids(clients[0], clients[1]), world.other.client.id, clients[2].id];
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds, userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
      { token: kari },
    );
    expect(res.data).toBeNull();
    expect(codes(res)).toHaveLength(1);
    const failures = res.errors[0].extensions?.failures as Failure[];
    expect(failures).toEqual([{ clientId: world.other.client.id, code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(failures[0].message.length).toBeGreaterThan(0);
    expect(await linkRows(app, userKey.id)).toEqual([]);
  });

  test('R16: unknown and malformed client ids each get their own failure entry, and nothing is linked', async () => {
    const [good] = await newClients('Ukjent', 1);
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    const unknown = newId('company');
    const malformed = 'not-a-company-id';
    const anEmployeeId = world.bakeriAdmin.id;
    const res = await app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [good.id, unknown, world.bakeri.id, malformed, anEmployeeId],
          userKeyId: userKey.id,
          accessTemplateId: world.bokforing.id,
        },
      },
      { token: kari },
    );
    expect(res.data).toBeNull();
    const failures = res.errors[0].extensions?.failures as Failure[];
    expect(failures.map((f) => f.clientId).sort()).toEqual([anEmployeeId, malformed, unknown].sort());
    const byId = new Map(failures.map((f) => [f.clientId, f]));
    expect(byId.get(unknown)?.code).toBe('NOT_FOUND');
    expect(byId.get(malformed)?.code).toBe('BAD_USER_INPUT');
    expect(byId.get(anEmployeeId)?.code).toBe('BAD_USER_INPUT');
    for (const f of failures) expect(typeof f.message).toBe('string');
    // the existing link kept its template, and no new link appeared
    expect(await linkRows(app, userKey.id)).toEqual([
      { id: expect.any(String), client_id: world.bakeri.id, template_id: world.kunLese.id },
    ]);
  });

  test('R16: an unknown client and another office’s client fail with the same answer (no existence leak)', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const unknown = newId('company');
    const res = await app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [world.other.client.id, unknown],
          userKeyId: userKey.id,
          accessTemplateId: world.bokforing.id,
        },
      },
      { token: kari },
    );
    const failures = res.errors[0].extensions?.failures as Failure[];
    const [foreign, invented] = [world.other.client.id, unknown].map((id) => failures.find((f) => f.clientId === id));
    expect(foreign).toBeDefined();
    expect({ ...foreign, clientId: 'X' }).toEqual({ ...invented, clientId: 'X' });
    // the office itself is not its own client either
    const self = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [world.office.id], userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
      { token: kari },
    );
    // bulkLinkClients always answers with the bulk error, even for one client; the client's own code is in failures
    expect(codes(self)).toEqual(['BAD_USER_INPUT']);
    expect((self.errors[0].extensions?.failures as Failure[]).map((f) => [f.clientId, f.code])).toEqual([
      [world.office.id, 'NOT_FOUND'],
    ]);
    expect(await linkRows(app, userKey.id)).toEqual([]);
  });

  test('R16: re-linking an already linked client updates its template, with no duplicate rows', async () => {
    const clients = await newClients('Relink', 2);
    const { userKey, token } = await accountantKey(app, world, world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    ok(
      await app.api.request(
        BULK_LINK,
        { input: { clientIds: [clients[0].id], userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
        { token: kari },
      ),
    );
    const [first] = await linkRows(app, userKey.id);
    const again = await app.api.request(
      BULK_LINK,
      { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
      { token: kari },
    );
    expect(again.errors).toEqual([]);
    expect(again.data.bulkLinkClients.linkedCount).toBe(2);
    const rows = await linkRows(app, userKey.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.template_id === world.bokforing.id)).toBe(true);
    // the same row was updated in place
    expect(rows.find((r) => r.client_id === clients[0].id)?.id).toBe(first.id);
    const viewer = await app.api.request(VIEWER, {}, { token, companyId: clients[0].id });
    expect(viewer.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
    expect(viewer.data.viewer.accessTemplate.name).toBe('Bokføring');
  });

  test('R16: a client listed twice is linked once', async () => {
    const [client] = await newClients('Dobbel', 1);
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id, client.id], userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(res.data.bulkLinkClients.linkedCount).toBe(1);
    expect(await linkRows(app, userKey.id)).toHaveLength(1);
  });

  test('R16: office employees can be linked and then act at the client with their own permissions ∩ template', async () => {
    const [client] = await newClients('Ansattlenke', 1);
    await app.seed.customer(client, 'Kunde hos ansattlenke');
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], employeeId: world.per.id, accessTemplateId: world.bokforing.id } },
      { token: kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.bulkLinkClients.links[0]).toMatchObject({ employee: { id: world.per.id }, userKey: null });
    const per = await app.api.login('per@regnskap.example');
    const at = await app.api.request(
      '{ viewer { company { id } effectivePermissions } customers { totalCount } }',
      {},
      { token: per, companyId: client.id },
    );
    expect(at.errors).toEqual([]);
    expect(at.data.viewer).toEqual({
      company: { id: client.id },
      effectivePermissions: ['CUSTOMER_READ', 'INVOICE_READ'],
    });
    expect(at.data.customers.totalCount).toBe(1);
  });

  test('R16: only accountant keys and office employees can be linked', async () => {
    const [client] = await newClients('Hvem', 1);
    const endUser = await app.seed.userKey(world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CUSTOMER_READ],
    });
    const foreignKey = await app.seed.userKey(world.other.admin, {
      kind: UserKeyKind.ACCOUNTANT,
      permissions: [Permission.CUSTOMER_READ],
    });
    const link = (grantee: Record<string, string>) =>
      app.api.request(
        BULK_LINK,
        { input: { clientIds: [client.id], accessTemplateId: world.kunLese.id, ...grantee } },
        { token: kari },
      );
    expect(codes(await link({ userKeyId: endUser.userKey.id }))).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
    expect(codes(await link({ userKeyId: foreignKey.userKey.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await link({ employeeId: world.bakeriAdmin.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await link({ employeeId: world.other.admin.id }))).toEqual(['NOT_FOUND']);
    expect(codes(await link({}))).toEqual(['BAD_USER_INPUT']);
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    expect(codes(await link({ userKeyId: userKey.id, employeeId: world.per.id }))).toEqual(['BAD_USER_INPUT']);
    const rows: unknown[] = await app.server.db.manager.query('SELECT id FROM client_link WHERE client_id = ?', [
      client.id,
    ]);
    expect(rows).toEqual([]);
  });

  test('R16: a revoked key cannot be linked', async () => {
    const [client] = await newClients('Tilbakekalt', 1);
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    ok(
      await app.api.request(
        'mutation ($id: ID!) { revokeUserKey(id: $id) { status } }',
        { id: userKey.id },
        { token: kari },
      ),
    );
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(codes(res)).toEqual(['CONFLICT']);
    expect(await linkRows(app, userKey.id)).toEqual([]);
  });

  test('R16: linking requires CLIENT_ADMIN, acting in the accounting office itself', async () => {
    const [client] = await newClients('Rettighet', 1);
    const { userKey } = await accountantKey(app, world, world.ola, [Permission.LOGIN]);
    const input = { clientIds: [client.id], userKeyId: userKey.id, accessTemplateId: world.kunLese.id };
    const ola = await app.api.login('ola@regnskap.example');
    expect(codes(await app.api.request(BULK_LINK, { input }, { token: ola }))).toEqual(['FORBIDDEN']);

    // the client's own admin has CLIENT_ADMIN, but in the client, not in the office
    const bakeriAdmin = await app.api.login('admin@bakeri.example');
    expect(codes(await app.api.request(BULK_LINK, { input }, { token: bakeriAdmin }))).toEqual(['FORBIDDEN']);

    // an office employee acting at a client, even under a template that holds CLIENT_ADMIN (written
    // straight into the database: the API refuses such a template, R22), cannot link from the client
    const withAdmin = await app.seed.accessTemplate(world.office, 'Med klientadmin', [
      Permission.CLIENT_ADMIN,
      Permission.CUSTOMER_READ,
    ]);
    await app.seed.clientLink(world.office, world.fjordFisk, world.kari, withAdmin);
    const atClient = await app.api.request(BULK_LINK, { input }, { token: kari, companyId: world.fjordFisk.id });
    expect(codes(atClient)).toEqual(['FORBIDDEN']);
    expect(await linkRows(app, userKey.id)).toEqual([]);

    // per has CLIENT_ADMIN in the office and links himself
    const per = await app.api.login('per@regnskap.example');
    const byPer = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], employeeId: world.per.id, accessTemplateId: world.kunLese.id } },
      { token: per },
    );
    expect(byPer.errors).toEqual([]);
    expect(await linkRows(app, world.per.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ client_id: client.id })]),
    );
  });

  test('R16: clientIds must list at least one client', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const res = await app.api.request(
      BULK_LINK,
      { input: { clientIds: [], userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });
});

describe('linkClient and unlinkClients', () => {
  test('R16: linkClient links one client, and a second call changes its template in place', async () => {
    const [client] = await newClients('Enkelt', 1);
    const { userKey, token } = await accountantKey(app, world, world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    const first = await app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(first.errors).toEqual([]);
    expect(first.data.linkClient).toMatchObject({
      client: { id: client.id },
      template: { id: world.kunLese.id, name: 'Kun lese' },
      userKey: { id: userKey.id },
      employee: null,
    });
    const before = await app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(before.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);

    const second = await app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: userKey.id, accessTemplateId: world.bokforing.id } },
      { token: kari },
    );
    expect(second.data.linkClient.id).toBe(first.data.linkClient.id);
    expect(second.data.linkClient.template.name).toBe('Bokføring');
    expect(await linkRows(app, userKey.id)).toEqual([
      { id: first.data.linkClient.id, client_id: client.id, template_id: world.bokforing.id },
    ]);
    const after = await app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(after.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
  });

  test('R16: linkClient with another office’s client is NOT_FOUND and links nothing', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    const res = await app.api.request(
      LINK_ONE,
      { input: { clientId: world.other.client.id, userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expect(await linkRows(app, userKey.id)).toEqual([]);
  });

  test('R16: linkClient follows the same rules as bulk linking (end-user keys refused)', async () => {
    const [client] = await newClients('Samme regler', 1);
    const endUser = await app.seed.userKey(world.kari, { permissions: [Permission.CUSTOMER_READ] });
    const res = await app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: endUser.userKey.id, accessTemplateId: world.kunLese.id } },
      { token: kari },
    );
    expect(codes(res)).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
  });

  test('R16: unlinkClients removes the listed links only, and the key stops working there at once', async () => {
    const clients = await newClients('Avlenk', 3);
    const { userKey, token } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    ok(
      await app.api.request(
        BULK_LINK,
        { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: world.kunLese.id } },
        { token: kari },
      ),
    );
    const res = await app.api.request(
      UNLINK,
      { input: { clientIds: [clients[0].id, clients[1].id, world.other.client.id], userKeyId: userKey.id } },
      { token: kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.unlinkClients.unlinkedCount).toBe(2);
    expect((await linkRows(app, userKey.id)).map((r) => r.client_id)).toEqual([clients[2].id]);
    expect(codes(await app.api.request(VIEWER, {}, { token, companyId: clients[0].id }))).toEqual(['FORBIDDEN']);
    expect((await app.api.request(VIEWER, {}, { token, companyId: clients[2].id })).errors).toEqual([]);

    const again = await app.api.request(
      UNLINK,
      { input: { clientIds: [clients[0].id], userKeyId: userKey.id } },
      { token: kari },
    );
    expect(again.data.unlinkClients.unlinkedCount).toBe(0);
  });

  test('R16: unlinkClients also takes an employee’s client access away', async () => {
    const [client] = await newClients('Ansatt avlenk', 1);
    const employee = await app.seed.employee(world.office, {
      name: 'Midlertidig',
      email: 'midlertidig@regnskap.example',
      password: 'demo-password',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    ok(
      await app.api.request(
        LINK_ONE,
        { input: { clientId: client.id, employeeId: employee.id, accessTemplateId: world.kunLese.id } },
        { token: kari },
      ),
    );
    const token = await app.api.login('midlertidig@regnskap.example');
    expect((await app.api.request(VIEWER, {}, { token, companyId: client.id })).errors).toEqual([]);
    const res = await app.api.request(
      UNLINK,
      { input: { clientIds: [client.id], employeeId: employee.id } },
      { token: kari },
    );
    expect(res.data.unlinkClients.unlinkedCount).toBe(1);
    expect(codes(await app.api.request(VIEWER, {}, { token, companyId: client.id }))).toEqual(['FORBIDDEN']);
  });

  test('R16: unlinkClients needs CLIENT_ADMIN in the office and a key of the office', async () => {
    const { userKey } = await accountantKey(app, world, world.kari, [Permission.CUSTOMER_READ]);
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    const ola = await app.api.login('ola@regnskap.example');
    const anne = await app.api.login('anne@annet.example');
    const input = { clientIds: [world.bakeri.id], userKeyId: userKey.id };
    expect(codes(await app.api.request(UNLINK, { input }, { token: ola }))).toEqual(['FORBIDDEN']);
    expect(codes(await app.api.request(UNLINK, { input }, { token: anne }))).toEqual(['NOT_FOUND']);
    expect(await linkRows(app, userKey.id)).toHaveLength(1);
  });
});
