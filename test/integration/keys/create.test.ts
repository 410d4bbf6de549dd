import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { addEmployee, createKey, effectiveOf, grantsWhere, setEmployeePermissions, requestKey } from './helpers';
import { CREATE_KEY, VIEWER } from './documents';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { sessionOf, useWorld } from '../../testkit/run';

const kit = useWorld({ sessions: ['kari', 'ola'] });

const keyRows = () => kit.app.server.db.manager.count(UserKey);
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';
const REGISTER_HOURS =
  'mutation { registerHours(input: { date: "2026-11-03", hours: 7.5, description: "API" }) { hours employee { id } } }';

describe('R1 owner and company', () => {
  test('R1: a key belongs to the employee it was created on and acts as them, in their company only', async () => {
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [Permission.LOGIN, Permission.HOURS_REGISTER],
    });
    expect(userKey.owner).toEqual({ id: kit.world.ola.id, name: 'Ola Hansen' });

    const viewer = expectOk(await kit.app.api.request(VIEWER, {}, { token })).viewer;
    expect(viewer.employee.id).toBe(kit.world.ola.id);
    expect(viewer.userKey.id).toBe(userKey.id);
    expect(viewer.company.id).toBe(kit.world.office.id);
    const [row] = await kit.app.server.db.manager.query(
      'SELECT owner_id AS owner, company_id AS company FROM user_key WHERE id = ?',
      [userKey.id],
    );
    expect(row).toEqual({ owner: kit.world.ola.id, company: kit.world.office.id });

    // an end-user key cannot be pointed at any other company
    for (const companyId of [kit.world.bakeri.id, kit.world.other.office.id]) {
      const elsewhere = await kit.app.api.request(VIEWER, {}, { token, companyId });
      expectCode(elsewhere, 'FORBIDDEN');
    }
  });

  test('R1: a key cannot be created on an employee of another company (NOT_FOUND, nothing stored)', async () => {
    const before = await keyRows();
    const atClient = await requestKey(kit.app, kit.token.kari, {
      employeeId: kit.world.bakeriAdmin.id,
      customApplicationName: 'X',
      name: 'X',
      accessMode: 'CUSTOM',
    });
    expectNotFound(atClient);
    const anne = await sessionOf(kit.app, 'anne@annet.example');
    const fromOutside = await requestKey(kit.app, anne, {
      employeeId: kit.world.ola.id,
      customApplicationName: 'X',
      name: 'X',
      accessMode: 'ALL_ACCESS',
    });
    expectNotFound(fromOutside);
    expect(await keyRows()).toBe(before);
  });
});

