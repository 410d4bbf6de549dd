import { Permission, PermissionSet } from '../../server/src/auth/permission';
import type { Application } from '../../server/src/modules/applications/application.entity';
import type { AccessTemplate } from '../../server/src/modules/clients/access-template.entity';
import { CompanyKind, type Company } from '../../server/src/modules/companies/company.entity';
import type { Employee } from '../../server/src/modules/employees/employee.entity';
import { UserKeyKind, type UserKey } from '../../server/src/modules/keys/user-key.entity';
import { allowedNetworksInput } from '../../server/src/rules/lifecycle';
import type { SeedBuilder } from '../../server/src/seed/seed-builder';
import type { BenchData, DataSizes, PartnerKey } from './sizes';

/**
 * The benchmark's data set, written by the server's SeedBuilder (in bulk mode when the caller
 * gives it a BulkInsertManager): the same entities the demo data and the test fixtures are made
 * of, so the bench measures rows as the server writes them. One accounting office with the
 * Integrations add-on, its clients (each with a client relation, API access on), employees, an
 * application catalog, access templates, user keys of both kinds, client links and customers.
 * Nothing goes through the API, so there are no audit events. Secrets of the partner keys are
 * returned in memory; every other secret is thrown away.
 */

const PASSWORD = 'bench-password';
const ALL = PermissionSet.ALL.bits;
const permissionsOf = (bits: number): Permission[] => PermissionSet.fromBits(bits).toArray();
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** A small deterministic generator, so two runs build the same shape of data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const APPLICATIONS: { name: string; vendor: string; accountant: boolean }[] = [
  { name: 'Fiken Sync', vendor: 'Fiken AS', accountant: true },
  { name: 'PowerOffice Bridge', vendor: 'PowerOffice AS', accountant: true },
  { name: 'Bank Feed', vendor: 'Bankdata AS', accountant: true },
  { name: 'Timeliste Pro', vendor: 'Timeliste AS', accountant: false },
  { name: 'Lønn Link', vendor: 'Lønnsdata AS', accountant: true },
  { name: 'Kvittering Scan', vendor: 'Skann AS', accountant: false },
];

interface Office {
  office: Company;
  /** Clients with links and customers; the first is the main client. */
  clients: Company[];
  /** clients, then the bulk-only clients. */
  allClients: Company[];
  employees: Employee[];
  /** Permission bits of each employee. */
  employeeBits: number[];
  applications: Application[];
  templates: { bookkeeping: AccessTemplate; readOnly: AccessTemplate; payroll: AccessTemplate };
}

/** The office, its clients with their relations, its employees (the first ones with every permission). */
async function seedOffice(seed: SeedBuilder, sizes: DataSizes, rnd: () => number): Promise<Office> {
  const office = await seed.company({
    name: 'Bench Regnskap AS',
    orgNumber: '900000000',
    kind: CompanyKind.ACCOUNTING_OFFICE,
    integrationsActive: true,
  });
  const allClients: Company[] = [];
  for (let i = 0; i < sizes.clients + sizes.bulkOnlyClients; i++)
    allClients.push(await seed.company({ name: `Klient ${pad(i, 4)} AS`, orgNumber: String(800_000_000 + i) }));
  const employeeBits = Array.from({ length: sizes.employees }, (_, i) =>
    i < sizes.fullEmployees ? ALL : (Math.floor(rnd() * ALL) | PermissionSet.of([Permission.LOGIN]).bits) & ALL,
  );
  const employees: Employee[] = [];
  for (const [i, bits] of employeeBits.entries()) {
    const employee = await seed.employee(office, {
      name: `Ansatt ${pad(i, 3)}`,
      email: i === 0 ? 'admin@bench-regnskap.example' : `ansatt${i}@bench-regnskap.example`,
      password: PASSWORD,
      permissions: permissionsOf(bits),
      annualSalary: 500_000 + Math.floor(rnd() * 500_000),
    });
    employees.push(employee);
  }
  await seed.markIntegrationsActivatedBy(office, employees[0]);
  const applications: Application[] = [];
  for (const a of APPLICATIONS)
    applications.push(await seed.application({ name: a.name, vendor: a.vendor, supportsAccountantKeys: a.accountant }));
  const templates = {
    bookkeeping: await seed.accessTemplate(office, 'Bokføring', [
      Permission.CUSTOMER_READ,
      Permission.CUSTOMER_WRITE,
      Permission.INVOICE_READ,
      Permission.INVOICE_WRITE,
    ]),
    readOnly: await seed.accessTemplate(office, 'Kun lese', [Permission.CUSTOMER_READ, Permission.INVOICE_READ]),
    payroll: await seed.accessTemplate(office, 'Lønn og timer', [
      Permission.HOURS_READ_ALL,
      Permission.EMPLOYEE_READ,
      Permission.PAYROLL_READ,
    ]),
  };
  for (const [i, client] of allClients.entries())
    await seed.clientRelation(office, client, { apiAccess: true, accountant: employees[i % employees.length] });
  return {
    office,
    clients: allClients.slice(0, sizes.clients),
    allClients,
    employees,
    employeeBits,
    applications,
    templates,
  };
}

