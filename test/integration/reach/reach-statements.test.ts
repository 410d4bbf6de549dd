import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { KEY_REACH, MY_REACH, OFFICES, setBlock } from './helpers';

/** SQL statements per request (x-sql-statements) of the reach and the client's panel: constant in page size. */

let app: TestApp;
let world: World;
let kari: string;
let bakeriAdmin: string;
let wideToken: string;
let wideKeyId: string;
let partnerToken: string;
let fikenToken = '';

const READ = [Permission.CUSTOMER_READ, Permission.INVOICE_READ];
const PARTNER_READ = '{ customers(first: 20) { edges { node { id name orgNumber email } } } }';

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  // one key linked to 110 clients, some with the switch off
  const wide = await app.seed.userKey(world.kari, {
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.fiken,
    permissions: READ,
    name: 'Vid nøkkel',
  });
  wideToken = wide.token;
  wideKeyId = wide.userKey.id;
  for (let i = 0; i < 110; i++) {
    const client = await app.seed.company({ name: `Rekkevidde ${String(i).padStart(3, '0')}` });
    await app.seed.clientRelation(world.office, client, { apiAccess: i % 7 !== 0 });
    await app.seed.clientLink(world.office, client, wide.userKey, i % 2 ? world.bokforing : world.kunLese);
  }
  // 110 keys of the office linked to Bakeri, for Bakeri's panel
  for (let i = 0; i < 110; i++) {
    const { userKey, token } = await app.seed.userKey(world.kari, {
      kind: UserKeyKind.ACCOUNTANT,
      application: i % 2 ? world.apps.fiken : world.apps.powerOffice,
      permissions: READ,
      name: `Panelnøkkel ${i}`,
    });
    await app.seed.clientLink(world.office, world.bakeri, userKey, world.kunLese);
    if (i % 2) fikenToken = token;
  }
  for (let i = 0; i < 25; i++) await app.seed.customer(world.bakeri, `Kunde ${i}`);
  const partner = await app.seed.userKey(world.kari, {
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.bankFeed,
    permissions: READ,
    name: 'Partner',
  });
  await app.seed.clientLink(world.office, world.bakeri, partner.userKey, world.kunLese);
  partnerToken = partner.token;
  // logged in after the seeding: no HTTP connection sits idle while the seeding holds the event loop
  kari = await app.api.login('kari@regnskap.example');
  bakeriAdmin = await app.api.login('admin@bakeri.example');
  // blocks held by Bakeri: an application and a person — none of them the partner's
  await setBlock(app, bakeriAdmin, { officeId: world.office.id, applicationId: world.apps.fiken.id, blocked: true });
  await setBlock(app, bakeriAdmin, { officeId: world.office.id, employeeId: world.per.id, blocked: true });
});
afterAll(() => app.close());

test('R32: the key’s own reach issues the same number of statements for first = 10 and first = 100', async () => {
  const ten = await app.api.request(MY_REACH, { first: 10 }, { token: wideToken });
  const hundred = await app.api.request(MY_REACH, { first: 100 }, { token: wideToken });
  expect(ten.errors).toEqual([]);
  expect(hundred.data.viewer.userKey.reach.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  // credential, the page, its totalCount
  expect(hundred.statements).toBeLessThanOrEqual(3);
  const filtered = await app.api.request(MY_REACH, { first: 100, canAct: false }, { token: wideToken });
  expect(filtered.statements).toBe(ten.statements);
});

test('R32: a key’s reach read by its owner is constant in page size too', async () => {
  const ten = await app.api.request(KEY_REACH, { id: wideKeyId, first: 10 }, { token: kari });
  const hundred = await app.api.request(KEY_REACH, { id: wideKeyId, first: 100, canAct: true }, { token: kari });
  expect(ten.errors).toEqual([]);
  expect(hundred.errors).toEqual([]);
  expect(hundred.statements).toBe(ten.statements);
  expect(hundred.statements).toBeLessThanOrEqual(6);
});

test('R33: the client’s panel issues the same number of statements for first = 10 and first = 100', async () => {
  const ten = await app.api.request(OFFICES, { first: 10 }, { token: bakeriAdmin });
  const hundred = await app.api.request(OFFICES, { first: 100 }, { token: bakeriAdmin });
  expect(ten.errors).toEqual([]);
  expect(hundred.data.company.accountingOffices[0].access.edges).toHaveLength(100);
  expect(hundred.statements).toBe(ten.statements);
  // session, offices, the links with keys, people, templates and blocks, the totalCount
  expect(hundred.statements).toBeLessThanOrEqual(4);
});

test('R33: with blocks at the client, a partner read there still issues 2 statements', async () => {
  const res = await app.api.request(PARTNER_READ, {}, { token: partnerToken, companyId: world.bakeri.id });
  expect(res.errors).toEqual([]);
  expect(res.data.customers.edges).toHaveLength(20);
  expect(res.statements).toBeLessThanOrEqual(2);
  // and a key whose application is blocked is refused by that same lookup
  const blocked = await app.api.request(PARTNER_READ, {}, { token: fikenToken, companyId: world.bakeri.id });
  expect(codes(blocked)).toEqual(['BLOCKED_BY_CLIENT']);
  expect(blocked.statements).toBeLessThanOrEqual(1);
});