describe('R4 access modes', () => {
  test('R4: ALL_ACCESS holds every permission; those the owner lacks are locked and not effective', async () => {
    const { token, userKey } = await createKey(kit.app, kit.token.ola, {
      employeeId: kit.world.ola.id,
      accessMode: 'ALL_ACCESS',
    });
    expect(userKey.permissions).toEqual(ALL_PERMISSIONS);
    expect(userKey.effectivePermissions).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(grantsWhere(userKey, 'granted')).toEqual(ALL_PERMISSIONS);
    expect(grantsWhere(userKey, 'effective')).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(grantsWhere(userKey, 'locked')).toEqual(
      ALL_PERMISSIONS.filter((p) => p !== Permission.LOGIN && p !== Permission.HOURS_REGISTER),
    );
    // locked permissions are inert: the key can register hours but not read customers
    expect(await effectiveOf(kit.app, token)).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(expectOk(await kit.app.api.request(REGISTER_HOURS, {}, { token })).registerHours.employee.id).toBe(
      kit.world.ola.id,
    );
    expectCode(await kit.app.api.request(CUSTOMERS, {}, { token }), 'FORBIDDEN');
  });

  test('R4: COPY_EMPLOYEE is a snapshot of the owner’s permissions at creation, not a live copy', async () => {
    const clerk = await addEmployee(kit.app, kit.world.office, [
      Permission.LOGIN,
      Permission.CUSTOMER_READ,
      Permission.INVOICE_READ,
    ]);
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: clerk.employee.id,
      accessMode: 'COPY_EMPLOYEE',
    });
    expect(userKey.permissions).toEqual([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    expect(grantsWhere(userKey, 'locked')).not.toContain(Permission.CUSTOMER_READ);

    await setEmployeePermissions(kit.app, kit.token.kari, clerk.employee.id, [
      Permission.LOGIN,
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
    ]);
    const later = expectOk(
      await kit.app.api.request(`{ userKey(id: "${userKey.id}") { permissions } }`, {}, { token: kit.token.kari }),
    );
    expect(later.userKey.permissions).toEqual([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    expect(await effectiveOf(kit.app, token)).not.toContain(Permission.CUSTOMER_WRITE);
  });

  test('R4: CUSTOM without a list holds no permissions at all', async () => {
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      accessMode: 'CUSTOM',
    });
    expect(userKey.permissions).toEqual([]);
    expect(userKey.effectivePermissions).toEqual([]);
    expect(grantsWhere(userKey, 'granted')).toEqual([]);
    expect(await effectiveOf(kit.app, token)).toEqual([]);
    expectCode(await kit.app.api.request(REGISTER_HOURS, {}, { token }), 'FORBIDDEN');
  });

  test('R4: CUSTOM with a list holds exactly that list', async () => {
    const { token, userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      accessMode: 'CUSTOM',
      permissions: [Permission.HOURS_REGISTER],
    });
    expect(userKey.permissions).toEqual([Permission.HOURS_REGISTER]);
    expect(await effectiveOf(kit.app, token)).toEqual([Permission.HOURS_REGISTER]);
  });

  test('R4: a permission list with ALL_ACCESS or COPY_EMPLOYEE is BAD_USER_INPUT on permissions', async () => {
    for (const accessMode of ['ALL_ACCESS', 'COPY_EMPLOYEE']) {
      const res = await requestKey(kit.app, kit.token.kari, {
        employeeId: kit.world.ola.id,
        customApplicationName: 'X',
        name: 'X',
        accessMode,
        permissions: [Permission.LOGIN],
      });
      expect(expectCode(res, 'BAD_USER_INPUT').extensions?.fields).toEqual([
        { field: 'permissions', message: expect.any(String) },
      ]);
    }
  });
});

describe('R7 application and name', () => {
  test('R7: a key for a catalog application shows that application and its name', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.fiken.id,
      name: 'Fiken for Regnskap',
    });
    expect(userKey.application).toEqual({ id: kit.world.apps.fiken.id, name: 'Fiken Sync' });
    expect(userKey.applicationName).toBe('Fiken Sync');
    expect(userKey.name).toBe('Fiken for Regnskap');
  });

  test('R7: with custom setup the hand-typed application name is the key’s application name', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: '  Hjemmelaget Lønnsrobot  ',
      name: 'Lønnsrobot',
    });
    expect(userKey.application).toBeNull();
    expect(userKey.applicationName).toBe('Hjemmelaget Lønnsrobot');
  });

  test('R7: names of exactly 100 characters are accepted', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: 'a'.repeat(100),
      name: 'n'.repeat(100),
    });
    expect(userKey.applicationName).toHaveLength(100);
    expect(userKey.name).toHaveLength(100);
  });

  test('R7: lengths count characters, so 100 characters outside the basic plane (emoji) fit too', async () => {
    const { userKey } = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: '🧾'.repeat(100),
      name: 'Nøkkel 🔑 '.repeat(10).trim(),
    });
    expect([...userKey.applicationName]).toHaveLength(100);
    expect(userKey.name).toBe('Nøkkel 🔑 '.repeat(10).trim());
    const tooLong = await requestKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: '🧾'.repeat(101),
      name: 'x',
      accessMode: 'CUSTOM',
    });
    expect(expectCode(tooLong, 'BAD_USER_INPUT').extensions?.fields).toEqual([
      { field: 'customApplicationName', message: expect.stringMatching(/1–100/) },
    ]);
  });

  const base = { customApplicationName: 'App', name: 'Key', accessMode: 'CUSTOM' };
  test.each([
    ['an empty name', { name: '' }, 'name', /1–100/],
    ['a blank name', { name: '   ' }, 'name', /1–100/],
    ['a name over 100 characters', { name: 'n'.repeat(101) }, 'name', /1–100/],
    [
      'a custom application name over 100 characters',
      { customApplicationName: 'a'.repeat(101) },
      'customApplicationName',
      /1–100/,
    ],
    ['an empty custom application name', { customApplicationName: '' }, 'customApplicationName', /1–100/],
    [
      'both applicationId and customApplicationName',
      { applicationId: 'FIKEN' },
      'customApplicationName',
      /exactly one/,
    ],
    [
      'neither applicationId nor customApplicationName',
      { customApplicationName: undefined },
      'applicationId',
      /exactly one/,
    ],
    [
      'an applicationId not in the catalog',
      { customApplicationName: undefined, applicationId: 'app_01ARZ3NDEKTSV4RRFFQ69G5FAV' },
      'applicationId',
      /catalog/,
    ],
    ['expiresAt in the past', { expiresAt: '2020-01-01T00:00:00.000Z' }, 'expiresAt', /future/],
  ])('R7: %s is BAD_USER_INPUT naming that field, and no key is stored', async (_label, override, field, message) => {
    const input: Record<string, unknown> = { employeeId: kit.world.kari.id, ...base, ...override };
    if (input.applicationId === 'FIKEN') input.applicationId = kit.world.apps.fiken.id;
    const before = await keyRows();
    const res = await kit.app.api.request(CREATE_KEY, { input }, { token: kit.token.kari });
    const error = expectCode(res, 'BAD_USER_INPUT');
    expect(error.extensions?.fields).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(res.data).toBeNull();
    expect(await keyRows()).toBe(before);
  });
});

