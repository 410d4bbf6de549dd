import { Permission } from '../../../server/src/auth/permission';
import { useWorld } from '../../testkit/run';
import { expectCode, expectCodes, expectNotFound } from '../../testkit/expect';

const kit = useWorld({ sessions: ['kari', 'anne'] });

describe('tenant isolation', () => {
  test('another company’s employee is NOT_FOUND, never FORBIDDEN', async () => {
    const res = await kit.app.api.request(
      'query ($id: ID!) { employee(id: $id) { name } }',
      { id: kit.world.other.admin.id },
      { token: kit.token.kari },
    );
    expectNotFound(res);
    const own = await kit.app.api.request(
      'query ($id: ID!) { employee(id: $id) { name } }',
      { id: kit.world.ola.id },
      { token: kit.token.kari },
    );
    expect(own.data.employee.name).toBe('Ola Hansen');
  });

  test('another company’s key is NOT_FOUND and absent from the overview', async () => {
    const { userKey } = await kit.app.seed.userKey(kit.world.other.admin, { permissions: [Permission.LOGIN] });
    const res = await kit.app.api.request(
      'query ($id: ID!) { userKey(id: $id) { id } }',
      { id: userKey.id },
      { token: kit.token.kari },
    );
    expectNotFound(res);
    const list = await kit.app.api.request(
      '{ userKeys(first: 100) { edges { node { id } } } }',
      {},
      { token: kit.token.kari },
    );
    expect(list.data.userKeys.edges.map((e: { node: { id: string } }) => e.node.id)).not.toContain(userKey.id);
  });

  test('lists only ever hold the acting company’s rows', async () => {
    const res = await kit.app.api.request(
      '{ employees(first: 100) { edges { node { name } } } customers { totalCount } }',
      {},
      { token: kit.token.anne },
    );
    expect(res.data.employees.edges.map((e: { node: { name: string } }) => e.node.name)).toEqual(['Anne Annen']);
    expect(res.data.customers.totalCount).toBe(0);
  });

  test('an invoice cannot be made for another company’s customer', async () => {
    const foreign = await kit.app.seed.customer(kit.world.other.office, 'Foreign Customer AS');
    const res = await kit.app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 10 }) { id } }',
      { c: foreign.id },
      { token: kit.token.kari },
    );
    expectNotFound(res);
  });

  test('X-Company-Id of a company the caller has no link to is refused, whether or not it exists', async () => {
    const existing = await kit.app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kit.token.kari, companyId: kit.world.other.client.id },
    );
    const invented = await kit.app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kit.token.kari, companyId: 'cmp_01J0000000000000000000000Z' },
    );
    expectCode(existing, 'FORBIDDEN');
    expectCode(invented, 'FORBIDDEN');
    expect(existing.errors[0].message.replace(kit.world.other.client.id, 'X')).toBe(
      invented.errors[0].message.replace('cmp_01J0000000000000000000000Z', 'X'),
    );
  });

  test('a malformed X-Company-Id is BAD_USER_INPUT', async () => {
    const res = await kit.app.api.request(
      '{ viewer { company { name } } }',
      {},
      { token: kit.token.kari, companyId: "1' OR '1'='1" },
    );
    expectCode(res, 'BAD_USER_INPUT');
  });

  test('fields of another company’s employee that need a permission stay hidden even with that permission', async () => {
    // the client admin sees its responsible accountant (an office employee) but not the accountant's salary or access
    await kit.app.server.db.manager.query('UPDATE client_relation SET accountant_employee_id = ? WHERE client_id = ?', [
      kit.world.kari.id,
      kit.world.bakeri.id,
    ]);
    const admin = await kit.app.api.login('admin@bakeri.example');
    const res = await kit.app.api.request(
      'mutation ($o: ID!) { setAccountantApiAccess(input: { accountingOfficeId: $o, enabled: true }) { accountant { name annualSalary permissions } } }',
      { o: kit.world.office.id },
      { token: admin },
    );
    expect(res.data.setAccountantApiAccess.accountant).toEqual({
      name: 'Kari Nordmann',
      annualSalary: null,
      permissions: null,
    });
    expectCodes(res, ['FORBIDDEN', 'FORBIDDEN']);
  });
});

