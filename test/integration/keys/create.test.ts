import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind } from '../../../server/src/modules/companies/company.entity';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { ALL_PERMISSIONS, buildWorld, type World } from '../../testkit/world';
import {
  CREATE_KEY,
  VIEWER,
  addEmployee,
  createKey,
  effectiveOf,
  expectOk,
  firstError,
  grantsWhere,
  sessionOf,
  setEmployeePermissions,
} from './helpers';

let app: TestApp;
let world: World;
let kari: string;
let ola: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await sessionOf(app, 'kari@regnskap.example');
  ola = await sessionOf(app, 'ola@regnskap.example');
});
afterAll(() => app.close());

const keyRows = () => app.server.db.manager.count(UserKey);
const CUSTOMERS = '{ customers(first: 5) { totalCount } }';
const REGISTER_HOURS =
  'mutation { registerHours(input: { date: "2026-11-03", hours: 7.5, description: "API" }) { hours employee { id } } }';

describe('R1 owner and company', () => {
  test('R1: a key belongs to the employee it was created on and acts as them, in their company only', async () => {
    const { token, userKey } = await createKey(app, kari, {
      employeeId: world.ola.id,
      permissions: [Permission.LOGIN, Permission.HOURS_REGISTER],
    });
    expect(userKey.owner).toEqual({ id: world.ola.id, name: 'Ola Hansen' });

    const viewer = expectOk(await app.api.request(VIEWER, {}, { token })).viewer;
    expect(viewer.employee.id).toBe(world.ola.id);
    expect(viewer.userKey.id).toBe(userKey.id);
    expect(viewer.company.id).toBe(world.office.id);
    const [row] = await app.server.db.manager.query(
      'SELECT owner_id AS owner, company_id AS company FROM user_key WHERE id = ?',
      [userKey.id],
    );
    expect(row).toEqual({ owner: world.ola.id, company: world.office.id });

    // an end-user key cannot be pointed at any other company
    for (const companyId of [world.bakeri.id, world.other.office.id]) {
      const elsewhere = await app.api.request(VIEWER, {}, { token, companyId });
      expect(codes(elsewhere)).toEqual(['FORBIDDEN']);
    }
  });

  test('R1: a key cannot be created on an employee of another company (NOT_FOUND, nothing stored)', async () => {
    const before = await keyRows();
    const atClient = await app.api.request(
      CREATE_KEY,
      { input: { employeeId: world.bakeriAdmin.id, customApplicationName: 'X', name: 'X', accessMode: 'CUSTOM' } },
      { token: kari },
    );
    expect(codes(atClient)).toEqual(['NOT_FOUND']);
    const anne = await sessionOf(app, 'anne@annet.example');
    const fromOutside = await app.api.request(
      CREATE_KEY,
      { input: { employeeId: world.ola.id, customApplicationName: 'X', name: 'X', accessMode: 'ALL_ACCESS' } },
      { token: anne },
    );
    expect(codes(fromOutside)).toEqual(['NOT_FOUND']);
    expect(await keyRows()).toBe(before);
  });
});

