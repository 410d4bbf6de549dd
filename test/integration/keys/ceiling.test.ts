import { Permission } from '../../../server/src/auth/permission';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { type GraphQLResponse } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS } from '../../testkit/world';
import {
  addEmployee,
  createKey,
  effectiveOf,
  grantsWhere,
  setEmployeePermissions,
  type Json,
  requestKey,
} from './helpers';
import { CREATE_KEY, RESTORE_KEY, REVOKE_KEY, SET_KEY_PERMISSIONS, USER_KEY, VIEWER } from './documents';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { sessionOf, useWorld } from '../../testkit/run';

const { LOGIN, HOURS_REGISTER, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, PAYROLL_READ, USER_ADMIN, EMPLOYEE_READ } =
  Permission;

const kit = useWorld({ sessions: ['kari', 'ola'] });

const CUSTOMERS = '{ customers(first: 5) { totalCount } }';
const INVOICES = '{ invoices(first: 5) { totalCount } }';
const keyPermissions = async (id: string) =>
  expectOk(await kit.app.api.request(USER_KEY, { id }, { token: kit.token.kari })).userKey.permissions as string[];
const setKeyPermissions = (token: string, id: string, permissions: Permission[]) =>
  kit.app.api.request(SET_KEY_PERMISSIONS, { id, permissions }, { token });

function expectCeiling(res: GraphQLResponse<Json>, permissions: Permission[]): void {
  expect(expectCode(res, 'PERMISSION_CEILING_EXCEEDED').extensions?.permissions).toEqual(permissions);
}

describe('R2 the ceiling', () => {
  test('R2: adding permissions the owner lacks is PERMISSION_CEILING_EXCEEDED listing exactly those, and changes nothing', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [HOURS_REGISTER],
    });
    const res = await setKeyPermissions(kit.token.kari, userKey.id, [
      LOGIN,
      HOURS_REGISTER,
      CUSTOMER_READ,
      PAYROLL_READ,
    ]);
    expectCeiling(res, [CUSTOMER_READ, PAYROLL_READ]);
    expect(res.data).toBeNull();
    expect(await keyPermissions(userKey.id)).toEqual([HOURS_REGISTER]);
  });

  test('R2: a CUSTOM key asking for more than the owner has is refused and no key is stored', async () => {
    const before = await kit.app.server.db.manager.count(UserKey);
    const res = await requestKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      customApplicationName: 'Fakturaroboten',
      name: 'Faktura',
      accessMode: 'CUSTOM',
      permissions: [HOURS_REGISTER, INVOICE_READ],
    });
    expectCeiling(res, [INVOICE_READ]);
    expect(await kit.app.server.db.manager.count(UserKey)).toBe(before);
  });

  test('R2: the owner in person cannot go past their own permissions either', async () => {
    const { userKey } = await createKey(kit.app, kit.token.ola, { employeeId: kit.world.ola.id, permissions: [LOGIN] });
    expectCeiling(await setKeyPermissions(kit.token.ola, userKey.id, [LOGIN, CUSTOMER_READ]), [CUSTOMER_READ]);
    expect(await keyPermissions(userKey.id)).toEqual([LOGIN]);
  });

  test('R2: permissions beyond the owner and beyond the granting administrator are listed together', async () => {
    // Una may manage users but does not register hours herself; Ola does not read invoices
    const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, CUSTOMER_READ, INVOICE_READ], 'Una');
    const res = await kit.app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: kit.world.ola.id,
          customApplicationName: 'X',
          name: 'X',
          accessMode: 'CUSTOM',
          permissions: [LOGIN, HOURS_REGISTER, INVOICE_READ],
        },
      },
      { token: await una.session() },
    );
    expectCeiling(res, [HOURS_REGISTER, INVOICE_READ]);
  });
});