describe('accountant keys at creation', () => {
  test('R13: only an accounting office can create ACCOUNTANT keys (ACCOUNTANT_KEY_NOT_SUPPORTED elsewhere)', async () => {
    const regular = await kit.app.seed.company({
      name: 'Vanlig AS',
      kind: CompanyKind.REGULAR,
      integrationsActive: true,
    });
    const admin = await addEmployee(kit.app, regular, ALL_PERMISSIONS, 'Vanlig admin');
    const token = await admin.session();
    const input = {
      employeeId: admin.employee.id,
      applicationId: kit.world.apps.fiken.id,
      name: 'Fiken',
      accessMode: 'CUSTOM' as const,
    };

    const refused = await kit.app.api.request(CREATE_KEY, { input: { ...input, accountantKey: true } }, { token });
    expectCode(refused, 'ACCOUNTANT_KEY_NOT_SUPPORTED');
    expect(await kit.app.server.db.manager.countBy(UserKey, { companyId: regular.id })).toBe(0);
    // the same application as an end-user key is fine there
    const plain = await createKey(kit.app, token, input);
    expect(plain.userKey.kind).toBe('EMPLOYEE');
    // and at the office an accountant key is created
    const office = await createKey(kit.app, kit.token.kari, {
      ...input,
      employeeId: kit.world.kari.id,
      accountantKey: true,
    });
    expect(office.userKey.kind).toBe('ACCOUNTANT');
  });

  test('R14: an accountant key needs an application that supports accountant keys, or a custom name', async () => {
    const before = await keyRows();
    const unsupported = await requestKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.timeliste.id,
      name: 'Timer',
      accessMode: 'CUSTOM',
      accountantKey: true,
    });
    expectCode(unsupported, 'ACCOUNTANT_KEY_NOT_SUPPORTED');
    expect(unsupported.errors[0].message).toContain('Timeliste Pro');
    expect(await keyRows()).toBe(before);

    const supported = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.powerOffice.id,
      accountantKey: true,
    });
    expect(supported.userKey.kind).toBe('ACCOUNTANT');
    const custom = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      customApplicationName: 'Kontorets egen integrasjon',
      accountantKey: true,
    });
    expect(custom.userKey.kind).toBe('ACCOUNTANT');
    // an unsupported application is still fine for an end-user key
    const endUser = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.timeliste.id,
    });
    expect(endUser.userKey.kind).toBe('EMPLOYEE');
  });
});
