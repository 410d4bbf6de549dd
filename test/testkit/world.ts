import { Permission } from '../../server/src/auth/permission';
import { CompanyKind, type Company } from '../../server/src/modules/companies/company.entity';
import type { Application } from '../../server/src/modules/applications/application.entity';
import type { AccessTemplate } from '../../server/src/modules/clients/access-template.entity';
import type { Employee } from '../../server/src/modules/employees/employee.entity';
import type { SeedBuilder } from '../../server/src/seed/seed-builder';

export const ALL_PERMISSIONS = Object.values(Permission);
export const PASSWORD = 'demo-password';

export interface World {
  office: Company;
  kari: Employee;
  ola: Employee;
  per: Employee;
  bokforing: AccessTemplate;
  kunLese: AccessTemplate;
  bakeri: Company;
  fjordFisk: Company;
  bakeriAdmin: Employee;
  fjordAdmin: Employee;
  apps: { fiken: Application; powerOffice: Application; timeliste: Application; bankFeed: Application };
  /** An unrelated company with its own admin and office, for tenant-isolation tests. */
  other: { office: Company; admin: Employee; client: Company; clientAdmin: Employee };
}

/** The demo world of SPEC section 6 (plus an unrelated tenant), with handles for tests. */
export async function buildWorld(seed: SeedBuilder): Promise<World> {
  const office = await seed.company({
    name: 'Regnskap AS',
    orgNumber: '910000001',
    kind: CompanyKind.ACCOUNTING_OFFICE,
    integrationsActive: true,
  });
  const kari = await seed.employee(office, {
    name: 'Kari Nordmann',
    email: 'kari@regnskap.example',
    password: PASSWORD,
    permissions: ALL_PERMISSIONS,
    annualSalary: 820000,
  });
  const ola = await seed.employee(office, {
    name: 'Ola Hansen',
    email: 'ola@regnskap.example',
    password: PASSWORD,
    permissions: [Permission.LOGIN, Permission.HOURS_REGISTER],
    annualSalary: 560000,
  });
  await seed.markIntegrationsActivatedBy(office, kari);
  const per = await seed.employee(office, {
    name: 'Per Berg',
    email: 'per@regnskap.example',
    password: PASSWORD,
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
  const apps = {
    fiken: await seed.application({ name: 'Fiken Sync', supportsAccountantKeys: true }),
    powerOffice: await seed.application({ name: 'PowerOffice Bridge', supportsAccountantKeys: true }),
    timeliste: await seed.application({ name: 'Timeliste Pro', supportsAccountantKeys: false }),
    bankFeed: await seed.application({ name: 'Bank Feed', supportsAccountantKeys: true }),
  };
  const bakeri = await seed.company({ name: 'Bakeri Hansen AS', orgNumber: '910000002' });
  const bakeriAdmin = await seed.employee(bakeri, {
    name: 'Hanne Hansen',
    email: 'admin@bakeri.example',
    password: PASSWORD,
    permissions: ALL_PERMISSIONS,
    annualSalary: 700000,
  });
  await seed.clientRelation(office, bakeri);
  const fjordFisk = await seed.company({ name: 'Fjord Fisk AS', orgNumber: '910000003' });
  const fjordAdmin = await seed.employee(fjordFisk, {
    name: 'Fredrik Fjord',
    email: 'admin@fjordfisk.example',
    password: PASSWORD,
    permissions: ALL_PERMISSIONS,
    annualSalary: 710000,
  });
  await seed.clientRelation(office, fjordFisk);
  for (const [client, admin] of [
    [bakeri, bakeriAdmin],
    [fjordFisk, fjordAdmin],
  ] as const) {
    for (const name of ['Kunde En AS', 'Kunde To AS']) {
      const customer = await seed.customer(client, `${name} (${client.name})`);
      await seed.invoice(client, customer, 1000.5);
    }
    await seed.hours(admin, '2026-11-02', 7.5, 'Bookkeeping');
  }
  const otherOffice = await seed.company({
    name: 'Annet Regnskap AS',
    orgNumber: '920000001',
    kind: CompanyKind.ACCOUNTING_OFFICE,
    integrationsActive: true,
  });
  const otherAdmin = await seed.employee(otherOffice, {
    name: 'Anne Annen',
    email: 'anne@annet.example',
    password: PASSWORD,
    permissions: ALL_PERMISSIONS,
    annualSalary: 900000,
  });
  const otherClient = await seed.company({ name: 'Fremmed Klient AS', orgNumber: '920000002' });
  const otherClientAdmin = await seed.employee(otherClient, {
    name: 'Frode Fremmed',
    email: 'admin@fremmed.example',
    password: PASSWORD,
    permissions: ALL_PERMISSIONS,
  });
  await seed.clientRelation(otherOffice, otherClient);
  await seed.customer(otherClient, 'Hemmelig Kunde AS');
  return {
    office,
    kari,
    ola,
    per,
    bokforing,
    kunLese,
    bakeri,
    fjordFisk,
    bakeriAdmin,
    fjordAdmin,
    apps,
    other: { office: otherOffice, admin: otherAdmin, client: otherClient, clientAdmin: otherClientAdmin },
  };
}
