import { Permission } from '../../../server/src/auth/permission';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { CREATE_KEY, REVOKE_KEY, RESTORE_KEY, VIEWER, createKey, expectOk } from './helpers';

/** Keys that make keys: nothing a key hands out may outlive or outreach it. */

let app: TestApp;
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

test('R10: revoking a key revokes the keys it created, all the way down, and audits each', async () => {
  const parent = await createKey(app, kari, {
    employeeId: world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const child = await createKey(app, parent.token, {
    employeeId: world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const grandchild = await createKey(app, child.token, {
    employeeId: world.kari.id,
    permissions: [Permission.CUSTOMER_READ],
  });
  const sibling = await createKey(app, kari, { employeeId: world.kari.id, permissions: [Permission.CUSTOMER_READ] });
  for (const key of [parent, child, grandchild]) expectOk(await app.api.request(VIEWER, {}, { token: key.token }));

  expectOk(await app.api.request(REVOKE_KEY, { id: parent.userKey.id }, { token: kari }));
  for (const key of [parent, child, grandchild]) {
    expect(codes(await app.api.request(VIEWER, {}, { token: key.token }))).toEqual(['UNAUTHENTICATED']);
  }
  expectOk(await app.api.request(VIEWER, {}, { token: sibling.token }));
  const log = expectOk(
    await app.api.request(
      '{ auditEvents(first: 50) { edges { node { action targetId details } } } }',
      {},
      { token: kari },
    ),
  );
  const revokes = log.auditEvents.edges
    .map((e: { node: { action: string; targetId: string; details: string | null } }) => e.node)
    .filter((e: { action: string }) => e.action === 'userKey.revoke');
  expect(revokes.map((e: { targetId: string }) => e.targetId).sort()).toEqual(
    [parent.userKey.id, child.userKey.id, grandchild.userKey.id].sort(),
  );
  expect(revokes.filter((e: { details: string | null }) => e.details?.includes(parent.userKey.id))).toHaveLength(2);
});

test('R6: a key acting at a client cannot create or restore keys there, even with USER_ADMIN stored in its template', async () => {
  // a template from before R22, written straight into the database with every permission
  const template = await app.seed.accessTemplate(world.office, 'Alt', Object.values(Permission));
  const office = await app.seed.userKey(world.kari, {
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
    application: world.apps.fiken,
  });
  await app.seed.clientLink(world.office, world.bakeri, office.userKey, template);
  await app.server.db.manager.update(Company, { id: world.bakeri.id }, { integrationsActivatedAt: new Date() });
  const atBakeri = { token: office.token, companyId: world.bakeri.id };
  // R22: the administration permissions never take effect there, whatever the template holds
  const there = expectOk(await app.api.request(VIEWER, {}, atBakeri)).viewer.effectivePermissions;
  expect(there).toContain('CUSTOMER_READ');
  expect(there).not.toContain('USER_ADMIN');

  const created = await app.api.request(
    CREATE_KEY,
    {
      input: {
        employeeId: world.bakeriAdmin.id,
        customApplicationName: 'Mint',
        name: 'Mint',
        accessMode: 'ALL_ACCESS',
      },
    },
    atBakeri,
  );
  expect(codes(created)).toEqual(['FORBIDDEN']);
  const bakeriKey = await app.seed.userKey(world.bakeriAdmin, { permissions: [Permission.CUSTOMER_READ] });
  expect(codes(await app.api.request(RESTORE_KEY, { id: bakeriKey.userKey.id }, atBakeri))).toEqual(['FORBIDDEN']);
  // the client's own admin, in person, still manages the client's keys
  const admin = await app.api.login('admin@bakeri.example');
  expectOk(await app.api.request(RESTORE_KEY, { id: bakeriKey.userKey.id }, { token: admin }));
});

test('R10: a secret a key obtained by restoring a sibling is revoked with that key', async () => {
  const leaked = await createKey(app, kari, {
    employeeId: world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const sibling = await createKey(app, kari, { employeeId: world.kari.id, permissions: [Permission.CUSTOMER_READ] });
  const taken = expectOk(await app.api.request(RESTORE_KEY, { id: sibling.userKey.id }, { token: leaked.token }));
  const stolen = taken.restoreUserKey.token as string;
  expectOk(await app.api.request(VIEWER, {}, { token: stolen }));

  expectOk(await app.api.request(REVOKE_KEY, { id: leaked.userKey.id }, { token: kari }));
  expect(codes(await app.api.request(VIEWER, {}, { token: stolen }))).toEqual(['UNAUTHENTICATED']);
  // restored by a person, a key no longer follows the key that once restored it
  const other = await createKey(app, kari, { employeeId: world.kari.id, permissions: [Permission.CUSTOMER_READ] });
  const byKey = await createKey(app, kari, {
    employeeId: world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  expectOk(await app.api.request(RESTORE_KEY, { id: other.userKey.id }, { token: byKey.token }));
  await new Promise((r) => setTimeout(r, 5_100)); // the restore race window
  const byKari = expectOk(await app.api.request(RESTORE_KEY, { id: other.userKey.id }, { token: kari }));
  expectOk(await app.api.request(REVOKE_KEY, { id: byKey.userKey.id }, { token: kari }));
  expectOk(await app.api.request(VIEWER, {}, { token: byKari.restoreUserKey.token }));
});

test('R6: an office person with USER_ADMIN stored in the template at a client cannot create or restore the client’s keys', async () => {
  // a template from before R22, written straight into the database
  const template = await app.seed.accessTemplate(world.office, 'Brukeradmin hos klient', [
    Permission.USER_ADMIN,
    Permission.EMPLOYEE_READ,
    Permission.CUSTOMER_READ,
  ]);
  await app.seed.clientLink(world.office, world.fjordFisk, world.kari, template);
  await app.server.db.manager.update(Company, { id: world.fjordFisk.id }, { integrationsActivatedAt: new Date() });
  const atFjord = { token: kari, companyId: world.fjordFisk.id };
  expect(expectOk(await app.api.request(VIEWER, {}, atFjord)).viewer.effectivePermissions).toEqual([
    'CUSTOMER_READ',
    'EMPLOYEE_READ',
  ]);
  const created = await app.api.request(
    CREATE_KEY,
    {
      input: {
        employeeId: world.fjordAdmin.id,
        customApplicationName: 'Bakdør',
        name: 'Bakdør',
        accessMode: 'ALL_ACCESS',
      },
    },
    atFjord,
  );
  expect(codes(created)).toEqual(['FORBIDDEN']);
  const fjordKey = await app.seed.userKey(world.fjordAdmin, { permissions: [Permission.CUSTOMER_READ] });
  expect(codes(await app.api.request(RESTORE_KEY, { id: fjordKey.userKey.id }, atFjord))).toEqual(['NOT_FOUND']);
  // the client's own administrator manages its keys
  const admin = await app.api.login('admin@fjordfisk.example');
  expectOk(
    await app.api.request(
      CREATE_KEY,
      { input: { employeeId: world.fjordAdmin.id, customApplicationName: 'Egen', name: 'Egen', accessMode: 'CUSTOM' } },
      { token: admin },
    ),
  );
});