describe('R3 the live ceiling', () => {
  test('R3: when the owner loses a permission, every key of theirs loses it on its very next request', async () => {
    const clerk = await addEmployee(kit.app, kit.world.office, [LOGIN, CUSTOMER_READ, INVOICE_READ]);
    const copy = await createKey(kit.app, kit.token.kari, {
      employeeId: clerk.employee.id,
      accessMode: 'COPY_EMPLOYEE',
    });
    const all = await createKey(kit.app, kit.token.kari, { employeeId: clerk.employee.id, accessMode: 'ALL_ACCESS' });
    for (const { token } of [copy, all]) {
      expect(expectOk(await kit.app.api.request(CUSTOMERS, {}, { token })).customers.totalCount).toBe(0);
    }

    await setEmployeePermissions(kit.app, kit.token.kari, clerk.employee.id, [LOGIN, INVOICE_READ]);

    for (const { token } of [copy, all]) {
      expectCode(await kit.app.api.request(CUSTOMERS, {}, { token }), 'FORBIDDEN');
      expect(await effectiveOf(kit.app, token)).toEqual([LOGIN, INVOICE_READ]);
      expect(expectOk(await kit.app.api.request(INVOICES, {}, { token })).invoices.totalCount).toBe(0);
    }
    // the key still holds CUSTOMER_READ, now locked and not effective
    const view = expectOk(
      await kit.app.api.request(USER_KEY, { id: copy.userKey.id }, { token: kit.token.kari }),
    ).userKey;
    expect(view.permissions).toContain(CUSTOMER_READ);
    expect(view.permissionGrants.find((g: Json) => g.permission === CUSTOMER_READ)).toEqual({
      permission: CUSTOMER_READ,
      granted: true,
      effective: false,
      locked: true,
    });
  });

  test('R3: a permission the owner gains later becomes usable only through keys that hold it', async () => {
    const clerk = await addEmployee(kit.app, kit.world.office, [LOGIN]);
    const holding = await createKey(kit.app, kit.token.kari, {
      employeeId: clerk.employee.id,
      accessMode: 'ALL_ACCESS',
    });
    const notHolding = await createKey(kit.app, kit.token.kari, {
      employeeId: clerk.employee.id,
      permissions: [LOGIN],
    });
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token: holding.token }), 'FORBIDDEN');

    await setEmployeePermissions(kit.app, kit.token.kari, clerk.employee.id, [LOGIN, CUSTOMER_READ]);

    expect(expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: holding.token })).customers.totalCount).toBe(0);
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token: notHolding.token }), 'FORBIDDEN');
    expect(await effectiveOf(kit.app, notHolding.token)).toEqual([LOGIN]);
  });
});

describe('R5 editing a key’s permissions', () => {
  test('R5: permissions can be added and removed within the owner’s, and the key follows at once', async () => {
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.per.id,
      permissions: [LOGIN],
    });
    const added = expectOk(await setKeyPermissions(kit.token.kari, userKey.id, [LOGIN, CUSTOMER_READ, INVOICE_READ]));
    expect(added.setUserKeyPermissions.permissions).toEqual([LOGIN, CUSTOMER_READ, INVOICE_READ]);
    expect(expectOk(await kit.app.api.request(CUSTOMERS, {}, { token })).customers.totalCount).toBe(0);

    const removed = expectOk(await setKeyPermissions(kit.token.kari, userKey.id, [INVOICE_READ]));
    expect(removed.setUserKeyPermissions.permissions).toEqual([INVOICE_READ]);
    expect(removed.setUserKeyPermissions.effectivePermissions).toEqual([INVOICE_READ]);
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token }), 'FORBIDDEN');
    expect(await keyPermissions(userKey.id)).toEqual([INVOICE_READ]);
  });

  test('R5: the permission view lists every catalog permission, in order, with granted, effective and locked', async () => {
    // Per has LOGIN, CUSTOMER_READ, INVOICE_READ, CLIENT_ADMIN
    const perHas = new Set<string>([LOGIN, CUSTOMER_READ, INVOICE_READ, Permission.CLIENT_ADMIN]);
    const keyHolds = new Set<string>([LOGIN, CUSTOMER_READ]);
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.per.id,
      permissions: [...keyHolds] as Permission[],
    });
    expect(userKey.permissionGrants).toEqual(
      ALL_PERMISSIONS.map((permission) => ({
        permission,
        granted: keyHolds.has(permission),
        effective: keyHolds.has(permission) && perHas.has(permission),
        locked: !perHas.has(permission),
      })),
    );
  });

  test('R5: locked permissions the key already holds may be kept, but once removed cannot be added back', async () => {
    const { userKey } = await createKey(kit.app, kit.token.ola, {
      employeeId: kit.world.ola.id,
      accessMode: 'ALL_ACCESS',
    });
    const kept = expectOk(await setKeyPermissions(kit.token.ola, userKey.id, [LOGIN, HOURS_REGISTER, PAYROLL_READ]));
    expect(kept.setUserKeyPermissions.permissions).toEqual([LOGIN, HOURS_REGISTER, PAYROLL_READ]);
    expect(grantsWhere(kept.setUserKeyPermissions, 'locked')).toContain(PAYROLL_READ);
    expect(kept.setUserKeyPermissions.effectivePermissions).toEqual([LOGIN, HOURS_REGISTER]);

    expectCeiling(
      await setKeyPermissions(kit.token.ola, userKey.id, [LOGIN, HOURS_REGISTER, PAYROLL_READ, CUSTOMER_READ]),
      [CUSTOMER_READ],
    );
    expect(await keyPermissions(userKey.id)).toEqual([LOGIN, HOURS_REGISTER, PAYROLL_READ]);
  });
  test('R5: concurrent edits cannot bring back a locked permission that one of them removed', async () => {
    const { userKey } = await createKey(kit.app, kit.token.ola, {
      employeeId: kit.world.ola.id,
      accessMode: 'ALL_ACCESS',
    });
    // one request drops PAYROLL_READ (locked for Ola); the others "keep" it, which is only allowed while the key holds it
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        setKeyPermissions(kit.token.ola, userKey.id, i === 3 ? [LOGIN] : [LOGIN, PAYROLL_READ]),
      ),
    );
    expect(results[3].errors).toEqual([]);
    for (const res of results)
      expect(['OK', 'PERMISSION_CEILING_EXCEEDED']).toContain(res.errors[0]?.extensions?.code ?? 'OK');
    // whatever the order, a keep that ran after the removal was refused, so the removal stands
    expect(await keyPermissions(userKey.id)).toEqual([LOGIN]);
  });
});

