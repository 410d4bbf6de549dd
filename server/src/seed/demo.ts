import { Permission } from '../auth/permission';
import type { Database } from '../db/database';
import { repairData } from '../db/migrations/data-repairs';
import type { Application } from '../modules/applications/application.entity';
import type { AccessTemplate } from '../modules/clients/access-template.entity';
import { Company, CompanyKind } from '../modules/companies/company.entity';
import type { Employee } from '../modules/employees/employee.entity';
import { SeedBuilder } from './seed-builder';

export const DEMO_PASSWORD = 'demo-password';

const ALL = Object.values(Permission);

/** The demo logins printed at start-up (SPEC section 6); the demo's people are seeded with these emails. */
export const DEMO_LOGINS = {
  kari: { email: 'kari@regnskap.example', who: 'Regnskap AS (accounting office), every permission' },
  ola: { email: 'ola@regnskap.example', who: 'Regnskap AS, LOGIN and HOURS_REGISTER only' },
  per: { email: 'per@regnskap.example', who: 'Regnskap AS, LOGIN, CUSTOMER_READ, INVOICE_READ, CLIENT_ADMIN' },
  bakeriAdmin: { email: 'admin@bakeri.example', who: 'Bakeri Hansen AS (client), every permission' },
  fjordAdmin: { email: 'admin@fjordfisk.example', who: 'Fjord Fisk AS (client), every permission' },
} as const;

/** The companies, people, templates and catalog of SPEC section 6, with handles (no business data). */
export interface DemoStructure {
  office: Company;
  kari: Employee;
  ola: Employee;
  per: Employee;
  bokforing: AccessTemplate;
  kunLese: AccessTemplate;
  apps: { fiken: Application; powerOffice: Application; timeliste: Application; bankFeed: Application };
  bakeri: Company;
  fjordFisk: Company;
  bakeriAdmin: Employee;
  fjordAdmin: Employee;
}

/** The demo's application catalog: three that support accountant keys, one that does not. */
async function seedDemoApplications(seed: SeedBuilder): Promise<DemoStructure['apps']> {
  const app = (name: string, vendor: string, description: string, supportsAccountantKeys = true) =>
    seed.application({ name, vendor, description, supportsAccountantKeys });
  return {
    fiken: await app('Fiken Sync', 'Fiken AS', 'Two-way sync of customers and invoices.'),
    powerOffice: await app('PowerOffice Bridge', 'PowerOffice', 'Moves ledgers between systems.'),
    timeliste: await app('Timeliste Pro', 'Timeliste AS', 'Time tracking for field workers.', false),
    bankFeed: await app('Bank Feed', 'Nordbank', 'Imports bank transactions.'),
  };
}

/**
 * Writes the structure of the demo data set: the office and its people and templates, the
 * application catalog, and the two clients with their admins (API access on). The demo names Kari
 * the clients' responsible accountant; tests start without one.
 */
export async function seedDemoStructure(seed: SeedBuilder, { withAccountant = true } = {}): Promise<DemoStructure> {
  const office = await seed.company({
    name: 'Regnskap AS',
    orgNumber: '910000001',
    kind: CompanyKind.ACCOUNTING_OFFICE,
    integrationsActive: true,
  });
  const kari = await seed.employee(office, {
    name: 'Kari Nordmann',
    email: DEMO_LOGINS.kari.email,
    password: DEMO_PASSWORD,
    permissions: ALL,
    annualSalary: 820000,
  });
  await seed.markIntegrationsActivatedBy(office, kari);
  const ola = await seed.employee(office, {
    name: 'Ola Hansen',
    email: DEMO_LOGINS.ola.email,
    password: DEMO_PASSWORD,
    permissions: [Permission.LOGIN, Permission.HOURS_REGISTER],
    annualSalary: 560000,
  });
  const per = await seed.employee(office, {
    name: 'Per Berg',
    email: DEMO_LOGINS.per.email,
    password: DEMO_PASSWORD,
    permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ, Permission.CLIENT_ADMIN],
    annualSalary: 640000,
  });
  const bokforing = await seed.accessTemplate(office, 'Bokføring', [
    Permission.CUSTOMER_READ,
    Permission.CUSTOMER_WRITE,
    Permission.INVOICE_READ,
    Permission.INVOICE_WRITE,
  ]);
  const kunLese = await seed.accessTemplate(office, 'Kun lese', [Permission.CUSTOMER_READ, Permission.INVOICE_READ]);
  const apps = await seedDemoApplications(seed);
  const client = async (name: string, orgNumber: string, adminName: string, email: string) => {
    const company = await seed.company({ name, orgNumber });
    const admin = await seed.employee(company, {
      name: adminName,
      email,
      password: DEMO_PASSWORD,
      permissions: ALL,
      annualSalary: 700000,
    });
    await seed.clientRelation(office, company, { apiAccess: true, accountant: withAccountant ? kari : undefined });
    return [company, admin] as const;
  };
  const [bakeri, bakeriAdmin] = await client(
    'Bakeri Hansen AS',
    '910000002',
    'Hanne Hansen',
    DEMO_LOGINS.bakeriAdmin.email,
  );
  const [fjordFisk, fjordAdmin] = await client(
    'Fjord Fisk AS',
    '910000003',
    'Fredrik Fjord',
    DEMO_LOGINS.fjordAdmin.email,
  );
  return { office, kari, ola, per, bokforing, kunLese, apps, bakeri, fjordFisk, bakeriAdmin, fjordAdmin };
}

/** Loads the demo data set of SPEC section 6 into an empty database. Returns whether it did. */
export async function seedDemoIfEmpty(db: Database): Promise<boolean> {
  if ((await db.manager.count(Company)) > 0) return false;
  await db.transaction(async (manager) => {
    const seed = new SeedBuilder(manager);
    const demo = await seedDemoStructure(seed);
    const customers = [
      {
        client: demo.bakeri,
        admin: demo.bakeriAdmin,
        names: ['Kafé Sentrum AS', 'Skolekantina Nord', 'Hotell Fjellro AS'],
      },
      {
        client: demo.fjordFisk,
        admin: demo.fjordAdmin,
        names: ['Sjømat Eksport AS', 'Restaurant Havet', 'Fiskebutikken Torget'],
      },
    ];
    for (const { client, admin, names } of customers) {
      for (const [i, name] of names.entries()) {
        const customer = await seed.customer(client, name, { email: `post@kunde${i + 1}.example` });
        await seed.invoice(client, customer, 1250 * (i + 1) + 0.5);
      }
      await seed.hours(admin, '2026-11-02', 7.5, 'Bookkeeping');
      await seed.hours(admin, '2026-11-03', 6, 'Inventory count');
    }
    await repairData((sql, params) => manager.query(sql, params));
  });
  return true;
}
