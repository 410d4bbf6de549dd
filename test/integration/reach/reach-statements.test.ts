import { DEFAULT_QUERY_LIMITS } from '../../../server/src/http/cost/query-limits';
import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { accountantKey } from '../clients/helpers';
import { KEY_REACH, MY_REACH, OFFICES, setBlock } from './helpers';
import { useWorld } from '../../testkit/run';
import { expectCode } from '../../testkit/expect';

/** SQL statements per request (x-sql-statements) of the reach and the client's panel: constant in page size. */

let fikenToken = '';

const READ = [Permission.CUSTOMER_READ, Permission.INVOICE_READ];
const PARTNER_READ = '{ customers(first: 20) { edges { node { id name orgNumber email } } } }';

let wideToken: string;
let wideKeyId: string;
let partnerToken: string;
const kit = useWorld({
  // pages of 100 under every office are costed at the offices' maximum: this file counts statements, not cost
  config: { queryLimits: { ...DEFAULT_QUERY_LIMITS, maxCost: 50_000 } },
  sessions: ['kari', 'bakeriAdmin'],
});
beforeAll(async () => {
  // one key linked to 110 clients, some with the switch off
  const wide = await accountantKey(kit.app, kit.world, kit.world.kari, READ, 'Vid nøkkel');
  wideToken = wide.token;
  wideKeyId = wide.userKey.id;
  for (let i = 0; i < 110; i++) {
    const client = await kit.app.seed.company({ name: `Rekkevidde ${String(i).padStart(3, '0')}` });
    await kit.app.seed.clientRelation(kit.world.office, client, { apiAccess: i % 7 !== 0 });
    await kit.app.seed.clientLink(
      kit.world.office,
      client,
      wide.userKey,
      i % 2 ? kit.world.bokforing : kit.world.kunLese,
    );
  }
  // 110 keys of the office linked to Bakeri, for Bakeri's panel
  for (let i = 0; i < 110; i++) {
    const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, {
      kind: UserKeyKind.ACCOUNTANT,
      application: i % 2 ? kit.world.apps.fiken : kit.world.apps.powerOffice,
      permissions: READ,
      name: `Panelnøkkel ${i}`,
    });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, userKey, kit.world.kunLese);
    if (i % 2) fikenToken = token;
  }
  for (let i = 0; i < 25; i++) await kit.app.seed.customer(kit.world.bakeri, `Kunde ${i}`);
  const partner = await kit.app.seed.userKey(kit.world.kari, {
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.bankFeed,
    permissions: READ,
    name: 'Partner',
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, partner.userKey, kit.world.kunLese);
  partnerToken = partner.token;
  // logged in after the seeding: no HTTP connection sits idle while the seeding holds the event loop
  // blocks held by Bakeri: an application and a person — none of them the partner's
  await setBlock(kit.app, kit.token.bakeriAdmin, {
    officeId: kit.world.office.id,
    applicationId: kit.world.apps.fiken.id,
    blocked: true,
  });
  await setBlock(kit.app, kit.token.bakeriAdmin, {
    officeId: kit.world.office.id,
    employeeId: kit.world.per.id,
    blocked: true,
  });
});

test('R32: the key’s own reach issues the same number of statements for first = 10 and first = 100', async () => {
  const ten = await kit.app.api.request(MY_REACH, { first: 10 }, { token: wideToken });
  const hundred = await kit.app.api.request(MY_REACH, { first: 100 }, { token: wideToken });
  expect(ten.errors).toEqual([]);
  expect(hundred.data.viewer.userKey.reach.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  // credential, the key (viewer.userKey is read from its row), the page, its totalCount
  expect(hundred.statements).toBeLessThanOrEqual(4);
  const filtered = await kit.app.api.request(MY_REACH, { first: 100, canAct: false }, { token: wideToken });
  expect(filtered.statements).toBe(ten.statements);
});

test('R32: a key’s reach read by its owner is constant in page size too', async () => {
  const ten = await kit.app.api.request(KEY_REACH, { id: wideKeyId, first: 10 }, { token: kit.token.kari });
  const hundred = await kit.app.api.request(
    KEY_REACH,
    { id: wideKeyId, first: 100, canAct: true },
    { token: kit.token.kari },
  );
  expect(ten.errors).toEqual([]);
  expect(hundred.errors).toEqual([]);
  expect(hundred.statements).toBe(ten.statements);
  expect(hundred.statements).toBeLessThanOrEqual(6);
});

test('R33: the client’s panel issues the same number of statements for first = 10 and first = 100', async () => {
  const ten = await kit.app.api.request(OFFICES, { first: 10 }, { token: kit.token.bakeriAdmin });
  const hundred = await kit.app.api.request(OFFICES, { first: 100 }, { token: kit.token.bakeriAdmin });
  expect(ten.errors).toEqual([]);
  expect(hundred.data.company.accountingOffices[0].access.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  // session, the company (read from its row), offices, the links with keys, people, templates and
  // blocks, the totalCount
  expect(hundred.statements).toBeLessThanOrEqual(5);
});

test('R33: with blocks at the client, a partner read there still issues 2 statements', async () => {
  const res = await kit.app.api.request(PARTNER_READ, {}, { token: partnerToken, companyId: kit.world.bakeri.id });
  expect(res.errors).toEqual([]);
  expect(res.data.customers.edges).toHaveLength(20);
  expect(res.statements).toBeLessThanOrEqual(2);
  // and a key whose application is blocked is refused by that same lookup
  const blocked = await kit.app.api.request(PARTNER_READ, {}, { token: fikenToken, companyId: kit.world.bakeri.id });
  expectCode(blocked, 'BLOCKED_BY_CLIENT');
  expect(blocked.statements).toBeLessThanOrEqual(1);
});
