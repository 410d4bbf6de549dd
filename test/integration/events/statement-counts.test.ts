import type { QueryRunner } from 'typeorm';
import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import type { GraphQLResponse } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { BULK_LINK, SET_API_ACCESS, UNLINK, UPDATE_TEMPLATE } from '../clients/helpers';
import { CREATE_KEY, SET_EMPLOYEE_PERMISSIONS, SET_KEY_PERMISSIONS, createKey } from '../keys/helpers';
import { FEED, expectOk, startEventsApp, type Json } from './helpers';

/**
 * R35: emitting adds at most one SQL statement to a change, and none to a read. The server counts
 * every statement of a request (`x-sql-statements`); the statements that write events are those
 * that insert into access_event, so each request's count splits into the change's own statements
 * and its event statements. Where a change can run with and without events (a switch set as it
 * is, a rename, a permission added), the two counts are compared directly.
 */

const { LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, USER_ADMIN, HOURS_REGISTER } = Permission;

let app: TestApp;
let world: World;
let kari: string;
let bakeriAdmin: string;
let run = 0;
/** The SQL text of every statement since the last request began (the tests make one at a time). */
let log: string[] = [];

beforeAll(async () => {
  app = await startEventsApp();
  world = await buildWorld(app.seed);
  [kari, bakeriAdmin] = await Promise.all(
    ['kari@regnskap.example', 'admin@bakeri.example'].map((e) => app.api.login(e)),
  );
  const logger = app.server.db.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query: string, parameters?: unknown[], runner?: QueryRunner) => {
    log.push(query);
    return logQuery(query, parameters, runner);
  };
});
afterAll(() => app.close());

interface Counted {
  /** Every statement of the request. */
  statements: number;
  /** The statements that wrote events. */
  events: number;
}

/** A request, with its statements counted by the server and its event statements picked out. */
async function counted(res: () => Promise<GraphQLResponse<unknown>>): Promise<Counted> {
  log = [];
  const response = await res();
  expectOk(response);
  expect(Number.isFinite(response.statements)).toBe(true);
  return {
    statements: response.statements,
    events: log.filter((q) => /^\s*INSERT INTO access_event\b/.test(q)).length,
  };
}

const request =
  (query: string, variables: Json, token = kari) =>
  () =>
    app.api.request(query, variables, { token });

/** An accountant key linked at both clients under a template of its own. */
async function linkedKey() {
  run++;
  const template = await app.seed.accessTemplate(world.office, `Counted ${run}`, [CUSTOMER_READ, CUSTOMER_WRITE]);
  const { userKey } = await app.seed.userKey(world.kari, {
    name: `Counted ${run}`,
    permissions: [CUSTOMER_READ, CUSTOMER_WRITE],
    kind: UserKeyKind.ACCOUNTANT,
  });
  for (const client of [world.bakeri, world.fjordFisk])
    await app.seed.clientLink(world.office, client, userKey, template);
  return { key: userKey, template };
}

test('R35: every change of access writes its events with exactly one statement — one for a batch or a cascade too', async () => {
  const parent = await createKey(app, kari, {
    employeeId: world.kari.id,
    name: `Counted parent ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
  });
  for (let i = 0; i < 3; i++)
    await createKey(app, parent.token, {
      employeeId: world.kari.id,
      name: `Counted child ${++run}`,
      permissions: [LOGIN],
    });
  const compromisedHolder = await createKey(app, kari, {
    employeeId: world.kari.id,
    name: `Counted holder ${++run}`,
    permissions: [LOGIN, USER_ADMIN],
  });
  await createKey(app, compromisedHolder.token, { employeeId: world.kari.id, name: `Counted made ${++run}` });
  const { key, template } = await linkedKey();
  const owner = await app.seed.employee(world.office, {
    name: `Counted owner ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ, INVOICE_READ],
  });
  for (let i = 0; i < 3; i++) await app.seed.userKey(owner, { name: `Owned ${i}`, permissions: [CUSTOMER_READ] });
  const manyClients = [];
  for (let i = 0; i < 20; i++) {
    const client = await app.seed.company({ name: `Counted client ${run}-${i}` });
    await app.seed.clientRelation(world.office, client);
    manyClients.push(client.id);
  }
  const both = [world.bakeri.id, world.fjordFisk.id];
  const RESTORE = 'mutation ($id: ID!, $c: Boolean) { restoreUserKey(id: $id, compromised: $c) { token } }';

  const changes: Record<string, () => Promise<GraphQLResponse<unknown>>> = {
    createUserKey: request(CREATE_KEY, {
      input: { employeeId: world.kari.id, name: `Counted ${++run}`, accessMode: 'CUSTOM', customApplicationName: 'X' },
    }),
    restoreUserKey: request(RESTORE, { id: key.id }),
    setUserKeyPermissions: request(SET_KEY_PERMISSIONS, { id: key.id, permissions: [CUSTOMER_READ] }),
    'restoreUserKey (compromised, revoking another key)': request(RESTORE, {
      id: compromisedHolder.userKey.id,
      c: true,
    }),
    'revokeUserKey (with 3 keys it created)': request('mutation ($id: ID!) { revokeUserKey(id: $id) { id } }', {
      id: parent.userKey.id,
    }),
    setAccountantApiAccess: request(
      SET_API_ACCESS,
      { input: { accountingOfficeId: world.office.id, enabled: false } },
      bakeriAdmin,
    ),
    'bulkLinkClients (2 clients moved to a narrower template)': request(BULK_LINK, {
      input: { userKeyId: key.id, clientIds: both, accessTemplateId: world.kunLese.id },
    }),
    'bulkLinkClients (20 new clients)': request(BULK_LINK, {
      input: { userKeyId: key.id, clientIds: manyClients, accessTemplateId: world.kunLese.id },
    }),
    'unlinkClients (22 clients)': request(UNLINK, {
      input: { userKeyId: key.id, clientIds: [...both, ...manyClients] },
    }),
    updateAccessTemplate: request(UPDATE_TEMPLATE, { id: template.id, input: { permissions: [CUSTOMER_READ] } }),
    'setEmployeePermissions (3 keys lose one)': request(SET_EMPLOYEE_PERMISSIONS, {
      employeeId: owner.id,
      permissions: [LOGIN, INVOICE_READ],
    }),
    'setEmployeePermissions (LOGIN removed)': request(SET_EMPLOYEE_PERMISSIONS, {
      employeeId: owner.id,
      permissions: [INVOICE_READ],
    }),
  };
  const table: Record<string, Counted & { withoutEvents: number }> = {};
  for (const [name, change] of Object.entries(changes)) {
    const c = await counted(change);
    table[name] = { ...c, withoutEvents: c.statements - c.events };
  }
  // the whole table on a failure: each change's statements, of which one writes its events
  expect(table).toEqual(
    Object.fromEntries(
      Object.entries(table).map(([name, c]) => [
        name,
        { statements: c.withoutEvents + 1, events: 1, withoutEvents: c.withoutEvents },
      ]),
    ),
  );
});