interface Keys {
  bulkKeyIds: string[];
  restoreKeyIds: string[];
  linkEditKeyIds: string[];
  /** The overview's accountant keys, with the secrets of the first `partnerKeys`. */
  accountantKeys: { userKey: UserKey; token: string | null }[];
}

/**
 * The networks the partner keys are allowed to call from: a partner's office, a cloud range, an
 * IPv6 block, and the loopback the bench calls from last, so every partner read checks the
 * allowlist entry by entry (the key's network allowlist is on the measured path).
 */
const PARTNER_NETWORKS = allowedNetworksInput(['10.20.0.0/16', '192.0.2.0/24', '2001:db8::/32', '127.0.0.0/8']);

/**
 * User keys: the reserved ones first (older IDs, so they stay off the overview's first page),
 * then the overview's, every other one an ACCOUNTANT key of an all-permission employee.
 */
async function seedKeys(seed: SeedBuilder, o: Office, sizes: DataSizes, rnd: () => number): Promise<Keys> {
  const accountantApps = o.applications.filter((a) => a.supportsAccountantKeys);
  let created = 0;
  const accountantKey = async (name: string, owner: number, custom: string | null = null, partner = false) => {
    const application = custom === null ? accountantApps[created % accountantApps.length] : null;
    created += 1;
    return seed.userKey(o.employees[owner % sizes.fullEmployees], {
      name,
      kind: UserKeyKind.ACCOUNTANT,
      application,
      customApplicationName: custom ?? undefined,
      permissions: permissionsOf(ALL),
      allowedNetworks: partner ? PARTNER_NETWORKS : undefined,
    });
  };
  const reserve = async (n: number, label: string): Promise<string[]> => {
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push((await accountantKey(`${label} ${i + 1}`, i)).userKey.id);
    return ids;
  };
  const keys: Keys = {
    bulkKeyIds: await reserve(sizes.bulkKeys, 'Bulk'),
    restoreKeyIds: await reserve(sizes.restoreKeys, 'Restore'),
    linkEditKeyIds: await reserve(sizes.linkEditKeys, 'Link edit'),
    accountantKeys: [],
  };
  for (let i = 0; i < sizes.userKeys; i++) {
    if (i % 2 === 0) {
      const custom = rnd() < 0.1 ? `Eget system ${i % 17}` : null;
      const partner = keys.accountantKeys.length < sizes.partnerKeys;
      const { userKey, token } = await accountantKey(`Regnskapsnøkkel ${i}`, i, custom, partner);
      keys.accountantKeys.push({ userKey, token: partner ? token : null });
      continue;
    }
    const owner = (i * 7) % o.employees.length;
    const application = rnd() < 0.1 ? null : o.applications[i % o.applications.length];
    created += 1;
    await seed.userKey(o.employees[owner], {
      name: `Nøkkel ${i}`,
      kind: UserKeyKind.EMPLOYEE,
      application,
      customApplicationName: application ? undefined : `Integrasjon ${i % 23}`,
      permissions: permissionsOf(o.employeeBits[owner] & Math.floor(rnd() * ALL)),
    });
  }
  return keys;
}