describe('acting company (X-Company-Id)', () => {
  test('without the header a request acts in the credential’s own company', async () => {
    const res = await kit.app.api.request(
      '{ company { id name kind } viewer { actingAtClient } }',
      {},
      { token: kit.token.kari },
    );
    expect(res.data.company).toEqual({ id: kit.world.office.id, name: 'Regnskap AS', kind: 'ACCOUNTING_OFFICE' });
    expect(res.data.viewer.actingAtClient).toBe(false);
  });

  test('the header with one’s own company id is the same as no header', async () => {
    const res = await kit.app.api.request(
      '{ company { id } }',
      {},
      { token: kit.token.kari, companyId: kit.world.office.id },
    );
    expect(res.data.company.id).toBe(kit.world.office.id);
  });

  test('a linked office employee acts at the client with own permissions ∩ template', async () => {
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, kit.world.per, kit.world.bokforing);
    const per = await kit.app.api.login('per@regnskap.example');
    const res = await kit.app.api.request(
      '{ company { name } viewer { actingAtClient effectivePermissions accessTemplate { name } } customers { totalCount } }',
      {},
      { token: per, companyId: kit.world.bakeri.id },
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
    const c = await kit.app.api.request(
      'mutation { createCustomer(input: { name: "Ny Kunde AS", orgNumber: "999888777", email: "post@ny.example" }) { id name orgNumber email } }',
      {},
      { token: kit.token.kari },
    );
    expect(c.errors).toEqual([]);
    expect(c.data.createCustomer).toMatchObject({
      name: 'Ny Kunde AS',
      orgNumber: '999888777',
      email: 'post@ny.example',
    });
    const inv1 = await kit.app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 1234.5 }) { number amount customer { name } } }',
      { c: c.data.createCustomer.id },
      { token: kit.token.kari },
    );
    const inv2 = await kit.app.api.request(
      'mutation ($c: ID!) { createInvoice(input: { customerId: $c, amount: 10 }) { number } }',
      { c: c.data.createCustomer.id },
      { token: kit.token.kari },
    );
    expect(inv1.data.createInvoice).toEqual({ number: '1', amount: 1234.5, customer: { name: 'Ny Kunde AS' } });
    expect(inv2.data.createInvoice.number).toBe('2');
    const h = await kit.app.api.request(
      'mutation { registerHours(input: { date: "2026-11-20", hours: 7.25, description: "Avstemming" }) { date hours description employee { name } } }',
      {},
      { token: kit.token.kari },
    );
    expect(h.data.registerHours).toEqual({
      date: '2026-11-20',
      hours: 7.25,
      description: 'Avstemming',
      employee: { name: 'Kari Nordmann' },
    });
    const read = await kit.app.api.request(
      '{ customers { totalCount } invoices { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kit.token.kari },
    );
    expect(read.data).toEqual({
      customers: { totalCount: 1 },
      invoices: { totalCount: 2 },
      timesheetEntries: { totalCount: 1 },
    });
  });

  test('bad business input is BAD_USER_INPUT naming each field, and nothing is written', async () => {
    const before = await kit.app.api.request(
      '{ customers { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kit.token.kari },
    );
    const res = await kit.app.api.request(
      'mutation { createCustomer(input: { name: "", orgNumber: "12", email: "not-an-email" }) { id } }',
      {},
      { token: kit.token.kari },
    );
    expectCode(res, 'BAD_USER_INPUT');
    expect((res.errors[0].extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual([
      'name',
      'orgNumber',
      'email',
    ]);
    const hours = await kit.app.api.request(
      'mutation { registerHours(input: { date: "2026-02-30", hours: 25 }) { id } }',
      {},
      { token: kit.token.kari },
    );
    expect((hours.errors[0].extensions?.fields as { field: string }[]).map((f) => f.field)).toEqual(['date', 'hours']);
    const after = await kit.app.api.request(
      '{ customers { totalCount } timesheetEntries { totalCount } }',
      {},
      { token: kit.token.kari },
    );
    expect(after.data).toEqual(before.data);
  });

  test('an employee without HOURS_READ_ALL sees only their own hours', async () => {
    const ola = await kit.app.api.login('ola@regnskap.example');
    await kit.app.api.request(
      'mutation { registerHours(input: { date: "2026-11-21", hours: 1 }) { id } }',
      {},
      { token: ola },
    );
    const res = await kit.app.api.request(
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
      const res = await kit.app.api.request(q, {}, { token: kit.token.kari });
      expectCode(res, 'BAD_USER_INPUT');
    }
  });

  test('setEmployeePermissions by a user administrator changes the employee; adding what the admin lacks is refused', async () => {
    const res = await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [LOGIN, HOURS_REGISTER, CUSTOMER_READ]) { permissions } }',
      { id: kit.world.ola.id },
      { token: kit.token.kari },
    );
    expect(res.data.setEmployeePermissions.permissions).toEqual(['LOGIN', 'HOURS_REGISTER', 'CUSTOMER_READ']);
    const limitedAdmin = await kit.app.seed.employee(kit.world.office, {
      name: 'Limited Admin',
      email: 'limited@regnskap.example',
      password: 'demo-password',
      permissions: [Permission.LOGIN, Permission.USER_ADMIN, Permission.EMPLOYEE_READ],
    });
    const token = await kit.app.api.login('limited@regnskap.example');
    const refused = await kit.app.api.request(
      'mutation ($id: ID!) { setEmployeePermissions(employeeId: $id, permissions: [PAYROLL_READ, USER_ADMIN, LOGIN, EMPLOYEE_READ]) { id } }',
      { id: limitedAdmin.id },
      { token },
    );
    expectCode(refused, 'PERMISSION_CEILING_EXCEEDED');
    expect(refused.errors[0].extensions?.permissions).toEqual(['PAYROLL_READ']);
  });
});