test('R35: the same change with and without events differs by exactly one statement', async () => {
  const { template } = await linkedKey();
  const owner = await app.seed.employee(world.office, {
    name: `Counted owner ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ],
  });
  await app.seed.userKey(owner, { name: 'Owned', permissions: [CUSTOMER_READ] });
  const access = (enabled: boolean) =>
    request(SET_API_ACCESS, { input: { accountingOfficeId: world.office.id, enabled } }, bakeriAdmin);
  await access(true)(); // from a known state, whatever ran before
  const pairs: [string, () => Promise<GraphQLResponse<unknown>>, () => Promise<GraphQLResponse<unknown>>][] = [
    // the switch set as it is / switched
    ['setAccountantApiAccess', access(true), access(false)],
    // a rename / a permission removed, taking it from the keys linked under the template
    [
      'updateAccessTemplate',
      request(UPDATE_TEMPLATE, {
        id: template.id,
        input: { name: `Renamed ${run}`, permissions: [CUSTOMER_READ, CUSTOMER_WRITE] },
      }),
      request(UPDATE_TEMPLATE, {
        id: template.id,
        input: { name: `Renamed again ${run}`, permissions: [CUSTOMER_READ] },
      }),
    ],
    // a permission added / one removed that the owner's key held
    [
      'setEmployeePermissions',
      request(SET_EMPLOYEE_PERMISSIONS, { employeeId: owner.id, permissions: [LOGIN, CUSTOMER_READ, HOURS_REGISTER] }),
      request(SET_EMPLOYEE_PERMISSIONS, { employeeId: owner.id, permissions: [LOGIN, HOURS_REGISTER] }),
    ],
  ];
  for (const [name, without, withEvents] of pairs) {
    const a = await counted(without);
    const b = await counted(withEvents);
    expect([name, a.events, b.events, b.statements - a.statements]).toEqual([name, 0, 1, 1]);
  }
});

test('R35: reads issue no event statement: the key overview, the client list, the feed, a partner read at a client', async () => {
  const { userKey, token } = await app.seed.userKey(world.kari, {
    name: `Counted reader ${++run}`,
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
  });
  await app.seed.clientLink(world.office, world.fjordFisk, userKey, world.bokforing);
  const reads: Record<string, () => Promise<GraphQLResponse<unknown>>> = {
    userKeys: request('{ userKeys(first: 50) { edges { node { id name status permissions } } } }', {}),
    clients: request('{ clients(first: 50) { edges { node { company { id } apiAccess } } } }', {}),
    accessEvents: request(FEED, { first: 50 }),
    'customers at a client': () =>
      app.api.request(
        '{ customers(first: 5) { edges { node { id } } } }',
        {},
        { token, companyId: world.fjordFisk.id },
      ),
  };
  for (const [name, read] of Object.entries(reads)) {
    const c = await counted(read);
    expect([name, c.events]).toEqual([name, 0]);
    expect(log.some((q) => /access_event/.test(q) && !/^\s*SELECT/i.test(q))).toBe(false);
  }
});
