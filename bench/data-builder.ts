import { performance } from 'node:perf_hooks';
import type { EntityManager } from 'typeorm';
import { hashPassword } from '../server/src/auth/password';
import { Permission, PermissionSet } from '../server/src/auth/permission';
import { KEY_PREFIX, issueSecret } from '../server/src/auth/secrets';
import { INTEGRATIONS_TERMS_VERSION } from '../server/src/modules/companies/company.service';
import { newId } from '../server/src/shared/ids';
import { bulkInsert, type Dialect, type SqlValue } from './bulk-insert';

/** How much data to build. The bench uses BENCH_SIZES, the load script smaller numbers. */
export interface DataSizes {
  clients: number;
  /** More client companies of the office, without links or customers: targets of bulkLinkClients only. */
  bulkOnlyClients: number;
  employees: number;
  /** Employees with every permission (the first ones); accountant keys belong to them. */
  fullEmployees: number;
  /** User keys shown in the overview: every other one is an ACCOUNTANT key. */
  userKeys: number;
  /** Client links per accountant key: links = userKeys / 2 × this. */
  linksPerAccountantKey: number;
  customers: number;
  /** Share of the customers at the main client (the partner and deep-page scenarios read there). */
  mainClientShare: number;
  /** Accountant keys whose secrets are kept, each linked to the main client under a read template. */
  partnerKeys: number;
  /** Fresh accountant keys without links, for bulkLinkClients (API and raw insert). */
  bulkKeys: number;
  /** Keys reserved for restoreUserKey. */
  restoreKeys: number;
  /** Accountant keys reserved for linkClient / unlinkClients. */
  linkEditKeys: number;
  /** Rows per INSERT statement. */
  chunkRows: number;
}

export const BENCH_SIZES: DataSizes = {
  clients: 2000,
  bulkOnlyClients: 3000,
  employees: 100,
  fullEmployees: 10,
  userKeys: 1000,
  linksPerAccountantKey: 40,
  customers: 100_000,
  mainClientShare: 0.95,
  partnerKeys: 4,
  bulkKeys: 12,
  restoreKeys: 0,
  linkEditKeys: 0,
  chunkRows: 2000,
};

export interface PartnerKey {
  keyId: string;
  /** The key's secret; kept in memory only, never printed. */
  token: string;
  clientId: string;
}

export interface BenchData {
  officeId: string;
  mainClientId: string;
  clientIds: string[];
  /** Every client of the office: clientIds, then the bulk-only clients. */
  allClientIds: string[];
  templates: { bookkeeping: string; readOnly: string; payroll: string };
  /** An office employee with every permission: logs in through the API. */
  admin: { id: string; email: string; password: string };
  partners: PartnerKey[];
  bulkKeyIds: string[];
  restoreKeyIds: string[];
  linkEditKeyIds: string[];
  /** The main client's customers in id order: the first page, and the id after which the last page starts. */
  mainCustomers: { count: number; firstIds: string[]; lastIds: string[]; deepAfterId: string };
  rows: Record<string, number>;
}

/** A small deterministic generator, so two runs build the same shape of data. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const ALL = PermissionSet.ALL.bits;
const bits = (...permissions: Permission[]): number => PermissionSet.of(permissions).bits;

const APPLICATIONS: { name: string; vendor: string; accountant: boolean }[] = [
  { name: 'Fiken Sync', vendor: 'Fiken AS', accountant: true },
  { name: 'PowerOffice Bridge', vendor: 'PowerOffice AS', accountant: true },
  { name: 'Bank Feed', vendor: 'Bankdata AS', accountant: true },
  { name: 'Timeliste Pro', vendor: 'Timeliste AS', accountant: false },
  { name: 'Lønn Link', vendor: 'Lønnsdata AS', accountant: true },
  { name: 'Kvittering Scan', vendor: 'Skann AS', accountant: false },
];

type Log = (line: string) => void;

/**
 * Builds the data set with multi-row INSERTs straight into the tables (not through the API, and
 * therefore without audit events): one accounting office with the Integrations add-on, its
 * clients (each with a client relation, API access on), employees, an application catalog,
 * access templates, user keys of both kinds, client links and customers. Prints rows and time per
 * table. Secrets of the partner keys are returned in memory; every other secret is thrown away.
 */
