import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { codes, type GraphQLResponse } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS, PASSWORD } from '../../testkit/world';
import { accountantKey } from '../clients/helpers';
import { CUSTOMERS, KEY_REACH, MY_REACH, reachByClient, setBlock } from './helpers';
import { useWorld } from '../../testkit/run';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari', 'bakeriAdmin'] });

interface MyReach {
  viewer: {
    userKey: {
      reach: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        edges: { node: { client: { id: string } } }[];
      };
    };
  };
}

const KEY_PERMISSIONS = [Permission.CUSTOMER_READ, Permission.INVOICE_READ, Permission.CLIENT_ADMIN];

/** A client of the office with its own admin, linked to `key` under `template`. */
async function client(name: string, apiAccess = true) {
  const company = await kit.app.seed.company({ name });
  await kit.app.seed.clientRelation(kit.world.office, company, { apiAccess });
  return company;
}

describe('R32: where an accountant key can act', () => {
  let token: string;
  let keyId: string;
  const clients: Record<string, string> = {};

  beforeAll(async () => {
    const created = await accountantKey(kit.app, kit.world, kit.world.kari, KEY_PERMISSIONS, 'Reach key');
    token = created.token;
    keyId = created.userKey.id;
    const payrollOnly = await kit.app.seed.accessTemplate(kit.world.office, 'Bare lønn', [Permission.PAYROLL_READ]);
    const off = await client('Av Klient AS', false);
    const nothing = await client('Ingenting AS');
    for (const [c, t] of [
      [kit.world.bakeri, kit.world.bokforing],
      [kit.world.fjordFisk, kit.world.kunLese],
      [off, kit.world.bokforing],
      [nothing, payrollOnly],
    ] as const) {
      await kit.app.seed.clientLink(kit.world.office, c, created.userKey, t);
    }
    Object.assign(clients, {
      bakeri: kit.world.bakeri.id,
      fjord: kit.world.fjordFisk.id,
      off: off.id,
      nothing: nothing.id,
    });
    // Bakeri blocks nothing; Fjord Fisk blocks this key
    const fjordAdmin = await kit.app.api.login('admin@fjordfisk.example');
    await setBlock(kit.app, fjordAdmin, { officeId: kit.world.office.id, userKeyId: keyId, blocked: true });
  });

  test('R32: the key reads its own reach without X-Company-Id, with effective permissions and a reason per client', async () => {
    const res = await kit.app.api.request(MY_REACH, { first: 10 }, { token });
    expect(res.errors).toEqual([]);
    expect(res.data.viewer.userKey.reach.totalCount).toBe(4);
    const reach = reachByClient(res);
    expect(reach.get(clients.bakeri)).toMatchObject({
      canAct: true,
      blockedReason: null,
      template: { name: 'Bokføring' },
      // key ∩ owner ∩ template: CLIENT_ADMIN never acts at a client (R22)
      effectivePermissions: [Permission.CUSTOMER_READ, Permission.INVOICE_READ],
    });
    expect(reach.get(clients.fjord)).toMatchObject({
      canAct: false,
      blockedReason: 'BLOCKED_BY_CLIENT',
      effectivePermissions: [],
    });
    expect(reach.get(clients.off)).toMatchObject({ canAct: false, blockedReason: 'API_ACCESS_OFF' });
    expect(reach.get(clients.nothing)).toMatchObject({
      canAct: false,
      blockedReason: 'NO_EFFECTIVE_PERMISSIONS',
      effectivePermissions: [],
    });
  });

  test('R32: each reason matches what a request at that client meets', async () => {
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token, companyId: clients.bakeri }));
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token, companyId: clients.fjord }), 'BLOCKED_BY_CLIENT');
    expectCode(
      await kit.app.api.request(CUSTOMERS, {}, { token, companyId: clients.off }),
      'CLIENT_API_ACCESS_DISABLED',
    );
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token, companyId: clients.nothing }), 'FORBIDDEN');
  });

  test('R32: canAct filters the clients, and the list is keyset-paginated', async () => {
    const can = reachByClient(await kit.app.api.request(MY_REACH, { canAct: true }, { token }));
    expect([...can.keys()]).toEqual([clients.bakeri]);
    const cannot = await kit.app.api.request(MY_REACH, { canAct: false }, { token });
    expect([...reachByClient(cannot).keys()].sort()).toEqual([clients.fjord, clients.off, clients.nothing].sort());
    expect(cannot.data.viewer.userKey.reach.totalCount).toBe(3);

    const seen: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 5; pages++) {
      const res: GraphQLResponse<MyReach> = await kit.app.api.request(MY_REACH, { first: 3, after }, { token });
      expect(res.errors).toEqual([]);
      const reach = (res.data as MyReach).viewer.userKey.reach;
      seen.push(...reach.edges.map((e) => e.node.client.id));
      if (!reach.pageInfo.hasNextPage) break;
      after = reach.pageInfo.endCursor;
    }
    expect(seen).toEqual(Object.values(clients).sort());
  });

  test('R32: without X-Company-Id the key still reads nothing else — not the office’s books, not the viewer’s company', async () => {
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token }), 'FORBIDDEN');
    expectCode(await kit.app.api.request('{ viewer { company { id } } }', {}, { token }), 'FORBIDDEN');
    expect(
      codes(await kit.app.api.request('query { viewer { userKey { id } } employees { totalCount } }', {}, { token })),
    ).toEqual(['FORBIDDEN']);
    expect(
      codes(
        await kit.app.api.request(
          'mutation { createAccessTemplate(input: { name: "Via nøkkel", permissions: [] }) { id } }',
          {},
          { token },
        ),
      ),
    ).toEqual(['FORBIDDEN']);
    const sneaky = await kit.app.api.request(
      'query { ...F } fragment F on Query { viewer { userKey { id } } customers { totalCount } }',
      {},
      { token },
    );
    expectCode(sneaky, 'FORBIDDEN');
  });

  test('R32: @skip and @include are honoured: a viewer document that skips all but the key’s reach works without X-Company-Id', async () => {
    const doc = `query ($reach: Boolean = false) { viewer {
      company @skip(if: $reach) { id }
      userKey { id reach @include(if: $reach) { totalCount } }
      effectivePermissions @skip(if: $reach) } }`;
    const res = await kit.app.api.request(doc, { reach: true }, { token });
    expect(res.errors).toEqual([]);
    expect(res.data.viewer.userKey.reach.totalCount).toBe(4);
    expectCode(await kit.app.api.request(doc, { reach: false }, { token }), 'FORBIDDEN');
  });

  test('R32: the owner sees the key’s reach; another company and a colleague without USER_ADMIN do not', async () => {
    const owner = await kit.app.api.request(KEY_REACH, { id: keyId }, { token: kit.token.kari });
    expect(owner.errors).toEqual([]);
    expect(owner.data.userKey.reach.edges).toHaveLength(4);
    const ola = await kit.app.api.login('ola@regnskap.example');
    expectNotFound(await kit.app.api.request(KEY_REACH, { id: keyId }, { token: ola }));
    const other = await kit.app.api.login('anne@annet.example');
    expectNotFound(await kit.app.api.request(KEY_REACH, { id: keyId }, { token: other }));
    expectNotFound(await kit.app.api.request(KEY_REACH, { id: keyId }, { token: kit.token.bakeriAdmin }));
  });
});

