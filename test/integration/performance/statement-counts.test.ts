import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { useWorld } from '../../testkit/run';

/** SQL statements per request, counted by the server (x-sql-statements): bounded and constant in N. */

const OVERVIEW = `query ($n: Int!) { userKeys(first: $n) { edges { node { id name applicationName kind status tokenHint owner { id name } application { name } permissions
  clients(first: 20) { edges { node { client { id name } template { id name } } } } } } } }`;
const CLIENTS = `query ($n: Int!) { clients(first: $n) { edges { node { company { id name } apiAccess accountant { name }
  links(first: 10) { totalCount edges { node { userKey { id name } employee { id name } template { name } } } } } } } }`;
const PARTNER_READ = '{ customers(first: 20) { edges { node { id name orgNumber email } } } }';

let partnerKey: string;
let partnerClientId: string;
const kit = useWorld({ sessions: ['kari'] });
beforeAll(async () => {
  const clients = [];
  for (let i = 0; i < 110; i++) {
    const client = await kit.app.seed.company({ name: `Perf Client ${String(i).padStart(3, '0')}` });
    await kit.app.seed.clientRelation(kit.world.office, client, { accountant: kit.world.kari });
    clients.push(client);
  }
  for (let i = 0; i < 110; i++) {
    const { userKey } = await kit.app.seed.userKey(kit.world.kari, {
      permissions: Object.values(Permission),
      kind: i % 2 ? UserKeyKind.ACCOUNTANT : UserKeyKind.EMPLOYEE,
      application: i % 3 ? kit.world.apps.fiken : null,
    });
    if (userKey.kind === UserKeyKind.ACCOUNTANT) {
      for (const client of clients.slice(0, 3))
        await kit.app.seed.clientLink(kit.world.office, client, userKey, kit.world.bokforing);
    }
  }
  await kit.app.seed.clientLink(kit.world.office, clients[0], kit.world.per, kit.world.kunLese);
  partnerClientId = clients[0].id;
  for (let i = 0; i < 25; i++) await kit.app.seed.customer(clients[0], `Customer ${i}`);
  const partner = await kit.app.seed.userKey(kit.world.kari, {
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  await kit.app.seed.clientLink(kit.world.office, clients[0], partner.userKey, kit.world.bokforing);
  partnerKey = partner.token;
});

test('the key overview issues the same number of statements for N = 10 and N = 100: 3 (session, page with owner and application, links with client and template)', async () => {
  const ten = await kit.app.api.request(OVERVIEW, { n: 10 }, { token: kit.token.kari });
  const hundred = await kit.app.api.request(OVERVIEW, { n: 100 }, { token: kit.token.kari });
  expect(ten.errors).toEqual([]);
  expect(hundred.errors).toEqual([]);
  expect(hundred.data.userKeys.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  expect(hundred.statements).toBeLessThanOrEqual(3);
});

test('the client list with links issues the same number of statements for N = 10 and N = 100', async () => {
  const ten = await kit.app.api.request(CLIENTS, { n: 10 }, { token: kit.token.kari });
  const hundred = await kit.app.api.request(CLIENTS, { n: 100 }, { token: kit.token.kari });
  expect(ten.errors).toEqual([]);
  expect(hundred.data.clients.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  expect(hundred.statements).toBeLessThanOrEqual(8);
});

test('a partner read at a client issues 2 statements (credential with its link, the page)', async () => {
  const res = await kit.app.api.request(PARTNER_READ, {}, { token: partnerKey, companyId: partnerClientId });
  expect(res.errors).toEqual([]);
  expect(res.data.customers.edges).toHaveLength(20);
  expect(res.statements).toBeLessThanOrEqual(2);
});
