import { getNamedType } from 'graphql';
import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { buildNokkelSchema } from '../../../server/src/schema/build-schema';
import { codes } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { addEmployee, createKey, recordOldAuditEvent, setEmployeePermissions, type Json } from './helpers';
import { ACTIVATE, RESTORE_KEY, REVOKE_KEY, SET_KEY_PERMISSIONS } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { sessionOf, useWorld } from '../../testkit/run';

const { LOGIN, HOURS_REGISTER, CUSTOMER_READ, INVOICE_READ, USER_ADMIN, ACCOUNT_ADMIN } = Permission;

const kit = useWorld({ sessions: ['kari'] });

const AUDIT = `query ($first: Int, $after: String) { auditEvents(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { node { id at action targetId details actorEmployee { id } actorUserKey { id } } } } }`;

/** The whole audit log of the caller's company, newest first. */
async function auditLog(token: string): Promise<Json[]> {
  const events: Json[] = [];
  let after: string | null = null;
  do {
    const res: Json = expectOk(await kit.app.api.request(AUDIT, { first: 100, after }, { token })).auditEvents;
    events.push(...res.edges.map((e: Json) => e.node));
    after = res.pageInfo.hasNextPage ? res.pageInfo.endCursor : null;
  } while (after);
  return events;
}
const about = (events: Json[], targetId: string) => events.filter((e) => e.targetId === targetId);
const actor = (e: Json) => ({
  action: e.action,
  employee: e.actorEmployee?.id ?? null,
  key: e.actorUserKey?.id ?? null,
});

/** Kari sets a key's permissions, restores it and revokes it through the API: three audited changes. */
async function setRestoreRevoke(id: string, permissions: Permission[]): Promise<void> {
  const token = kit.token.kari;
  expectOk(await kit.app.api.request(SET_KEY_PERMISSIONS, { id, permissions }, { token }));
  expectOk(await kit.app.api.request(RESTORE_KEY, { id }, { token }));
  expectOk(await kit.app.api.request(REVOKE_KEY, { id }, { token }));
}

