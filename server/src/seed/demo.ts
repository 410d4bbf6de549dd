import { Permission } from '../auth/permission';
import type { Database } from '../db/database';
import { Company, CompanyKind } from '../modules/companies/company.entity';
import { SeedBuilder } from './seed-builder';

export const DEMO_PASSWORD = 'demo-password';

const ALL = Object.values(Permission);

/** The demo logins printed at start-up (SPEC section 6). */
export const DEMO_LOGINS = [
  { email: 'kari@regnskap.example', who: 'Regnskap AS (accounting office), every permission' },
  { email: 'ola@regnskap.example', who: 'Regnskap AS, LOGIN and HOURS_REGISTER only' },
  { email: 'per@regnskap.example', who: 'Regnskap AS, LOGIN, CUSTOMER_READ, INVOICE_READ, CLIENT_ADMIN' },
  { email: 'admin@bakeri.example', who: 'Bakeri Hansen AS (client), every permission' },
  { email: 'admin@fjordfisk.example', who: 'Fjord Fisk AS (client), every permission' },
] as const;

/** Loads the demo data set of SPEC section 6 into an empty database. Returns whether it did. */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  if ((await db.manager.count(Company)) > 0) return false;
  await db.transaction(async (manager) => {
    const seed = new SeedBuilder(manager);
    const office = await seed.company({
      name: 'Regnskap AS',
      orgNumber: '910000001',
      kind: CompanyKind.ACCOUNTING_OFFICE,
      integrationsActive: true,
    });
    const kari = await seed.employee(office, {
      name: 'Kari Nordmann',
      email: 'kari@regnskap.example',
      password: DEMO_PASSWORD,
      permissions: ALL,
      annualSalary: 820000,
    });
    await seed.markIntegrationsActivatedBy(office, kari);
    await seed.employee(office, {
      name: 'Ola Hansen',
      email: 'ola@regnskap.example',
      password: DEMO_PASSWORD,
      permissions: [Permission.LOGIN, Permission.HOURS_REGISTER],
      annualSalary: 560000,
    });
    await seed.employee(office, {
      name: 'Per Berg',
      email: 'per@regnskap.example',
      password: DEMO_PASSWORD,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ, Permission.CLIENT_ADMIN],
      annualSalary: 640000,
    });
    await seed.accessTemplate(office, 'Bokføring', [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
      Permission.INVOICE_WRITE,
    ]);
    await seed.accessTemplate(office, 'Kun lese', [Permission.CUSTOMER_READ, Permission.INVOICE_READ]);

    await seed.application({
      name: 'Fiken Sync',
      vendor: 'Fiken AS',
      description: 'Two-way sync of customers and invoices.',
      supportsAccountantKeys: true,
    });
    await seed.application({
      name: 'PowerOffice Bridge',
      vendor: 'PowerOffice',
      description: 'Moves ledgers between systems.',
      supportsAccountantKeys: true,
    });
    await seed.application({
      name: 'Timeliste Pro',
      vendor: 'Timeliste AS',
      description: 'Time tracking for field workers.',
      supportsAccountantKeys: false,
    });
    await seed.application({
      name: 'Bank Feed',
      vendor: 'Nordbank',
      description: 'Imports bank transactions.',
      supportsAccountantKeys: true,
    });

    const clients = [
      {
        name: 'Bakeri Hansen AS',
        orgNumber: '910000002',
        admin: 'admin@bakeri.example',
        adminName: 'Hanne Hansen',
        customers: ['Kafé Sentrum AS', 'Skolekantina Nord', 'Hotell Fjellro AS'],
      },
      {
        name: 'Fjord Fisk AS',
        orgNumber: '910000003',
        admin: 'admin@fjordfisk.example',
        adminName: 'Fredrik Fjord',
        customers: ['Sjømat Eksport AS', 'Restaurant Havet', 'Fiskebutikken Torget'],
      },
    ];
    for (const c of clients) {
      const client = await seed.company({ name: c.name, orgNumber: c.orgNumber });
      const admin = await seed.employee(client, {
        name: c.adminName,
        email: c.admin,
        password: DEMO_PASSWORD,
        permissions: ALL,
        annualSalary: 700000,
      });
      await seed.clientRelation(office, client, { apiAccess: true, accountant: kari });
      for (const [i, name] of c.customers.entries()) {
        const customer = await seed.customer(client, name, { email: `post@kunde${i + 1}.example` });
        await seed.invoice(client, customer, 1250 * (i + 1) + 0.5);
      }
      await seed.hours(admin, '2026-11-02', 7.5, 'Bookkeeping');
      await seed.hours(admin, '2026-11-03', 6, 'Inventory count');
    }
  });
  return true;
}
