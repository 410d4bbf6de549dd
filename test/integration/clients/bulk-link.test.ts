import { Permission } from '../../../server/src/auth/permission';
import type { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { newId } from '../../../server/src/shared/ids';
import { codes } from '../../testkit/graphql-client';
import { BULK_LINK, LINK_ONE, UNLINK, VIEWER, accountantKey, ids, linkRows } from './helpers';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari'] });

/** Fresh clients of the demo office, so tests do not share links. */
async function newClients(prefix: string, n: number): Promise<Company[]> {
  const out: Company[] = [];
  for (let i = 0; i < n; i++) {
    const company = await kit.app.seed.company({ name: `${prefix} ${i} AS` });
    await kit.app.seed.clientRelation(kit.world.office, company);
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
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.bulkLinkClients.linkedCount).toBe(4);
    const links = res.data.bulkLinkClients.links;
    expect(links.map((l: { client: { id: string } }) => l.client.id).sort()).toEqual(ids(...clients).sort());
    for (const link of links) {
      expect(link.template).toEqual({ id: kit.world.kunLese.id, name: 'Kun lese' });
      expect(link.userKey).toEqual({ id: userKey.id });
      expect(link.employee).toBeNull();
    }
    expect((await linkRows(kit.app, userKey.id)).map((r) => r.client_id)).toEqual(ids(...clients).sort());
    // and the key now works at each of them
    for (const client of clients) {
      const viewer = await kit.app.api.request(VIEWER, {}, { token, companyId: client.id });
      expect(viewer.data.viewer.company.id).toBe(client.id);
    }
  });

  test('R16: bulk linking is atomic: one client of another office links nothing, and the failure names it', async () => {
    const clients = await newClients('Atomisk', 3);
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const clientIds = [...ids(clients[0], clients[1]), kit.world.other.client.id, clients[2].id];
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds, userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(res.data).toBeNull();
    expect(codes(res)).toHaveLength(1);
    const failures = res.errors[0].extensions?.failures as Failure[];
    expect(failures).toEqual([{ clientId: kit.world.other.client.id, code: 'NOT_FOUND', message: expect.any(String) }]);
    expect(failures[0].message.length).toBeGreaterThan(0);
    expect(await linkRows(kit.app, userKey.id)).toEqual([]);
  });

  test('R16: unknown and malformed client ids each get their own failure entry, and nothing is linked', async () => {
    const [good] = await newClients('Ukjent', 1);
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const unknown = newId('company');
    const malformed = 'not-a-company-id';
    const anEmployeeId = kit.world.bakeriAdmin.id;
    const res = await kit.app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [good.id, unknown, kit.world.bakeri.id, malformed, anEmployeeId],
          userKeyId: userKey.id,
          accessTemplateId: kit.world.bokforing.id,
        },
      },
      { token: kit.token.kari },
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
    expect(await linkRows(kit.app, userKey.id)).toEqual([
      { id: expect.any(String), client_id: kit.world.bakeri.id, template_id: kit.world.kunLese.id },
    ]);
  });

  test('R16: an unknown client and another office’s client fail with the same answer (no existence leak)', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const unknown = newId('company');
    const res = await kit.app.api.request(
      BULK_LINK,
      {
        input: {
          clientIds: [kit.world.other.client.id, unknown],
          userKeyId: userKey.id,
          accessTemplateId: kit.world.bokforing.id,
        },
      },
      { token: kit.token.kari },
    );
    const failures = res.errors[0].extensions?.failures as Failure[];
    const [foreign, invented] = [kit.world.other.client.id, unknown].map((id) =>
      failures.find((f) => f.clientId === id),
    );
    expect(foreign).toBeDefined();
    expect({ ...foreign, clientId: 'X' }).toEqual({ ...invented, clientId: 'X' });
    // the office itself is not its own client either
    const self = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [kit.world.office.id], userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    // bulkLinkClients always answers with the bulk error, even for one client; the client's own code is in failures
    expectCode(self, 'BAD_USER_INPUT');
    expect((self.errors[0].extensions?.failures as Failure[]).map((f) => [f.clientId, f.code])).toEqual([
      [kit.world.office.id, 'NOT_FOUND'],
    ]);
    expect(await linkRows(kit.app, userKey.id)).toEqual([]);
  });

  test('R16: re-linking an already linked client updates its template, with no duplicate rows', async () => {
    const clients = await newClients('Relink', 2);
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [clients[0].id], userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      ),
    );
    const [first] = await linkRows(kit.app, userKey.id);
    const again = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(again.errors).toEqual([]);
    expect(again.data.bulkLinkClients.linkedCount).toBe(2);
    const rows = await linkRows(kit.app, userKey.id);
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.template_id === kit.world.bokforing.id)).toBe(true);
    // the same row was updated in place
    expect(rows.find((r) => r.client_id === clients[0].id)?.id).toBe(first.id);
    const viewer = await kit.app.api.request(VIEWER, {}, { token, companyId: clients[0].id });
    expect(viewer.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
    expect(viewer.data.viewer.accessTemplate.name).toBe('Bokføring');
  });

  test('R16: a client listed twice is linked once', async () => {
    const [client] = await newClients('Dobbel', 1);
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id, client.id], userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expect(res.data.bulkLinkClients.linkedCount).toBe(1);
    expect(await linkRows(kit.app, userKey.id)).toHaveLength(1);
  });

  test('R16: office employees can be linked and then act at the client with their own permissions ∩ template', async () => {
    const [client] = await newClients('Ansattlenke', 1);
    await kit.app.seed.customer(client, 'Kunde hos ansattlenke');
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], employeeId: kit.world.per.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.bulkLinkClients.links[0]).toMatchObject({ employee: { id: kit.world.per.id }, userKey: null });
    const per = await kit.app.api.login('per@regnskap.example');
    const at = await kit.app.api.request(
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
    const endUser = await kit.app.seed.userKey(kit.world.kari, {
      kind: UserKeyKind.EMPLOYEE,
      permissions: [Permission.CUSTOMER_READ],
    });
    const foreignKey = await kit.app.seed.userKey(kit.world.other.admin, {
      kind: UserKeyKind.ACCOUNTANT,
      permissions: [Permission.CUSTOMER_READ],
    });
    const link = (grantee: Record<string, string>) =>
      kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: [client.id], accessTemplateId: kit.world.kunLese.id, ...grantee } },
        { token: kit.token.kari },
      );
    expectCode(await link({ userKeyId: endUser.userKey.id }), 'ACCOUNTANT_KEY_NOT_SUPPORTED');
    expectNotFound(await link({ userKeyId: foreignKey.userKey.id }));
    expectNotFound(await link({ employeeId: kit.world.bakeriAdmin.id }));
    expectNotFound(await link({ employeeId: kit.world.other.admin.id }));
    expectCode(await link({}), 'BAD_USER_INPUT');
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    expectCode(await link({ userKeyId: userKey.id, employeeId: kit.world.per.id }), 'BAD_USER_INPUT');
    const rows: unknown[] = await kit.app.server.db.manager.query('SELECT id FROM client_link WHERE client_id = ?', [
      client.id,
    ]);
    expect(rows).toEqual([]);
  });

  test('R16: a revoked key cannot be linked', async () => {
    const [client] = await newClients('Tilbakekalt', 1);
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    expectOk(
      await kit.app.api.request(
        'mutation ($id: ID!) { revokeUserKey(id: $id) { status } }',
        { id: userKey.id },
        { token: kit.token.kari },
      ),
    );
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expectCode(res, 'CONFLICT');
    expect(await linkRows(kit.app, userKey.id)).toEqual([]);
  });

  test('R16: linking requires CLIENT_ADMIN, acting in the accounting office itself', async () => {
    const [client] = await newClients('Rettighet', 1);
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.ola, [Permission.LOGIN]);
    const input = { clientIds: [client.id], userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id };
    const ola = await kit.app.api.login('ola@regnskap.example');
    expectCode(await kit.app.api.request(BULK_LINK, { input }, { token: ola }), 'FORBIDDEN');

    // the client's own admin has CLIENT_ADMIN, but in the client, not in the office
    const bakeriAdmin = await kit.app.api.login('admin@bakeri.example');
    expectCode(await kit.app.api.request(BULK_LINK, { input }, { token: bakeriAdmin }), 'FORBIDDEN');

    // an office employee acting at a client, even under a template that holds CLIENT_ADMIN (written
    // straight into the database: the API refuses such a template, R22), cannot link from the client
    const withAdmin = await kit.app.seed.accessTemplate(kit.world.office, 'Med klientadmin', [
      Permission.CLIENT_ADMIN,
      Permission.CUSTOMER_READ,
    ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, kit.world.kari, withAdmin);
    const atClient = await kit.app.api.request(
      BULK_LINK,
      { input },
      { token: kit.token.kari, companyId: kit.world.fjordFisk.id },
    );
    expectCode(atClient, 'FORBIDDEN');
    expect(await linkRows(kit.app, userKey.id)).toEqual([]);

    // per has CLIENT_ADMIN in the office and links himself
    const per = await kit.app.api.login('per@regnskap.example');
    const byPer = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [client.id], employeeId: kit.world.per.id, accessTemplateId: kit.world.kunLese.id } },
      { token: per },
    );
    expect(byPer.errors).toEqual([]);
    expect(await linkRows(kit.app, kit.world.per.id)).toEqual(
      expect.arrayContaining([expect.objectContaining({ client_id: client.id })]),
    );
  });

  test('R16: clientIds must list at least one client', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const res = await kit.app.api.request(
      BULK_LINK,
      { input: { clientIds: [], userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expectCode(res, 'BAD_USER_INPUT');
  });
});