describe('R32: the key-level reasons', () => {
  test('R32: a revoked key shows KEY_NOT_ACTIVE at every client', async () => {
    const { userKey } = await accountantKey(kit.app, kit.world, kit.world.kari, KEY_PERMISSIONS, 'Revoked reach key');
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.bokforing);
    const REVOKE = 'mutation ($id: ID!) { revokeUserKey(id: $id) { status } }';
    expectOk(await kit.app.api.request(REVOKE, { id: userKey.id }, { token: kit.token.kari }));
    const node = reachByClient(await kit.app.api.request(KEY_REACH, { id: userKey.id }, { token: kit.token.kari })).get(
      kit.world.bakeri.id,
    );
    expect(node).toMatchObject({ canAct: false, blockedReason: 'KEY_NOT_ACTIVE', effectivePermissions: [] });
  });

  test('R32: a key whose owner is deactivated shows OWNER_DEACTIVATED', async () => {
    const owner = await kit.app.seed.employee(kit.world.office, {
      name: 'Uten Login',
      permissions: [Permission.CUSTOMER_READ],
    });
    const { userKey } = await kit.app.seed.userKey(owner, {
      kind: UserKeyKind.ACCOUNTANT,
      application: kit.world.apps.fiken,
      permissions: [Permission.CUSTOMER_READ],
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.bokforing);
    const node = reachByClient(await kit.app.api.request(KEY_REACH, { id: userKey.id }, { token: kit.token.kari })).get(
      kit.world.bakeri.id,
    );
    expect(node).toMatchObject({ canAct: false, blockedReason: 'OWNER_DEACTIVATED' });
  });

  test('R32: a key of an office whose Integrations add-on is not active shows INTEGRATIONS_NOT_ACTIVE', async () => {
    const office = await kit.app.seed.company({ name: 'Uaktivert Regnskap AS', kind: CompanyKind.ACCOUNTING_OFFICE });
    const admin = await kit.app.seed.employee(office, {
      name: 'Ulla Uaktivert',
      email: 'ulla@uaktivert.example',
      password: PASSWORD,
      permissions: ALL_PERMISSIONS,
    });
    const customer = await kit.app.seed.company({ name: 'Uaktivert Klient AS' });
    await kit.app.seed.clientRelation(office, customer);
    const template = await kit.app.seed.accessTemplate(office, 'Les', [Permission.CUSTOMER_READ]);
    const { userKey, token } = await kit.app.seed.userKey(admin, {
      kind: UserKeyKind.ACCOUNTANT,
      permissions: [Permission.CUSTOMER_READ],
    });
    await kit.app.seed.clientLink(office, customer, userKey, template);
    const session = await kit.app.api.login('ulla@uaktivert.example');
    const node = reachByClient(await kit.app.api.request(KEY_REACH, { id: userKey.id }, { token: session })).get(
      customer.id,
    );
    expect(node).toMatchObject({ canAct: false, blockedReason: 'INTEGRATIONS_NOT_ACTIVE' });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token, companyId: customer.id }), 'INTEGRATIONS_NOT_ACTIVE');
  });

  test('R32: an end-user key reaches no client', async () => {
    const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, { permissions: [Permission.CUSTOMER_READ] });
    const res = await kit.app.api.request(MY_REACH, {}, { token });
    expect(res.errors).toEqual([]);
    expect(res.data.viewer.userKey).toMatchObject({ id: userKey.id, reach: { totalCount: 0, edges: [] } });
  });
});