describe('setEmployeePermissions', () => {
  test('a user administrator changes only permissions they hold: adding or removing others is refused, listing them', async () => {
    const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, CUSTOMER_READ], 'Una');
    const clerk = await addEmployee(kit.app, kit.world.office, [LOGIN, INVOICE_READ, PAYROLL_READ]);
    const token = await una.session();
    const added = await kit.app.api.request(
      'mutation ($id: ID!, $p: [Permission!]!) { setEmployeePermissions(employeeId: $id, permissions: $p) { id } }',
      { id: clerk.employee.id, p: [LOGIN, CUSTOMER_READ, CUSTOMER_WRITE, INVOICE_READ, PAYROLL_READ] },
      { token },
    );
    expectCeiling(added, [CUSTOMER_WRITE]);
    // nor can Una demote the clerk of what she does not have herself
    const removed = await kit.app.api.request(
      'mutation ($id: ID!, $p: [Permission!]!) { setEmployeePermissions(employeeId: $id, permissions: $p) { id } }',
      { id: clerk.employee.id, p: [LOGIN] },
      { token },
    );
    expectCeiling(removed, [INVOICE_READ, PAYROLL_READ]);
    // adding and removing what she holds works (the clerk keeps LOGIN: deactivating someone who
    // holds what Una lacks is not hers to do, R24)
    await setEmployeePermissions(kit.app, token, clerk.employee.id, [LOGIN, CUSTOMER_READ, INVOICE_READ, PAYROLL_READ]);
    const [row] = await kit.app.server.db.manager.query('SELECT permission_bits AS bits FROM employee WHERE id = ?', [
      clerk.employee.id,
    ]);
    expect(Number(row.bits)).toBe(1 | (1 << 3) | (1 << 5) | (1 << 8)); // LOGIN, CUSTOMER_READ, INVOICE_READ, PAYROLL_READ
  });

  test('the company’s last user administrator and last account administrator cannot lose that permission', async () => {
    const company = await kit.app.seed.company({ name: 'Solo AS', integrationsActive: true });
    const solo = await kit.app.seed.employee(company, {
      name: 'Solo',
      email: 'solo@solo.example',
      password: 'demo-password',
      permissions: Object.values(Permission),
    });
    const token = await kit.app.api.login('solo@solo.example');
    const everythingBut = (p: Permission) => Object.values(Permission).filter((x) => x !== p);
    for (const admin of [USER_ADMIN, Permission.ACCOUNT_ADMIN]) {
      const res = await kit.app.api.request(
        'mutation ($id: ID!, $p: [Permission!]!) { setEmployeePermissions(employeeId: $id, permissions: $p) { id } }',
        { id: solo.id, p: everythingBut(admin) },
        { token },
      );
      expectCode(res, 'CONFLICT');
      expect(res.errors[0].message).toContain(admin);
    }
    const second = await kit.app.seed.employee(company, { name: 'Second', permissions: [LOGIN, USER_ADMIN] });
    await setEmployeePermissions(kit.app, token, solo.id, everythingBut(USER_ADMIN));
    expect(second.permissionSet.has(USER_ADMIN)).toBe(true);
  });

  test('setEmployeePermissions needs USER_ADMIN, and another company’s employee is NOT_FOUND', async () => {
    const mutation =
      'mutation ($id: ID!, $p: [Permission!]!) { setEmployeePermissions(employeeId: $id, permissions: $p) { id } }';
    expectCode(
      await kit.app.api.request(mutation, { id: kit.world.ola.id, p: [LOGIN] }, { token: kit.token.ola }),
      'FORBIDDEN',
    );
    const anne = await sessionOf(kit.app, 'anne@annet.example');
    expectNotFound(await kit.app.api.request(mutation, { id: kit.world.ola.id, p: [] }, { token: anne }));
    expect(await effectiveOf(kit.app, kit.token.ola)).toEqual([LOGIN, HOURS_REGISTER]);
  });
});

