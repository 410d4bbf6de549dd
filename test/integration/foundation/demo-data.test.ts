import { seedDemoIfEmpty } from '../../../server/src/seed/demo';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ config: { seedDemo: true }, seed: false });

async function as(email: string, query: string, companyId?: string) {
  const token = await kit.app.api.login(email);
  const res = await kit.app.api.request(query, {}, { token, companyId });
  expect(res.errors).toEqual([]);
  return res.data;
}

test('the demo data of SPEC section 6 is loaded into an empty database', async () => {
  const office = await as(
    'kari@regnskap.example',
    `{ company { name orgNumber kind integrationsActive integrationsActivatedBy { name } }
       employees(first: 10) { edges { node { email permissions } } }
       accessTemplates { name permissions }
       clients { edges { node { company { name orgNumber integrationsActive } apiAccess } } }
       applications { edges { node { name supportsAccountantKeys } } } }`,
  );
  expect(office.company).toEqual({
    name: 'Regnskap AS',
    orgNumber: '910000001',
    kind: 'ACCOUNTING_OFFICE',
    integrationsActive: true,
    integrationsActivatedBy: { name: 'Kari Nordmann' },
  });
  const perms = Object.fromEntries(
    office.employees.edges.map((e: { node: { email: string; permissions: string[] } }) => [
      e.node.email,
      e.node.permissions,
    ]),
  );
  expect(perms['kari@regnskap.example']).toHaveLength(12);
  expect(perms['ola@regnskap.example']).toEqual(['LOGIN', 'HOURS_REGISTER']);
  expect(perms['per@regnskap.example']).toEqual(['LOGIN', 'CUSTOMER_READ', 'INVOICE_READ', 'CLIENT_ADMIN']);
  expect(office.accessTemplates).toEqual([
    { name: 'Bokføring', permissions: ['CUSTOMER_READ', 'CUSTOMER_WRITE', 'INVOICE_READ', 'INVOICE_WRITE'] },
    { name: 'Kun lese', permissions: ['CUSTOMER_READ', 'INVOICE_READ'] },
  ]);
  expect(office.clients.edges.map((e: { node: unknown }) => e.node)).toEqual([
    { company: { name: 'Bakeri Hansen AS', orgNumber: '910000002', integrationsActive: false }, apiAccess: true },
    { company: { name: 'Fjord Fisk AS', orgNumber: '910000003', integrationsActive: false }, apiAccess: true },
  ]);
  const apps = Object.fromEntries(
    office.applications.edges.map((e: { node: { name: string; supportsAccountantKeys: boolean } }) => [
      e.node.name,
      e.node.supportsAccountantKeys,
    ]),
  );
  expect(apps).toMatchObject({
    'Fiken Sync': true,
    'PowerOffice Bridge': true,
    'Timeliste Pro': false,
    'Bank Feed': true,
  });
});

test('each client has an admin with every permission and some customers, invoices and hours', async () => {
  for (const email of ['admin@bakeri.example', 'admin@fjordfisk.example']) {
    const data = await as(
      email,
      '{ viewer { effectivePermissions } customers { totalCount } invoices { totalCount } timesheetEntries { totalCount } }',
    );
    expect(data.viewer.effectivePermissions).toHaveLength(12);
    expect(data.customers.totalCount).toBeGreaterThan(0);
    expect(data.invoices.totalCount).toBeGreaterThan(0);
    expect(data.timesheetEntries.totalCount).toBeGreaterThan(0);
  }
});

test('a second start on the same database does not load the demo data again', async () => {
  expect(await seedDemoIfEmpty(kit.app.server.db)).toBe(false);
});