/**
 * Client links: each overview accountant key at `linksPerAccountantKey` clients, templates in
 * turn; the partner keys include the main client under "Kun lese" (CUSTOMER_READ).
 */
async function seedLinks(seed: SeedBuilder, o: Office, keys: Keys, sizes: DataSizes): Promise<PartnerKey[]> {
  const perKey = Math.min(sizes.linksPerAccountantKey, o.clients.length);
  const templateOrder = [o.templates.bookkeeping, o.templates.readOnly, o.templates.payroll];
  const partners: PartnerKey[] = [];
  for (const [j, { userKey, token }] of keys.accountantKeys.entries()) {
    const slots = Array.from({ length: perKey }, (_, s) => (j * perKey + s) % o.clients.length);
    if (token !== null && !slots.includes(0)) slots[0] = 0;
    for (const [s, slot] of slots.entries()) {
      const template =
        token !== null && slot === 0 ? o.templates.readOnly : templateOrder[(j + s) % templateOrder.length];
      await seed.clientLink(o.office, o.clients[slot], userKey, template);
    }
    if (token !== null) partners.push({ keyId: userKey.id, token, clientId: o.clients[0].id });
  }
  return partners;
}

/**
 * Customers: most at the main client, the rest spread over the other clients and interleaved
 * with the main client's in creation (= id) order, as customers of many companies are in life.
 */
async function seedCustomers(seed: SeedBuilder, clients: Company[], sizes: DataSizes) {
  const share = sizes.mainClientShare;
  const firstIds: string[] = [];
  const tail: string[] = [];
  for (let n = 0; n < sizes.customers; n++) {
    const atMain = Math.floor((n + 1) * share) > Math.floor(n * share);
    const company = atMain || clients.length === 1 ? clients[0] : clients[1 + (n % (clients.length - 1))];
    const { id } = await seed.customer(company, `Kunde ${pad(n, 6)} AS`, {
      orgNumber: String(700_000_000 + n),
      email: `post@kunde${n}.example`,
    });
    if (!atMain) continue;
    if (firstIds.length < 20) firstIds.push(id);
    tail.push(id);
    if (tail.length > 21) tail.shift();
  }
  return { count: Math.floor(sizes.customers * share), firstIds, lastIds: tail.slice(1), deepAfterId: tail[0] };
}

/** Builds the data set with `seed` and returns the handles the scenarios need. */
export async function buildData(seed: SeedBuilder, sizes: DataSizes): Promise<BenchData> {
  const rnd = random(20260101);
  const office = await seedOffice(seed, sizes, rnd);
  const keys = await seedKeys(seed, office, sizes, rnd);
  const partners = await seedLinks(seed, office, keys, sizes);
  const mainCustomers = await seedCustomers(seed, office.clients, sizes);
  const t = office.templates;
  return {
    officeId: office.office.id,
    mainClientId: office.clients[0].id,
    clientIds: office.clients.map((c) => c.id),
    allClientIds: office.allClients.map((c) => c.id),
    templates: { bookkeeping: t.bookkeeping.id, readOnly: t.readOnly.id, payroll: t.payroll.id },
    admin: { id: office.employees[0].id, email: 'admin@bench-regnskap.example', password: PASSWORD },
    partners,
    bulkKeyIds: keys.bulkKeyIds,
    restoreKeyIds: keys.restoreKeyIds,
    linkEditKeyIds: keys.linkEditKeyIds,
    mainCustomers,
  };
}