export async function buildData(
  manager: EntityManager,
  dialect: Dialect,
  sizes: DataSizes,
  log: Log = (line) => console.log(line),
): Promise<BenchData> {
  const rnd = random(20260101);
  const now = new Date();
  const rows: Record<string, number> = {};
  const chunk = sizes.chunkRows;
  const step = async (table: string, columns: readonly string[], data: Iterable<SqlValue[]>): Promise<void> => {
    const started = performance.now();
    const n = await bulkInsert(manager, dialect, table, columns, data, chunk);
    rows[table] = (rows[table] ?? 0) + n;
    const ms = performance.now() - started;
    log(
      `  ${table.padEnd(16)} ${String(n).padStart(7)} rows  ${(ms / 1000).toFixed(2).padStart(6)} s  (${Math.round((n / ms) * 1000)} rows/s)`,
    );
  };

  // companies: the office and its clients
  const officeId = newId('company');
  const adminId = newId('employee');
  const clientIds = Array.from({ length: sizes.clients }, () => newId('company'));
  const allClientIds = [...clientIds, ...Array.from({ length: sizes.bulkOnlyClients }, () => newId('company'))];
  await step(
    'company',
    [
      'id',
      'name',
      'org_number',
      'kind',
      'integrations_activated_at',
      'integrations_activated_by_id',
      'integrations_terms_version',
      'next_invoice_number',
      'created_at',
    ],
    (function* () {
      yield [
        officeId,
        'Bench Regnskap AS',
        '900000000',
        'ACCOUNTING_OFFICE',
        now,
        adminId,
        INTEGRATIONS_TERMS_VERSION,
        1,
        now,
      ];
      for (let i = 0; i < allClientIds.length; i++) {
        yield [
          allClientIds[i],
          `Klient ${String(i).padStart(4, '0')} AS`,
          String(800_000_000 + i),
          'REGULAR',
          null,
          null,
          null,
          1,
          now,
        ];
      }
    })(),
  );

  // employees of the office: the first ones with every permission
  const started = performance.now();
  const passwordHash = await hashPassword('bench-password');
  log(`  (one scrypt password hash, reused for every employee: ${Math.round(performance.now() - started)} ms)`);
  const employeeIds = [adminId, ...Array.from({ length: sizes.employees - 1 }, () => newId('employee'))];
  const employeeBits = employeeIds.map((_, i) => {
    if (i < sizes.fullEmployees) return ALL;
    return (Math.floor(rnd() * ALL) | bits(Permission.LOGIN)) & ALL;
  });
  const admin = { id: adminId, email: 'admin@bench-regnskap.example', password: 'bench-password' };
  await step(
    'employee',
    ['id', 'company_id', 'name', 'email', 'password_hash', 'permission_bits', 'annual_salary', 'created_at'],
    employeeIds.map((id, i) => [
      id,
      officeId,
      `Ansatt ${String(i).padStart(3, '0')}`,
      i === 0 ? admin.email : `ansatt${i}@bench-regnskap.example`,
      passwordHash,
      employeeBits[i],
      500_000 + Math.floor(rnd() * 500_000),
      now,
    ]),
  );

  // the application catalog
  const applicationIds = APPLICATIONS.map(() => newId('application'));
  const accountantApps = applicationIds.filter((_, i) => APPLICATIONS[i].accountant);
  await step(
    'application',
    ['id', 'name', 'vendor', 'description', 'supports_accountant_keys'],
    APPLICATIONS.map((a, i) => [applicationIds[i], a.name, a.vendor, null, a.accountant]),
  );

  // access templates of the office
  const templates = {
    bookkeeping: newId('accessTemplate'),
    readOnly: newId('accessTemplate'),
    payroll: newId('accessTemplate'),
  };
  const templateOrder = [templates.bookkeeping, templates.readOnly, templates.payroll];
  await step(
    'access_template',
    ['id', 'office_id', 'name', 'permission_bits', 'created_at', 'updated_at'],
    [
      [
        templates.bookkeeping,
        officeId,
        'Bokføring',
        bits(Permission.CUSTOMER_READ, Permission.CUSTOMER_WRITE, Permission.INVOICE_READ, Permission.INVOICE_WRITE),
        now,
        now,
      ],
      [templates.readOnly, officeId, 'Kun lese', bits(Permission.CUSTOMER_READ, Permission.INVOICE_READ), now, now],
      [
        templates.payroll,
        officeId,
        'Lønn og timer',
        bits(Permission.HOURS_READ_ALL, Permission.EMPLOYEE_READ, Permission.PAYROLL_READ),
        now,
        now,
      ],
    ],
  );

  // client relations, API access on
  await step(
    'client_relation',
    ['id', 'office_id', 'client_id', 'accountant_employee_id', 'api_access', 'api_access_changed_at', 'created_at'],
    allClientIds.map((clientId, i) => [
      newId('clientRelation'),
      officeId,
      clientId,
      employeeIds[i % employeeIds.length],
      true,
      null,
      now,
    ]),
  );

  // user keys: reserved keys first (older IDs, so they stay off the overview's first page), then the overview's keys
  interface KeyRow {
    id: string;
    ownerId: string;
    kind: 'EMPLOYEE' | 'ACCOUNTANT';
    applicationId: string | null;
    customName: string | null;
    name: string;
    permissionBits: number;
  }
  const keys: KeyRow[] = [];
  const partners: PartnerKey[] = [];
  const tokens = new Map<string, string>();
  const accountantKey = (name: string, owner: number): KeyRow => ({
    id: newId('userKey'),
    ownerId: employeeIds[owner % sizes.fullEmployees],
    kind: 'ACCOUNTANT',
    applicationId: accountantApps[keys.length % accountantApps.length],
    customName: null,
    name,
    permissionBits: ALL,
  });
  const reserve = (n: number, label: string): string[] =>
    Array.from({ length: n }, (_, i) => {
      const key = accountantKey(`${label} ${i + 1}`, i);
      keys.push(key);
      return key.id;
    });
  const bulkKeyIds = reserve(sizes.bulkKeys, 'Bulk');
  const restoreKeyIds = reserve(sizes.restoreKeys, 'Restore');
  const linkEditKeyIds = reserve(sizes.linkEditKeys, 'Link edit');
  const accountantKeys: KeyRow[] = [];
  for (let i = 0; i < sizes.userKeys; i++) {
    let key: KeyRow;
    if (i % 2 === 0) {
      key = accountantKey(`Regnskapsnøkkel ${i}`, i);
      if (rnd() < 0.1) Object.assign(key, { applicationId: null, customName: `Eget system ${i % 17}` });
      accountantKeys.push(key);
    } else {
      const owner = (i * 7) % employeeIds.length;
      const app = rnd() < 0.1 ? null : applicationIds[i % applicationIds.length];
      key = {
        id: newId('userKey'),
        ownerId: employeeIds[owner],
        kind: 'EMPLOYEE',
        applicationId: app,
        customName: app ? null : `Integrasjon ${i % 23}`,
        name: `Nøkkel ${i}`,
        permissionBits: employeeBits[owner] & Math.floor(rnd() * ALL),
      };
    }
    keys.push(key);
  }
  await step(
    'user_key',
    [
      'id',
      'company_id',
      'owner_id',
      'application_id',
      'custom_application_name',
      'name',
      'kind',
      'access_mode',
      'permission_bits',
      'secret_hash',
      'secret_version',
      'token_hint',
      'created_by_employee_id',
      'created_by_user_key_id',
      'created_at',
      'restored_at',
      'revoked_at',
      'expires_at',
      'last_used_at',
    ],
    keys.map((k, i) => {
      const secret = issueSecret(KEY_PREFIX);
      const partnerIndex = accountantKeys.indexOf(k);
      if (partnerIndex >= 0 && partnerIndex < sizes.partnerKeys) tokens.set(k.id, secret.token);
      return [
        k.id,
        officeId,
        k.ownerId,
        k.applicationId,
        k.customName,
        k.name,
        k.kind,
        k.permissionBits === ALL ? 'ALL_ACCESS' : 'CUSTOM',
        k.permissionBits,
        secret.hash,
        1,
        secret.hint,
        adminId,
        null,
        new Date(now.getTime() - (keys.length - i) * 1000),
        null,
        null,
        null,
        null,
      ];
    }),
  );

  // client links: each accountant key at `linksPerAccountantKey` clients; partner keys include the main client under "Kun lese"
  const perKey = Math.min(sizes.linksPerAccountantKey, clientIds.length);
  const mainClientId = clientIds[0];
  await step(
    'client_link',
    [
      'id',
      'office_id',
      'client_id',
      'grantee_id',
      'user_key_id',
      'employee_id',
      'template_id',
      'created_at',
      'updated_at',
    ],
    (function* () {
      for (let j = 0; j < accountantKeys.length; j++) {
        const key = accountantKeys[j];
        const partner = j < sizes.partnerKeys;
        const slots = Array.from({ length: perKey }, (_, s) => (j * perKey + s) % clientIds.length);
        if (partner && !slots.includes(0)) slots[0] = 0;
        for (let s = 0; s < slots.length; s++) {
          const clientId = clientIds[slots[s]];
          const template =
            partner && slots[s] === 0 ? templates.readOnly : templateOrder[(j + s) % templateOrder.length];
          yield [newId('clientLink'), officeId, clientId, key.id, key.id, null, template, now, now];
        }
        if (partner) partners.push({ keyId: key.id, token: tokens.get(key.id)!, clientId: mainClientId });
      }
    })(),
  );

  // customers: most at the main client, the rest spread over the other clients and interleaved
  // with the main client's in creation (= id) order, as customers of many companies are in life
  const share = sizes.mainClientShare;
  const mainCount = Math.floor(sizes.customers * share);
  const firstIds: string[] = [];
  const tail: string[] = [];
  await step(
    'customer',
    ['id', 'company_id', 'name', 'org_number', 'email', 'created_at'],
    (function* () {
      for (let n = 0; n < sizes.customers; n++) {
        const id = newId('customer');
        const atMain = Math.floor((n + 1) * share) > Math.floor(n * share);
        if (atMain && firstIds.length < 21) firstIds.push(id);
        if (atMain) {
          tail.push(id);
          if (tail.length > 21) tail.shift();
        }
        const companyId = atMain || clientIds.length === 1 ? mainClientId : clientIds[1 + (n % (clientIds.length - 1))];
        yield [
          id,
          companyId,
          `Kunde ${String(n).padStart(6, '0')} AS`,
          String(700_000_000 + n),
          `post@kunde${n}.example`,
          now,
        ];
      }
    })(),
  );

  return {
    officeId,
    mainClientId,
    clientIds,
    allClientIds,
    templates,
    admin,
    partners,
    bulkKeyIds,
    restoreKeyIds,
    linkEditKeyIds,
    mainCustomers: { count: mainCount, firstIds: firstIds.slice(0, 20), lastIds: tail.slice(1), deepAfterId: tail[0] },
    rows,
  };
}
