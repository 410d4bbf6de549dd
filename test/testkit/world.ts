import { Permission } from '../../server/src/auth/permission';
import { CompanyKind, type Company } from '../../server/src/modules/companies/company.entity';
import type { Employee } from '../../server/src/modules/employees/employee.entity';
import { DEMO_PASSWORD, seedDemoStructure, type DemoStructure } from '../../server/src/seed/demo';
import type { SeedBuilder } from '../../server/src/seed/seed-builder';

export const ALL_PERMISSIONS = Object.values(Permission);
export const PASSWORD = DEMO_PASSWORD;

export interface World extends DemoStructure {
  /** An unrelated company with its own admin and office, for tenant-isolation tests. */
  other: { office: Company; admin: Employee; client: Company; clientAdmin: Employee };
}

/**
 * The demo world of SPEC section 6 (the same structure `npm start` loads, without a responsible
 * accountant), a little business data of its own, and an unrelated tenant, with handles for tests.
 */
export async function buildWorld(seed: SeedBuilder): Promise<World> {
  const demo = await seedDemoStructure(seed, { withAccountant: false });
  for (const [client, admin] of [
    [demo.bakeri, demo.bakeriAdmin],
    [demo.fjordFisk, demo.fjordAdmin],
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
    ...demo,
    other: { office: otherOffice, admin: otherAdmin, client: otherClient, clientAdmin: otherClientAdmin },
  };
}