describe('R21 audit log', () => {
  test('R21: creating, editing, restoring and revoking a key each write an event with actor, time, action and target', async () => {
    const started = Date.now();
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [LOGIN],
    });
    await setRestoreRevoke(userKey.id, [HOURS_REGISTER]);
    const finished = Date.now();

    const events = about(await auditLog(kit.token.kari), userKey.id);
    expect(events.map(actor)).toEqual(
      ['userKey.revoke', 'userKey.restore', 'userKey.setPermissions', 'userKey.create'].map((action) => ({
        action,
        employee: kit.world.kari.id,
        key: null,
      })),
    );
    for (const e of events) {
      expect(Date.parse(e.at)).toBeGreaterThanOrEqual(started - 5);
      expect(Date.parse(e.at)).toBeLessThanOrEqual(finished + 5);
    }
    const edit = events.find((e) => e.action === 'userKey.setPermissions');
    expect(JSON.parse(edit.details)).toEqual({ added: [HOURS_REGISTER], removed: [LOGIN] });
  });

  test('R21: when a key makes the change, the event names the key and the person it acts for', async () => {
    const actorKey = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, USER_ADMIN, CUSTOMER_READ, INVOICE_READ],
    });
    const clerk = await addEmployee(kit.app, kit.world.office, [LOGIN, CUSTOMER_READ]);
    const asKey = actorKey.token;
    const { userKey } = await createKey(kit.app, asKey, { employeeId: kit.world.per.id, permissions: [CUSTOMER_READ] });
    expectOk(
      await kit.app.api.request(SET_KEY_PERMISSIONS, { id: userKey.id, permissions: [INVOICE_READ] }, { token: asKey }),
    );
    expectOk(await kit.app.api.request(RESTORE_KEY, { id: userKey.id }, { token: asKey }));
    expectOk(await kit.app.api.request(REVOKE_KEY, { id: userKey.id }, { token: asKey }));
    await setEmployeePermissions(kit.app, asKey, clerk.employee.id, [LOGIN]);

    const log = await auditLog(kit.token.kari);
    const byKey = { employee: kit.world.kari.id, key: actorKey.userKey.id };
    expect(about(log, userKey.id).map(actor)).toEqual(
      ['userKey.revoke', 'userKey.restore', 'userKey.setPermissions', 'userKey.create'].map((action) => ({
        action,
        ...byKey,
      })),
    );
    expect(about(log, clerk.employee.id).map(actor)).toEqual([{ action: 'employee.setPermissions', ...byKey }]);
  });

  test('R21: activating Integrations and changing an employee’s permissions are audited in that company', async () => {
    const company = await kit.app.seed.company({
      name: 'Revisjon AS',
      kind: CompanyKind.REGULAR,
      integrationsActive: false,
    });
    const admin = await addEmployee(kit.app, company, ALL_PERMISSIONS, 'Admin');
    const clerk = await addEmployee(kit.app, company, [LOGIN, CUSTOMER_READ], 'Clerk');
    const token = await admin.session();
    expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token }));
    await setEmployeePermissions(kit.app, token, clerk.employee.id, [LOGIN, INVOICE_READ]);

    const log = await auditLog(token);
    expect(log.map((e) => ({ ...actor(e), target: e.targetId }))).toEqual([
      { action: 'employee.setPermissions', employee: admin.employee.id, key: null, target: clerk.employee.id },
      { action: 'company.activateIntegrations', employee: admin.employee.id, key: null, target: company.id },
    ]);
    expect(JSON.parse(log[0].details)).toEqual({ added: [INVOICE_READ], removed: [CUSTOMER_READ] });
    // and none of it shows in another company's log
    const elsewhere = await auditLog(kit.token.kari);
    expect(elsewhere.filter((e) => e.targetId === company.id || e.targetId === clerk.employee.id)).toEqual([]);
  });

  test('R21: a client’s log names the accountant key that acted there, but not what its owner may do at the office', async () => {
    // an office key linked to Bakeri under a template from before R22 (written straight into the
    // database) that would let it administer users there
    const template = await kit.app.seed.accessTemplate(kit.world.office, 'Brukeradmin', [
      USER_ADMIN,
      Permission.EMPLOYEE_READ,
      CUSTOMER_READ,
    ]);
    const officeKey = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.fiken.id,
      accountantKey: true,
      permissions: [USER_ADMIN, Permission.EMPLOYEE_READ, CUSTOMER_READ],
    });
    const entity = await kit.app.server.db.manager.findOneByOrFail(UserKey, { id: officeKey.userKey.id });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, entity, template);
    const clerk = await kit.app.seed.employee(kit.world.bakeri, {
      name: 'Bakeri Clerk',
      permissions: [LOGIN, CUSTOMER_READ],
    });
    const atBakeri = { token: officeKey.token, companyId: kit.world.bakeri.id };
    // R22: no administration across the link — refused, and nothing is written to the log
    const refused = await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN]) { id } }',
      { id: clerk.id },
      atBakeri,
    );
    expectCode(refused, 'FORBIDDEN');
    // the entry such a change left in Bakeri's log before R22
    await recordOldAuditEvent(kit.app, {
      companyId: kit.world.bakeri.id,
      action: 'employee.setPermissions',
      actorEmployeeId: kit.world.kari.id,
      actorUserKeyId: officeKey.userKey.id,
      targetId: clerk.id,
    });

    const bakeriAdmin = await sessionOf(kit.app, 'admin@bakeri.example');
    const named = (await auditLog(bakeriAdmin)).filter((e) => e.targetId === clerk.id);
    expect(named.map(actor)).toEqual([
      { action: 'employee.setPermissions', employee: kit.world.kari.id, key: officeKey.userKey.id },
    ]);
    // Kari's permissions at the office show neither directly nor through the key's permission view
    for (const field of ['effectivePermissions', 'permissionGrants { permission locked }', 'owner { permissions }']) {
      const res = await kit.app.api.request(
        `{ auditEvents(first: 100) { edges { node { targetId actorUserKey { id ${field} } } } } }`,
        {},
        { token: bakeriAdmin },
      );
      expect(codes(res)).toContain('FORBIDDEN');
      expect(JSON.stringify(res.data)).not.toMatch(/"locked"|PAYROLL_READ|ACCOUNT_ADMIN/);
    }
    // the key itself still sees its own permission view while it acts at the client
    const own = expectOk(
      await kit.app.api.request('{ viewer { effectivePermissions userKey { effectivePermissions } } }', {}, atBakeri),
    );
    expect(own.viewer.userKey.effectivePermissions).toEqual([CUSTOMER_READ, Permission.EMPLOYEE_READ, USER_ADMIN]);
    expect(own.viewer.effectivePermissions).toEqual([CUSTOMER_READ, Permission.EMPLOYEE_READ]);
  });

  test('R21: a refused change writes no audit event', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [LOGIN],
    });
    const refused = await kit.app.api.request(
      SET_KEY_PERMISSIONS,
      { id: userKey.id, permissions: [LOGIN, CUSTOMER_READ] },
      { token: kit.token.kari },
    );
    expectCode(refused, 'PERMISSION_CEILING_EXCEEDED');
    expect(about(await auditLog(kit.token.kari), userKey.id).map((e) => e.action)).toEqual(['userKey.create']);
  });

  test('R21: only USER_ADMIN or ACCOUNT_ADMIN may read the audit log, whether by session or key', async () => {
    for (const email of ['ola@regnskap.example', 'per@regnskap.example']) {
      const res = await kit.app.api.request(AUDIT, { first: 5 }, { token: await sessionOf(kit.app, email) });
      expectCode(res, 'FORBIDDEN');
      expect(res.data).toBeNull();
    }
    for (const permission of [USER_ADMIN, ACCOUNT_ADMIN]) {
      const reader = await addEmployee(kit.app, kit.world.office, [LOGIN, permission], 'Reader');
      const res = await kit.app.api.request(AUDIT, { first: 5 }, { token: await reader.session() });
      expect(expectOk(res).auditEvents.totalCount).toBeGreaterThan(0);
    }
    const adminKey = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [ACCOUNT_ADMIN],
    });
    expect(
      expectOk(await kit.app.api.request(AUDIT, { first: 5 }, { token: adminKey.token })).auditEvents.totalCount,
    ).toBeGreaterThan(0);
    // a key holding USER_ADMIN only as a locked permission cannot
    const olaAll = await createKey(kit.app, await sessionOf(kit.app, 'ola@regnskap.example'), {
      employeeId: kit.world.ola.id,
      accessMode: 'ALL_ACCESS',
    });
    expectCode(await kit.app.api.request(AUDIT, { first: 5 }, { token: olaAll.token }), 'FORBIDDEN');
  });

  test('R21: the audit log pages with first/after, newest first, without duplicates or gaps', async () => {
    for (let i = 0; i < 3; i++)
      await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    const all = await auditLog(kit.token.kari);
    const walked: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const res: Json = expectOk(
        await kit.app.api.request(AUDIT, { first: 2, after }, { token: kit.token.kari }),
      ).auditEvents;
      expect(res.totalCount).toBe(all.length);
      walked.push(...res.edges.map((e: Json) => e.node.id));
      after = res.pageInfo.hasNextPage ? res.pageInfo.endCursor : null;
      pages += 1;
    } while (after && pages < 100);
    expect(walked).toEqual(all.map((e) => e.id));
    expect(new Set(walked).size).toBe(walked.length);
    expect([...walked].sort().reverse()).toEqual(walked);
  });

  test('R21: the log is append-only: no mutation changes or removes an earlier event', async () => {
    const rows = async (): Promise<string[]> =>
      (await kit.app.server.db.manager.query('SELECT * FROM audit_event ORDER BY id')).map((r: Json) =>
        JSON.stringify(r),
      );
    const before = await rows();
    expect(before.length).toBeGreaterThan(0);

    // every kind of change a caller can make, including the ones that write events themselves
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ],
    });
    await setRestoreRevoke(userKey.id, [LOGIN]);
    expectOk(await kit.app.api.request(ACTIVATE, { accept: true }, { token: kit.token.kari }));
    await setEmployeePermissions(kit.app, kit.token.kari, kit.world.per.id, [
      LOGIN,
      CUSTOMER_READ,
      INVOICE_READ,
      Permission.CLIENT_ADMIN,
    ]);
    const session = await kit.app.api.login('ola@regnskap.example');
    expectOk(await kit.app.api.request('mutation { logout }', {}, { token: session }));

    const after = await rows();
    expect(after.slice(0, before.length)).toEqual(before);
    expect(after.length).toBeGreaterThan(before.length);

    // and the API offers no way to change the log: no mutation names it or returns an event
    const mutations = Object.values(buildNokkelSchema().getMutationType()!.getFields());
    expect(mutations.filter((m) => /audit/i.test(m.name) || getNamedType(m.type).name === 'AuditEvent')).toEqual([]);
  });
});