describe('R4 access modes', () => {
  test('R4: ALL_ACCESS holds every permission; those the owner lacks are locked and not effective', async () => {
    const { token, userKey } = await createKey(app, ola, { employeeId: world.ola.id, accessMode: 'ALL_ACCESS' });
    expect(userKey.permissions).toEqual(ALL_PERMISSIONS);
    expect(userKey.effectivePermissions).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(grantsWhere(userKey, 'granted')).toEqual(ALL_PERMISSIONS);
    expect(grantsWhere(userKey, 'effective')).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(grantsWhere(userKey, 'locked')).toEqual(
      ALL_PERMISSIONS.filter((p) => p !== Permission.LOGIN && p !== Permission.HOURS_REGISTER),
    );
    // locked permissions are inert: the key can register hours but not read customers
    expect(await effectiveOf(app, token)).toEqual([Permission.LOGIN, Permission.HOURS_REGISTER]);
    expect(expectOk(await app.api.request(REGISTER_HOURS, {}, { token })).registerHours.employee.id).toBe(world.ola.id);
    expect(codes(await app.api.request(CUSTOMERS, {}, { token }))).toEqual(['FORBIDDEN']);
  });

  test('R4: COPY_EMPLOYEE is a snapshot of the owner’s permissions at creation, not a live copy', async () => {
    const clerk = await addEmployee(app, world.office, [
      Permission.LOGIN,
      Permission.CUSTOMER_READ,
      Permission.INVOICE_READ,
    ]);
    const { token, userKey } = await createKey(app, kari, {
      employeeId: clerk.employee.id,
      accessMode: 'COPY_EMPLOYEE',
    });
    expect(userKey.permissions).toEqual([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    expect(grantsWhere(userKey, 'locked')).not.toContain(Permission.CUSTOMER_READ);

    await setEmployeePermissions(app, kari, clerk.employee.id, [
      Permission.LOGIN,
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
    ]);
    const later = expectOk(
      await app.api.request(`{ userKey(id: "${userKey.id}") { permissions } }`, {}, { token: kari }),
    );
    expect(later.userKey.permissions).toEqual([Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
    expect(await effectiveOf(app, token)).not.toContain(Permission.CUSTOMER_WRITE);
  });

  test('R4: CUSTOM without a list holds no permissions at all', async () => {
    const { token, userKey } = await createKey(app, kari, { employeeId: world.ola.id, accessMode: 'CUSTOM' });
    expect(userKey.permissions).toEqual([]);
    expect(userKey.effectivePermissions).toEqual([]);
    expect(grantsWhere(userKey, 'granted')).toEqual([]);
    expect(await effectiveOf(app, token)).toEqual([]);
    expect(codes(await app.api.request(REGISTER_HOURS, {}, { token }))).toEqual(['FORBIDDEN']);
  });

  test('R4: CUSTOM with a list holds exactly that list', async () => {
    const { token, userKey } = await createKey(app, kari, {
      employeeId: world.ola.id,
      accessMode: 'CUSTOM',
      permissions: [Permission.HOURS_REGISTER],
    });
    expect(userKey.permissions).toEqual([Permission.HOURS_REGISTER]);
    expect(await effectiveOf(app, token)).toEqual([Permission.HOURS_REGISTER]);
  });

  test('R4: a permission list with ALL_ACCESS or COPY_EMPLOYEE is BAD_USER_INPUT on permissions', async () => {
    for (const accessMode of ['ALL_ACCESS', 'COPY_EMPLOYEE']) {
      const res = await app.api.request(
        CREATE_KEY,
        {
          input: {
            employeeId: world.ola.id,
            customApplicationName: 'X',
            name: 'X',
            accessMode,
            permissions: [Permission.LOGIN],
          },
        },
        { token: kari },
      );
      expect(firstError(res).extensions.fields).toEqual([{ field: 'permissions', message: expect.any(String) }]);
    }
  });
});

describe('R7 application and name', () => {
  test('R7: a key for a catalog application shows that application and its name', async () => {
    const { userKey } = await createKey(app, kari, {
      employeeId: world.kari.id,
      applicationId: world.apps.fiken.id,
      name: 'Fiken for Regnskap',
    });
    expect(userKey.application).toEqual({ id: world.apps.fiken.id, name: 'Fiken Sync' });
    expect(userKey.applicationName).toBe('Fiken Sync');
    expect(userKey.name).toBe('Fiken for Regnskap');
  });

  test('R7: with custom setup the hand-typed application name is the key’s application name', async () => {
    const { userKey } = await createKey(app, kari, {
      employeeId: world.kari.id,
      customApplicationName: '  Hjemmelaget Lønnsrobot  ',
      name: 'Lønnsrobot',
    });
    expect(userKey.application).toBeNull();
    expect(userKey.applicationName).toBe('Hjemmelaget Lønnsrobot');
  });

  test('R7: names of exactly 100 characters are accepted', async () => {
    const { userKey } = await createKey(app, kari, {
      employeeId: world.kari.id,
      customApplicationName: 'a'.repeat(100),
      name: 'n'.repeat(100),
    });
    expect(userKey.applicationName).toHaveLength(100);
    expect(userKey.name).toHaveLength(100);
  });

  test('R7: lengths count characters, so 100 characters outside the basic plane (emoji) fit too', async () => {
    const { userKey } = await createKey(app, kari, {
      employeeId: world.kari.id,
      customApplicationName: '🧾'.repeat(100),
      name: 'Nøkkel 🔑 '.repeat(10).trim(),
    });
    expect([...userKey.applicationName]).toHaveLength(100);
    expect(userKey.name).toBe('Nøkkel 🔑 '.repeat(10).trim());
    const tooLong = await app.api.request(
      CREATE_KEY,
      {
        input: { employeeId: world.kari.id, customApplicationName: '🧾'.repeat(101), name: 'x', accessMode: 'CUSTOM' },
      },
      { token: kari },
    );
    expect(firstError(tooLong).extensions.fields).toEqual([
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
    const input: Record<string, unknown> = { employeeId: world.kari.id, ...base, ...override };
    if (input.applicationId === 'FIKEN') input.applicationId = world.apps.fiken.id;
    const before = await keyRows();
    const res = await app.api.request(CREATE_KEY, { input }, { token: kari });
    const error = firstError(res);
    expect(error.code).toBe('BAD_USER_INPUT');
    expect(error.extensions.fields).toEqual([{ field, message: expect.stringMatching(message) }]);
    expect(res.data).toBeNull();
    expect(await keyRows()).toBe(before);
  });
});

describe('accountant keys at creation', () => {
  test('R13: only an accounting office can create ACCOUNTANT keys (ACCOUNTANT_KEY_NOT_SUPPORTED elsewhere)', async () => {
    const regular = await app.seed.company({ name: 'Vanlig AS', kind: CompanyKind.REGULAR, integrationsActive: true });
    const admin = await addEmployee(app, regular, ALL_PERMISSIONS, 'Vanlig admin');
    const token = await admin.session();
    const input = {
      employeeId: admin.employee.id,
      applicationId: world.apps.fiken.id,
      name: 'Fiken',
      accessMode: 'CUSTOM' as const,
    };

    const refused = await app.api.request(CREATE_KEY, { input: { ...input, accountantKey: true } }, { token });
    expect(codes(refused)).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
    expect(await app.server.db.manager.countBy(UserKey, { companyId: regular.id })).toBe(0);
    // the same application as an end-user key is fine there
    const plain = await createKey(app, token, input);
    expect(plain.userKey.kind).toBe('EMPLOYEE');
    // and at the office an accountant key is created
    const office = await createKey(app, kari, { ...input, employeeId: world.kari.id, accountantKey: true });
    expect(office.userKey.kind).toBe('ACCOUNTANT');
  });

  test('R14: an accountant key needs an application that supports accountant keys, or a custom name', async () => {
    const before = await keyRows();
    const unsupported = await app.api.request(
      CREATE_KEY,
      {
        input: {
          employeeId: world.kari.id,
          applicationId: world.apps.timeliste.id,
          name: 'Timer',
          accessMode: 'CUSTOM',
          accountantKey: true,
        },
      },
      { token: kari },
    );
    expect(codes(unsupported)).toEqual(['ACCOUNTANT_KEY_NOT_SUPPORTED']);
    expect(unsupported.errors[0].message).toContain('Timeliste Pro');
    expect(await keyRows()).toBe(before);

    const supported = await createKey(app, kari, {
      employeeId: world.kari.id,
      applicationId: world.apps.powerOffice.id,
      accountantKey: true,
    });
    expect(supported.userKey.kind).toBe('ACCOUNTANT');
    const custom = await createKey(app, kari, {
      employeeId: world.kari.id,
      customApplicationName: 'Kontorets egen integrasjon',
      accountantKey: true,
    });
    expect(custom.userKey.kind).toBe('ACCOUNTANT');
    // an unsupported application is still fine for an end-user key
    const endUser = await createKey(app, kari, { employeeId: world.kari.id, applicationId: world.apps.timeliste.id });
    expect(endUser.userKey.kind).toBe('EMPLOYEE');
  });
});
