import { Permission } from '../../../server/src/auth/permission';
import { Company } from '../../../server/src/modules/companies/company.entity';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { createKey, requestKey } from './helpers';
import { CREATE_KEY, REVOKE_KEY, RESTORE_KEY, VIEWER } from './documents';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/** Keys that make keys: nothing a key hands out may outlive or outreach it. */

const kit = useWorld({ sessions: ['kari'] });

test('R10: revoking a key revokes the keys it created, all the way down, and audits each', async () => {
  const parent = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const child = await createKey(kit.app, parent.token, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const grandchild = await createKey(kit.app, child.token, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ],
  });
  const sibling = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ],
  });
  for (const key of [parent, child, grandchild]) expectOk(await kit.app.api.request(VIEWER, {}, { token: key.token }));

  expectOk(await kit.app.api.request(REVOKE_KEY, { id: parent.userKey.id }, { token: kit.token.kari }));
  for (const key of [parent, child, grandchild]) {
    expectCode(await kit.app.api.request(VIEWER, {}, { token: key.token }), 'UNAUTHENTICATED');
  }
  expectOk(await kit.app.api.request(VIEWER, {}, { token: sibling.token }));
  const log = expectOk(
    await kit.app.api.request(
      '{ auditEvents(first: 50) { edges { node { action targetId details } } } }',
      {},
      { token: kit.token.kari },
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
  const template = await kit.app.seed.accessTemplate(kit.world.office, 'Alt', Object.values(Permission));
  const office = await kit.app.seed.userKey(kit.world.kari, {
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
  });
  await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, office.userKey, template);
  await kit.app.server.db.manager.update(Company, { id: kit.world.bakeri.id }, { integrationsActivatedAt: new Date() });
  const atBakeri = { token: office.token, companyId: kit.world.bakeri.id };
  // R22: the administration permissions never take effect there, whatever the template holds
  const there = expectOk(await kit.app.api.request(VIEWER, {}, atBakeri)).viewer.effectivePermissions;
  expect(there).toContain('CUSTOMER_READ');
  expect(there).not.toContain('USER_ADMIN');

  const created = await kit.app.api.request(
    CREATE_KEY,
    {
      input: {
        employeeId: kit.world.bakeriAdmin.id,
        customApplicationName: 'Mint',
        name: 'Mint',
        accessMode: 'ALL_ACCESS',
      },
    },
    atBakeri,
  );
  expectCode(created, 'FORBIDDEN');
  const bakeriKey = await kit.app.seed.userKey(kit.world.bakeriAdmin, { permissions: [Permission.CUSTOMER_READ] });
  expectCode(await kit.app.api.request(RESTORE_KEY, { id: bakeriKey.userKey.id }, atBakeri), 'FORBIDDEN');
  // the client's own admin, in person, still manages the client's keys
  const admin = await kit.app.api.login('admin@bakeri.example');
  expectOk(await kit.app.api.request(RESTORE_KEY, { id: bakeriKey.userKey.id }, { token: admin }));
});

test('R10: a secret a key obtained by restoring a sibling is revoked with that key', async () => {
  const leaked = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  const sibling = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ],
  });
  const taken = expectOk(await kit.app.api.request(RESTORE_KEY, { id: sibling.userKey.id }, { token: leaked.token }));
  const stolen = taken.restoreUserKey.token as string;
  expectOk(await kit.app.api.request(VIEWER, {}, { token: stolen }));

  expectOk(await kit.app.api.request(REVOKE_KEY, { id: leaked.userKey.id }, { token: kit.token.kari }));
  expectCode(await kit.app.api.request(VIEWER, {}, { token: stolen }), 'UNAUTHENTICATED');
  // restored by a person, a key no longer follows the key that once restored it
  const other = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ],
  });
  const byKey = await createKey(kit.app, kit.token.kari, {
    employeeId: kit.world.kari.id,
    permissions: [Permission.CUSTOMER_READ, Permission.USER_ADMIN],
  });
  expectOk(await kit.app.api.request(RESTORE_KEY, { id: other.userKey.id }, { token: byKey.token }));
  await new Promise((r) => setTimeout(r, 5_100)); // the restore race window
  const byKari = expectOk(await kit.app.api.request(RESTORE_KEY, { id: other.userKey.id }, { token: kit.token.kari }));
  expectOk(await kit.app.api.request(REVOKE_KEY, { id: byKey.userKey.id }, { token: kit.token.kari }));
  expectOk(await kit.app.api.request(VIEWER, {}, { token: byKari.restoreUserKey.token }));
});

test('R6: an office person with USER_ADMIN stored in the template at a client cannot create or restore the client’s keys', async () => {
  // a template from before R22, written straight into the database
  const template = await kit.app.seed.accessTemplate(kit.world.office, 'Brukeradmin hos klient', [
    Permission.USER_ADMIN,
    Permission.EMPLOYEE_READ,
    Permission.CUSTOMER_READ,
  ]);
  await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, kit.world.kari, template);
  await kit.app.server.db.manager.update(
    Company,
    { id: kit.world.fjordFisk.id },
    { integrationsActivatedAt: new Date() },
  );
  const atFjord = { token: kit.token.kari, companyId: kit.world.fjordFisk.id };
  expect(expectOk(await kit.app.api.request(VIEWER, {}, atFjord)).viewer.effectivePermissions).toEqual([
    'CUSTOMER_READ',
    'EMPLOYEE_READ',
  ]);
  const created = await kit.app.api.request(
    CREATE_KEY,
    {
      input: {
        employeeId: kit.world.fjordAdmin.id,
        customApplicationName: 'Bakdør',
        name: 'Bakdør',
        accessMode: 'ALL_ACCESS',
      },
    },
    atFjord,
  );
  expectCode(created, 'FORBIDDEN');
  const fjordKey = await kit.app.seed.userKey(kit.world.fjordAdmin, { permissions: [Permission.CUSTOMER_READ] });
  expectNotFound(await kit.app.api.request(RESTORE_KEY, { id: fjordKey.userKey.id }, atFjord));
  // the client's own administrator manages its keys
  const admin = await kit.app.api.login('admin@fjordfisk.example');
  expectOk(
    await requestKey(kit.app, admin, {
      employeeId: kit.world.fjordAdmin.id,
      customApplicationName: 'Egen',
      name: 'Egen',
      accessMode: 'CUSTOM',
    }),
  );
});