describe('R6 who may create and manage keys', () => {
  test('R6: an employee without USER_ADMIN may not create a key for someone else (FORBIDDEN)', async () => {
    const before = await kit.app.server.db.manager.count(UserKey);
    const res = await requestKey(kit.app, kit.token.ola, {
      employeeId: kit.world.per.id,
      customApplicationName: 'X',
      name: 'X',
      accessMode: 'CUSTOM',
    });
    expectCode(res, 'FORBIDDEN');
    expect(await kit.app.server.db.manager.count(UserKey)).toBe(before);
  });

  test('R6: another employee’s key is NOT_FOUND to an employee without USER_ADMIN, for reading and every change', async () => {
    const per = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.per.id,
      permissions: [CUSTOMER_READ],
    });
    const id = per.userKey.id;
    expectNotFound(await kit.app.api.request(USER_KEY, { id }, { token: kit.token.ola }));
    expectNotFound(await kit.app.api.request(RESTORE_KEY, { id }, { token: kit.token.ola }));
    expectNotFound(await kit.app.api.request(REVOKE_KEY, { id }, { token: kit.token.ola }));
    expectNotFound(await setKeyPermissions(kit.token.ola, id, []));
    // nothing happened to the key
    expect(expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: per.token })).customers.totalCount).toBe(0);
    expect(await keyPermissions(id)).toEqual([CUSTOMER_READ]);
  });

  test('R6: the owner manages their own keys, and a USER_ADMIN of the same company manages anyone’s', async () => {
    const own = await createKey(kit.app, kit.token.ola, {
      employeeId: kit.world.ola.id,
      permissions: [HOURS_REGISTER],
    });
    expect(
      expectOk(await setKeyPermissions(kit.token.ola, own.userKey.id, [LOGIN])).setUserKeyPermissions.permissions,
    ).toEqual([LOGIN]);
    const restored = expectOk(
      await kit.app.api.request(RESTORE_KEY, { id: own.userKey.id }, { token: kit.token.kari }),
    );
    expect(restored.restoreUserKey.token).toMatch(/^nkl_/);
    const revoked = expectOk(await kit.app.api.request(REVOKE_KEY, { id: own.userKey.id }, { token: kit.token.kari }));
    expect(revoked.revokeUserKey.status).toBe('REVOKED');
  });

  test('R6: an administrator of another company can neither see nor manage a key (NOT_FOUND)', async () => {
    const anne = await sessionOf(kit.app, 'anne@annet.example');
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ],
    });
    const id = userKey.id;
    for (const res of [
      await kit.app.api.request(USER_KEY, { id }, { token: anne }),
      await kit.app.api.request(RESTORE_KEY, { id }, { token: anne }),
      await kit.app.api.request(REVOKE_KEY, { id }, { token: anne }),
      await setKeyPermissions(anne, id, ALL_PERMISSIONS),
    ]) {
      expectNotFound(res);
    }
    expect(await effectiveOf(kit.app, token)).toEqual([CUSTOMER_READ]);
  });

  test('R6: a key that creates keys hands out at most its own effective permissions', async () => {
    const actor = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
    });
    const asKey = actor.token;

    const custom = await requestKey(kit.app, asKey, {
      employeeId: kit.world.per.id,
      customApplicationName: 'X',
      name: 'X',
      accessMode: 'CUSTOM',
      permissions: [CUSTOMER_READ, INVOICE_READ],
    });
    expectCeiling(custom, [INVOICE_READ]);

    const all = await createKey(kit.app, asKey, { employeeId: kit.world.per.id, accessMode: 'ALL_ACCESS' });
    expect(all.userKey.permissions).toEqual([LOGIN, CUSTOMER_READ, USER_ADMIN]);
    const copy = await createKey(kit.app, asKey, { employeeId: kit.world.kari.id, accessMode: 'COPY_EMPLOYEE' });
    expect(copy.userKey.permissions).toEqual([LOGIN, CUSTOMER_READ, USER_ADMIN]);
    expect(await effectiveOf(kit.app, copy.token)).toEqual([LOGIN, CUSTOMER_READ, USER_ADMIN]);
  });

  test('R6: a key grants another key at most its own effective permissions', async () => {
    const actor = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ, USER_ADMIN],
    });
    const target = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.per.id, permissions: [LOGIN] });
    expectCeiling(await setKeyPermissions(actor.token, target.userKey.id, [LOGIN, CUSTOMER_READ, INVOICE_READ]), [
      INVOICE_READ,
    ]);
    const ok = expectOk(await setKeyPermissions(actor.token, target.userKey.id, [LOGIN, CUSTOMER_READ]));
    expect(ok.setUserKeyPermissions.permissions).toEqual([LOGIN, CUSTOMER_READ]);
  });

  test('R6: locked permissions of an acting key give it nothing to hand out', async () => {
    // Ola's "all access" key holds USER_ADMIN and everything else, but can only do what Ola can
    const actor = await createKey(kit.app, kit.token.ola, { employeeId: kit.world.ola.id, accessMode: 'ALL_ACCESS' });
    const forPer = await requestKey(kit.app, actor.token, {
      employeeId: kit.world.per.id,
      customApplicationName: 'X',
      name: 'X',
      accessMode: 'CUSTOM',
    });
    expectCode(forPer, 'FORBIDDEN');
    const minted = await createKey(kit.app, actor.token, { employeeId: kit.world.ola.id, accessMode: 'ALL_ACCESS' });
    expect(minted.userKey.permissions).toEqual([LOGIN, HOURS_REGISTER]);
  });

  test('R6: a key cannot restore a key that holds more than it can do, but may rotate its own secret', async () => {
    const small = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, USER_ADMIN],
    });
    const big = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ, PAYROLL_READ],
    });

    expectCeiling(await kit.app.api.request(RESTORE_KEY, { id: big.userKey.id }, { token: small.token }), [
      CUSTOMER_READ,
      PAYROLL_READ,
    ]);
    expect(await effectiveOf(kit.app, big.token)).toEqual([CUSTOMER_READ, PAYROLL_READ]);

    const rotated = expectOk(await kit.app.api.request(RESTORE_KEY, { id: small.userKey.id }, { token: small.token }));
    expectCode(await kit.app.api.request(VIEWER, {}, { token: small.token }), 'UNAUTHENTICATED');
    expect(await effectiveOf(kit.app, rotated.restoreUserKey.token)).toEqual([LOGIN, USER_ADMIN]);
  });

  test('R6: a key that expires cannot hand out a secret that outlives it', async () => {
    const inAnHour = new Date(Date.now() + 3_600_000);
    const shortLived = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, USER_ADMIN],
      expiresAt: inAnHour.toISOString(),
    });
    const asKey = shortLived.token;
    const before = await kit.app.server.db.manager.count(UserKey);
    for (const expiresAt of [undefined, new Date(inAnHour.getTime() + 60_000).toISOString()]) {
      const res = await requestKey(kit.app, asKey, {
        employeeId: kit.world.kari.id,
        customApplicationName: 'X',
        name: 'X',
        accessMode: 'CUSTOM',
        expiresAt,
      });
      expect(expectCode(res, 'BAD_USER_INPUT').extensions?.fields).toEqual([
        { field: 'expiresAt', message: expect.stringMatching(/no later/) },
      ]);
    }
    expect(await kit.app.server.db.manager.count(UserKey)).toBe(before);
    const within = await createKey(kit.app, asKey, {
      employeeId: kit.world.kari.id,
      expiresAt: inAnHour.toISOString(),
    });
    expect(within.userKey.expiresAt).toBe(inAnHour.toISOString());

    // nor restore a sibling that lives longer, though it holds nothing more
    const permanent = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    expectCode(await kit.app.api.request(RESTORE_KEY, { id: permanent.userKey.id }, { token: asKey }), 'FORBIDDEN');
    expect(await effectiveOf(kit.app, permanent.token)).toEqual([LOGIN]);
    const restored = expectOk(await kit.app.api.request(RESTORE_KEY, { id: within.userKey.id }, { token: asKey }));
    expect(restored.restoreUserKey.userKey.expiresAt).toBe(inAnHour.toISOString());
  });

  test('R6: a USER_ADMIN who lacks a permission cannot hand out a key secret that has it', async () => {
    const una = await addEmployee(kit.app, kit.world.office, [LOGIN, USER_ADMIN, EMPLOYEE_READ, CUSTOMER_READ], 'Una');
    const token = await una.session();

    // creating for someone else: an explicit grant is refused, the broad modes are cut down to Una's reach
    const explicit = await kit.app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: kit.world.kari.id,
          customApplicationName: 'Lønn',
          name: 'Lønn',
          accessMode: 'CUSTOM',
          permissions: [PAYROLL_READ],
        },
      },
      { token },
    );
    expectCeiling(explicit, [PAYROLL_READ]);
    for (const accessMode of ['ALL_ACCESS', 'COPY_EMPLOYEE'] as const) {
      const made = await createKey(kit.app, token, { employeeId: kit.world.kari.id, accessMode });
      expect(made.userKey.permissions).toEqual([LOGIN, CUSTOMER_READ, EMPLOYEE_READ, USER_ADMIN]);
      expect(await effectiveOf(kit.app, made.token)).not.toContain(PAYROLL_READ);
    }

    // restoring someone else's key that can read payroll would hand Una a payroll secret
    const payroll = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [PAYROLL_READ, CUSTOMER_READ],
    });
    expectCeiling(await kit.app.api.request(RESTORE_KEY, { id: payroll.userKey.id }, { token }), [PAYROLL_READ]);
    expect(await effectiveOf(kit.app, payroll.token)).toEqual([CUSTOMER_READ, PAYROLL_READ]);

    // nor a key whose extra permissions are only locked today: they work the day the owner gets them
    const olaAll = await createKey(kit.app, kit.token.ola, { employeeId: kit.world.ola.id, accessMode: 'ALL_ACCESS' });
    const locked = expectCode(
      await kit.app.api.request(RESTORE_KEY, { id: olaAll.userKey.id }, { token }),
      'PERMISSION_CEILING_EXCEEDED',
    );
    expect(locked.extensions?.permissions).toContain(PAYROLL_READ);
    expect(locked.extensions?.permissions).not.toContain(CUSTOMER_READ);

    // and granting it to an existing key is refused as well
    expectCeiling(await setKeyPermissions(token, payroll.userKey.id, [PAYROLL_READ, CUSTOMER_READ, CUSTOMER_WRITE]), [
      CUSTOMER_WRITE,
    ]);

    // what Una can do herself she may hand out
    const within = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [CUSTOMER_READ],
    });
    const restored = expectOk(await kit.app.api.request(RESTORE_KEY, { id: within.userKey.id }, { token }));
    expect(await effectiveOf(kit.app, restored.restoreUserKey.token)).toEqual([CUSTOMER_READ]);
  });
});