describe('linkClient and unlinkClients', () => {
  test('R16: linkClient links one client, and a second call changes its template in place', async () => {
    const [client] = await newClients('Enkelt', 1);
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
    ]);
    const first = await kit.app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expect(first.errors).toEqual([]);
    expect(first.data.linkClient).toMatchObject({
      client: { id: client.id },
      template: { id: kit.world.kunLese.id, name: 'Kun lese' },
      userKey: { id: userKey.id },
      employee: null,
    });
    const before = await kit.app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(before.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ']);

    const second = await kit.app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: userKey.id, accessTemplateId: kit.world.bokforing.id } },
      { token: kit.token.kari },
    );
    expect(second.data.linkClient.id).toBe(first.data.linkClient.id);
    expect(second.data.linkClient.template.name).toBe('Bokføring');
    expect(await linkRows(kit.app, userKey.id)).toEqual([
      { id: first.data.linkClient.id, client_id: client.id, template_id: kit.world.bokforing.id },
    ]);
    const after = await kit.app.api.request(VIEWER, {}, { token, companyId: client.id });
    expect(after.data.viewer.effectivePermissions).toEqual(['CUSTOMER_READ', 'CUSTOMER_WRITE']);
  });

  test('R16: linkClient with another office’s client is NOT_FOUND and links nothing', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const res = await kit.app.api.request(
      LINK_ONE,
      { input: { clientId: kit.world.other.client.id, userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expectNotFound(res);
    expect(await linkRows(kit.app, userKey.id)).toEqual([]);
  });

  test('R16: linkClient follows the same rules as bulk linking (end-user keys refused)', async () => {
    const [client] = await newClients('Samme regler', 1);
    const endUser = await kit.app.seed.userKey(kit.world.kari, { permissions: [Permission.CUSTOMER_READ] });
    const res = await kit.app.api.request(
      LINK_ONE,
      { input: { clientId: client.id, userKeyId: endUser.userKey.id, accessTemplateId: kit.world.kunLese.id } },
      { token: kit.token.kari },
    );
    expectCode(res, 'ACCOUNTANT_KEY_NOT_SUPPORTED');
  });

  test('R16: unlinkClients removes the listed links only, and the key stops working there at once', async () => {
    const clients = await newClients('Avlenk', 3);
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { clientIds: ids(...clients), userKeyId: userKey.id, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      ),
    );
    const res = await kit.app.api.request(
      UNLINK,
      { input: { clientIds: [clients[0].id, clients[1].id, kit.world.other.client.id], userKeyId: userKey.id } },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.unlinkClients.unlinkedCount).toBe(2);
    expect((await linkRows(kit.app, userKey.id)).map((r) => r.client_id)).toEqual([clients[2].id]);
    expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId: clients[0].id }), 'FORBIDDEN');
    expect((await kit.app.api.request(VIEWER, {}, { token, companyId: clients[2].id })).errors).toEqual([]);

    const again = await kit.app.api.request(
      UNLINK,
      { input: { clientIds: [clients[0].id], userKeyId: userKey.id } },
      { token: kit.token.kari },
    );
    expect(again.data.unlinkClients.unlinkedCount).toBe(0);
  });

  test('R16: a client id longer than any id is compared whole: padded after a linked client’s id it unlinks nothing', async () => {
    const [client] = await newClients('Langt', 1);
    const { userKey, token } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    const input = { clientIds: [client.id], userKeyId: userKey.id };
    expectOk(
      await kit.app.api.request(
        BULK_LINK,
        { input: { ...input, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      ),
    );
    // cut at any width up to the id's length plus the spaces, these would read as the id itself
    const padded = [`${client.id}  x`, `${client.id}${' '.repeat(40)}x`, `${client.id}${'0'.repeat(300)}`];
    const res = await kit.app.api.request(
      UNLINK,
      { input: { ...input, clientIds: padded } },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.unlinkClients.unlinkedCount).toBe(0);
    expect((await linkRows(kit.app, userKey.id)).map((r) => r.client_id)).toEqual([client.id]);
    expect((await kit.app.api.request(VIEWER, {}, { token, companyId: client.id })).errors).toEqual([]);
  });

  test('R16: unlinkClients also takes an employee’s client access away', async () => {
    const [client] = await newClients('Ansatt avlenk', 1);
    const employee = await kit.app.seed.employee(kit.world.office, {
      name: 'Midlertidig',
      email: 'midlertidig@regnskap.example',
      password: 'demo-password',
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    expectOk(
      await kit.app.api.request(
        LINK_ONE,
        { input: { clientId: client.id, employeeId: employee.id, accessTemplateId: kit.world.kunLese.id } },
        { token: kit.token.kari },
      ),
    );
    const token = await kit.app.api.login('midlertidig@regnskap.example');
    expect((await kit.app.api.request(VIEWER, {}, { token, companyId: client.id })).errors).toEqual([]);
    const res = await kit.app.api.request(
      UNLINK,
      { input: { clientIds: [client.id], employeeId: employee.id } },
      { token: kit.token.kari },
    );
    expect(res.data.unlinkClients.unlinkedCount).toBe(1);
    expectCode(await kit.app.api.request(VIEWER, {}, { token, companyId: client.id }), 'FORBIDDEN');
  });

  test('R16: unlinkClients needs CLIENT_ADMIN in the office and a key of the office', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, [Permission.CUSTOMER_READ]);
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    const ola = await kit.app.api.login('ola@regnskap.example');
    const anne = await kit.app.api.login('anne@annet.example');
    const input = { clientIds: [kit.world.bakeri.id], userKeyId: userKey.id };
    expectCode(await kit.app.api.request(UNLINK, { input }, { token: ola }), 'FORBIDDEN');
    expectNotFound(await kit.app.api.request(UNLINK, { input }, { token: anne }));
    expect(await linkRows(kit.app, userKey.id)).toHaveLength(1);
  });
});
