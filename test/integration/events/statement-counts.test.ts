import type { QueryRunner } from 'typeorm';
import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import type { GraphQLResponse } from '../../testkit/graphql-client';
import { BULK_LINK, SET_API_ACCESS, UNLINK, UPDATE_TEMPLATE } from '../clients/helpers';
import { createKey } from '../keys/helpers';
import { CREATE_KEY, SET_EMPLOYEE_PERMISSIONS, SET_KEY_PERMISSIONS } from '../keys/documents';
import { startEventsApp, type Json } from './helpers';
import { FEED } from './documents';
import { expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/**
 * R35: emitting adds at most one SQL statement to a change, and none to a read. The server counts
 * every statement of a request (`x-sql-statements`); the statements that write events are those
 * that insert into access_event, so each request's count splits into the change's own statements
 * and its event statements. Where a change can run with and without events (a switch set as it
 * is, a rename, a permission added), the two counts are compared directly.
 */

const { LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, USER_ADMIN, HOURS_REGISTER } = Permission;

let run = 0;
/** The SQL text of every statement since the last request began (the tests make one at a time). */
let log: string[] = [];

const kit = useWorld({ start: () => startEventsApp(), sessions: ['kari', 'bakeriAdmin'] });
beforeAll(async () => {
  const logger = kit.app.server.db.dataSource.logger;
  const logQuery = logger.logQuery.bind(logger);
  logger.logQuery = (query: string, parameters?: unknown[], runner?: QueryRunner) => {
    log.push(query);
    return logQuery(query, parameters, runner);
  };
});

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
  (query: string, variables: Json, token = kit.token.kari) =>
  () =>
    kit.app.api.request(query, variables, { token });

/** An accountant key linked at both clients under a template of its own. */
async function linkedKey() {
  run++;
  const template = await kit.app.seed.accessTemplate(kit.world.office, `Counted ${run}`, [
    CUSTOMER_READ,
    CUSTOMER_WRITE,
  ]);
  const { userKey } = await kit.app.seed.userKey(kit.world.kari, {
    name: `Counted ${run}`,
    permissions: [CUSTOMER_READ, CUSTOMER_WRITE],
    kind: UserKeyKind.ACCOUNTANT,
  });
  for (const client of [kit.world.bakeri, kit.world.fjordFisk])
    await kit.app.seed.clientLink(kit.world.office, client, userKey, template);
  return { key: userKey, template };
}

test('R35: every change of access writes its events with exactly one statement — one for a batch or a cascade too', async () => {
  const parent = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name: `Counted parent ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
  });
  for (let i = 0; i < 3; i++)
    await createKey(kit.app, parent.token, {
      employeeId: kit.world.kari.id,
      name: `Counted child ${++run}`,
      permissions: [LOGIN],
    });
  const compromisedHolder = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    name: `Counted holder ${++run}`,
    permissions: [LOGIN, USER_ADMIN],
  });
  await createKey(kit.app, compromisedHolder.token, { employeeId: kit.world.kari.id, name: `Counted made ${++run}` });
  const { key, template } = await linkedKey();
  const owner = await kit.app.seed.employee(kit.world.office, {
    name: `Counted owner ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ, INVOICE_READ],
  });
  for (let i = 0; i < 3; i++) await kit.app.seed.userKey(owner, { name: `Owned ${i}`, permissions: [CUSTOMER_READ] });
  const manyClients = [];
  for (let i = 0; i < 20; i++) {
    const client = await kit.app.seed.company({ name: `Counted client ${run}-${i}` });
    await kit.app.seed.clientRelation(kit.world.office, client);
    manyClients.push(client.id);
  }
  const both = [kit.world.bakeri.id, kit.world.fjordFisk.id];
  const RESTORE = 'mutation ($id: ID!, $c: Boolean) { restoreUserKey(id: $id, compromised: $c) { token } }';

  const changes: Record<string, () => Promise<GraphQLResponse<unknown>>> = {
    createUserKey: request(CREATE_KEY, {
      input: {
        employeeId: kit.world.kari.id,
        name: `Counted ${++run}`,
        accessMode: 'CUSTOM',
        customApplicationName: 'X',
      },
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
      { input: { accountingOfficeId: kit.world.office.id, enabled: false } },
      kit.token.bakeriAdmin,
    ),
    'bulkLinkClients (2 clients moved to a narrower template)': request(BULK_LINK, {
      input: { userKeyId: key.id, clientIds: both, accessTemplateId: kit.world.kunLese.id },
    }),
    'bulkLinkClients (20 new clients)': request(BULK_LINK, {
      input: { userKeyId: key.id, clientIds: manyClients, accessTemplateId: kit.world.kunLese.id },
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
  const owner = await kit.app.seed.employee(kit.world.office, {
    name: `Counted owner ${++run}`,
    permissions: [LOGIN, CUSTOMER_READ],
  });
  await kit.app.seed.userKey(owner, { name: 'Owned', permissions: [CUSTOMER_READ] });
  const access = (enabled: boolean) =>
    request(SET_API_ACCESS, { input: { accountingOfficeId: kit.world.office.id, enabled } }, kit.token.bakeriAdmin);
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
  const { userKey, token } = await kit.app.seed.userKey(kit.world.kari, {
    name: `Counted reader ${++run}`,
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, userKey, kit.world.bokforing);
  const reads: Record<string, () => Promise<GraphQLResponse<unknown>>> = {
    userKeys: request('{ userKeys(first: 50) { edges { node { id name status permissions } } } }', {}),
    clients: request('{ clients(first: 50) { edges { node { company { id } apiAccess } } } }', {}),
    accessEvents: request(FEED, { first: 50 }),
    'customers at a client': () =>
      kit.app.api.request(
        '{ customers(first: 5) { edges { node { id } } } }',
        {},
        { token, companyId: kit.world.fjordFisk.id },
      ),
  };
  for (const [name, read] of Object.entries(reads)) {
    const c = await counted(read);
    expect([name, c.events]).toEqual([name, 0]);
    expect(log.some((q) => /access_event/.test(q) && !/^\s*SELECT/i.test(q))).toBe(false);
  }
});
