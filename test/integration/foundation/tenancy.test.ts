import { Permission } from '../../../server/src/auth/permission';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';

let app: TestApp;
let world: World;
let kari: string;
let anne: string;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  anne = await app.api.login('anne@annet.example');
});
afterAll(() => app.close());

describe('tenant isolation', () => {
  test('another company’s employee is NOT_FOUND, never FORBIDDEN', async () => {
    const res = await app.api.request(
      'query ($id: ID!) { employee(id: $id) { name } }',
      { id: world.other.admin.id },
      { token: kari },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const own = await app.api.request(
      'query ($id: ID!) { employee(id: $id) { name } }',
      { id: world.ola.id },
      { token: kari },
    );
    expect(own.data.employee.name).toBe('Ola Hansen');
  });

  test('another company’s key is NOT_FOUND and absent from the overview', async () => {
    const { userKey } = await app.seed.userKey(world.other.admin, { permissions: [Permission.LOGIN] });
    const res = await app.api.request(
      'query ($id: ID!) { userKey(id: $id) { id } }',
      { id: userKey.id },
      { token: kari },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    const list = await app.api.request('{ userKeys(first: 100) { edges { node { id } } } }', {}, { token: kari });
    expect(list.data.userKeys.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(userKey.id);
  });

  test('lists only ever hold the acting company’s rows', async () => {
    const res = await app.api.request(
      '{ employees(first: 100) { edges { node { name } } } customers { totalCount } }',
      {},
      { token: anne },
    );
    expect(res.data.employees.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Anne Annen']);
    expect(res.data.customers.totalCount).toBe(0);
  });

  test('an invoice cannot be made for another company’s customer', async () => {
    const foreign = await app.seed.customer(world.other.office, 'Foreign Customer AS');
    const res = await app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 10 }) { id } }',
      { c: foreign.id },
      { token: kari },
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
  });

  test('X-Company-Id of a company the caller has no link to is refused, whether or not it exists', async () => {
    const existing = await app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kari, companyId: world.other.client.id },
    );
    const invented = await app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kari, companyId: 'cmp_01J0000000000000000000000Z' },
    );
    expect(codes(existing)).toEqual(['FORBIDDEN']);
    expect(codes(invented)).toEqual(['FORBIDDEN']);
    expect(existing.errors[0].message.replace(world.other.client.id, 'X')).toBe(
      invented.errors[0].message.replace('cmp_01J0000000000000000000000Z', 'X'),
    );
  });

  test('a malformed X-Company-Id is BAD_USER_INPUT', async () => {
    const res = await app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kari, companyId: "1' OR '1'='1" },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
  });

  test('fields of another company’s employee that need a permission stay hidden even with that permission', async () => {
    // the client admin sees its responsible accountant (an office employee) but not the accountant's salary or access
    await app.server.db.manager.query('UPDATE client_relation SET accountant_employee_id = ? WHERE client_id = ?', [
      world.kari.id,
      world.bakeri.id,
    ]);
    const admin = await app.api.login('admin@bakeri.example');
    const res = await app.api.request(
      'mutation ($o: ID!) { setAccountantApiAccess(input: { accountingOfficeId: $o, enabled: true }) { accountant { name annualSalary permissions } } }',
      { o: world.office.id },
      { token: admin },
    );
    expect(res.data.setAccountantApiAccess.accountant).toEqual({
      name: 'Kari Nordmann',
      annualSalary: null,
      permissions: null,
    });
    expect(codes(res)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('acting company (X-Company-Id)', () => {
  test('without the header a request acts in the credential’s own company', async () => {
    const res = await app.api.request('{ company { id name kind } viewer { actingAtClient } }', {}, { token: kari });
    expect(res.data.company).toEqual({ id: world.office.id, name: 'Regnskap AS', kind: 'ACCOUNTING_OFFICE' });
    expect(res.data.viewer.actingAtClient).toBe(false);
  });

  test('the header with one’s own company id is the same as no header', async () => {
    const res = await app.api.request('{ company { id } }', {}, { token: kari, companyId: world.office.id });
    expect(res.data.company.id).toBe(world.office.id);
  });

  test('a linked office employee acts at the client with own permissions ∩ template', async () => {
    await app.seed.clientLink(world.office, world.bakeri, world.per, world.bokforing);
    const per = await app.api.login('per@regnskap.example');
    const res = await app.api.request(
      '{ company { name } viewer { actingAtClient effectivePermissions accessTemplate { name } } customers { totalCount } }',
      {},
      { token: per, companyId: world.bakeri.id },
    );
    expect(res.errors).toEqual([]);
    expect(res.data.company.name).toBe('Bakeri Hansen AS');
    // per: LOGIN CUSTOMER_READ INVOICE_READ CLIENT_ADMIN; Bokføring: CUSTOMER_* INVOICE_*
    expect(res.data.viewer).toEqual({
      actingAtClient: true,
      effectivePermissions: ['CUSTOMER_READ', 'INVOICE_READ'],
      accessTemplate: { name: 'Bokføring' },
    });
    expect(res.data.customers.totalCount).toBe(2);
  });
});

describe('business data', () => {
  test('createCustomer, registerHours and createInvoice write to the acting company and read back', async () => {
    const c = await app.api.request(
      'mutation { createCustomer(input: { name: "Ny Kunde AS", orgNumber: "999888777", email: "post@ny.example" }) { id name orgNumber email } }',
      {},
      { token: kari },
    );
    expect(c.errors).toEqual([]);
    expect(c.data.createCustomer).toMatchObject({
      name: 'Ny Kunde AS',
      orgNumber: '999888777',
      email: 'post@ny.example',
    });
    const inv1 = await app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 1234.5 }) { number amount customer { name } } }',
      { c: c.data.createCustomer.id },
      { token: kari },
    );
    const inv2 = await app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 10 }) { number } }',
      { c: c.data.createCustomer.id },
      { token: kari },
    );
    expect(inv1.data.createInvoice).toEqual({ number: '1', amount: 1234.5, customer: { name: 'Ny Kunde AS' } });
    expect(inv2.data.createInvoice.number).toBe('2');
    const h = await app.api.request(
      'mutation { registerHours(input: { date: "2026-11-20", hours: 7.25, description: "Avstemming" }) { date hours description employee { name } } }',
      {},
      { token: kari },
    );
    expect(h.data.registerHours).toEqual({
      date: '2026-11-20',
      hours: 7.25,
      description: 'Avstemming',
      employee: { name: 'Kari Nordmann' },
    });
    const read = await app.api.request(
      '{ customers { totalCount } invoices { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kari },
    );
    expect(read.data).toEqual({
      customers: { totalCount: 1 },
      invoices: { totalCount: 2 },
      timesheetEntries: { totalCount: 1 },
    });
  });

  test('bad business input is BAD_USER_INPUT naming each field, and nothing is written', async () => {
    const before = await app.api.request(
      '{ customers { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kari },
    );
    const res = await app.api.request(
      'mutation { createCustomer(input: { name: "", orgNumber: "12", email: "not-an-email" }) { id } }',
      {},
      { token: kari },
    );
    expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    expect((res.errors[0].extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual([
      'name',
      'orgNumber',
      'email',
    ]);
    const hours = await app.api.request(
      'mutation { registerHours(input: { date: "2026-02-30", hours: 25 }) { id } }',
      {},
      { token: kari },
    );
    expect((hours.errors[0].extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['date', 'hours']);
    const after = await app.api.request(
      '{ customers { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kari },
    );
    expect(after.data).toEqual(before.data);
  });

  test('an employee without HOURS_READ_ALL sees only their own hours', async () => {
    const ola = await app.api.login('ola@regnskap.example');
    await app.api.request(
      'mutation { registerHours(input: { date: "2026-11-21", hours: 1 }) { id } }',
      {},
      { token: ola },
    );
    const res = await app.api.request(
      '{ timesheetEntries(first: 100) { edges { node { employee { name } } } } }',
      {},
      { token: ola },
    );
    const names = res.data.timesheetEntries.edges.map(
      (e: { node: { employee: { name: string } } }) => e.node.employee.name,
    );
    expect(names).toEqual(['Ola Hansen']);
  });

  test('first outside 1–100 and a foreign cursor are BAD_USER_INPUT', async () => {
    for (const q of [
      '{ customers(first: 0) { totalCount } }',
      '{ customers(first: 101) { totalCount } }',
      '{ customers(after: "bm90LWEtY3Vyc29y") { totalCount } }',
    ]) {
      const res = await app.api.request(q, {}, { token: kari });
      expect(codes(res)).toEqual(['BAD_USER_INPUT']);
    }
  });

  test('setEmployeePermissions by a user administrator changes the employee; adding what the admin lacks is refused', async () => {
    const res = await app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN, HOURS_REGISTER, CUSTOMER_READ]) { permissions } }',
      { id: world.ola.id },
      { token: kari },
    );
    expect(res.data.setEmployeePermissions.permissions).toEqual(['LOGIN', 'HOURS_REGISTER', 'CUSTOMER_READ']);
    const limitedAdmin = await app.seed.employee(world.office, {
      name: 'Limited Admin',
      email: 'limited@regnskap.example',
      password: 'demo-password',
      permissions: [Permission.LOGIN, Permission.USER_ADMIN, Permission.EMPLOYEE_READ],
    });
    const token = await app.api.login('limited@regnskap.example');
    const refused = await app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [PAYROLL_READ, USER_ADMIN, LOGIN, EMPLOYEE_READ]) { id } }',
      { id: limitedAdmin.id },
      { token },
    );
    expect(codes(refused)).toEqual(['PERMISSION_CEILING_EXCEEDED']);
    expect(refused.errors[0].extensions?.permissions).toEqual(['PAYROLL_READ']);
  });
});
