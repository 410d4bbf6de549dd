import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind, type UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { useWorld } from '../../testkit/run';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';

const USAGE = `query ($id: ID!, $from: DateTime!, $to: DateTime!) {
  userKey(id: $id) { usage(from: $from, to: $to) { day company { id } requests errors permissionsUsed } }
}`;
const SENSITIVE = `query ($userKeyId: ID, $first: Int, $after: String) {
  sensitiveReads(userKeyId: $userKeyId, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { at field userKey { id } company { id } } } }
}`;
const PEOPLE = '{ employees(first: 10) { edges { node { name annualSalary } } } }';
const CUSTOMERS = '{ customers(first: 5) { edges { node { name } } } }';

const READS = [Permission.CUSTOMER_READ, Permission.INVOICE_READ, Permission.EMPLOYEE_READ, Permission.PAYROLL_READ];
const INVOICES = '{ invoices(first: 5) { edges { node { number } } } }';

const kit = useWorld({ sessions: ['kari', 'bakeriAdmin', 'fjordAdmin'] });

async function officeKey(name: string): Promise<{ userKey: UserKey; token: string }> {
  const key = await kit.app.seed.userKey(kit.world.kari, {
    kind: UserKeyKind.ACCOUNTANT,
    application: kit.world.apps.fiken,
    permissions: READS,
    name,
  });
  const template = await kit.app.seed.accessTemplate(kit.world.office, `Lønn ${name}`, READS);
  for (const client of [kit.world.bakeri, kit.world.fjordFisk])
    await kit.app.seed.clientLink(kit.world.office, client, key.userKey, template);
  return key;
}

/** Writes what the recorder holds (the test hook; the timer and a graceful stop do the same). */
const flush = () => kit.app.server.services.usageRecorder.flush();

interface SensitiveNode {
  field: string;
  userKey: { id: string };
  company: { id: string };
}
async function sensitiveReads(token: string, userKeyId?: string): Promise<SensitiveNode[]> {
  const res = await kit.app.api.request(SENSITIVE, { userKeyId, first: 100 }, { token });
  expect(res.errors).toEqual([]);
  return res.data.sensitiveReads.edges.map((e: { node: SensitiveNode }) => e.node);
}

describe('R34: usage per day and acting company', () => {
  test('R34: the usage counts equal the requests made, per company, with errors and the permissions exercised', async () => {
    const { userKey, token } = await officeKey('Bruk');
    for (let i = 0; i < 3; i++) {
      expectOk(await kit.app.api.request(CUSTOMERS, {}, { token, companyId: kit.world.bakeri.id }));
    }
    const refused = await kit.app.api.request(
      'mutation { createCustomer(input: { name: "Nei AS" }) { id } }',
      {},
      { token, companyId: kit.world.bakeri.id },
    );
    expectCode(refused, 'FORBIDDEN');
    for (let i = 0; i < 2; i++) {
      expectOk(await kit.app.api.request(INVOICES, {}, { token, companyId: kit.world.fjordFisk.id }));
    }
    await flush();
    const now = Date.now();
    const res = await kit.app.api.request(
      USAGE,
      { id: userKey.id, from: new Date(now - 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() },
      { token: kit.token.kari },
    );
    expect(res.errors).toEqual([]);
    const days: {
      day: string;
      company: { id: string };
      requests: number;
      errors: number;
      permissionsUsed: string[];
    }[] = res.data.userKey.usage;
    const at = (companyId: string) => days.filter((d) => d.company.id === companyId);
    const sum = (rows: typeof days, k: 'requests' | 'errors') => rows.reduce((n, r) => n + r[k], 0);
    expect(sum(at(kit.world.bakeri.id), 'requests')).toBe(4);
    expect(sum(at(kit.world.bakeri.id), 'errors')).toBe(1);
    expect(sum(at(kit.world.fjordFisk.id), 'requests')).toBe(2);
    expect(sum(at(kit.world.fjordFisk.id), 'errors')).toBe(0);
    expect(days.map((d) => d.company.id).sort()).toEqual([kit.world.bakeri.id, kit.world.fjordFisk.id].sort());
    expect(at(kit.world.bakeri.id)[0].permissionsUsed).toEqual([Permission.CUSTOMER_READ]);
    expect(at(kit.world.fjordFisk.id)[0].permissionsUsed).toEqual([Permission.INVOICE_READ]);
    expect(days.every((d) => /^\d{4}-\d{2}-\d{2}$/.test(d.day))).toBe(true);

    // more requests add to the same rows
    await kit.app.api.request(CUSTOMERS, {}, { token, companyId: kit.world.bakeri.id });
    await flush();
    const again = await kit.app.api.request(
      USAGE,
      { id: userKey.id, from: new Date(now - 86_400_000).toISOString(), to: new Date(now + 86_400_000).toISOString() },
      { token: kit.token.kari },
    );
    const bakeri = again.data.userKey.usage.filter(
      (d: { company: { id: string } }) => d.company.id === kit.world.bakeri.id,
    );
    expect(bakeri.reduce((n: number, r: { requests: number }) => n + r.requests, 0)).toBe(5);
  });

  test('R34: the usage of a key is the office’s to read, not the client’s nor another tenant’s; bad ranges are refused', async () => {
    const { userKey } = await officeKey('Bruk to');
    const range = { id: userKey.id, from: '2026-01-01T00:00:00Z', to: '2026-01-31T00:00:00Z' };
    expectNotFound(await kit.app.api.request(USAGE, range, { token: kit.token.bakeriAdmin }));
    const anne = await kit.app.api.login('anne@annet.example');
    expectNotFound(await kit.app.api.request(USAGE, range, { token: anne }));
    const backwards = { ...range, from: '2026-02-01T00:00:00Z' };
    expectCode(await kit.app.api.request(USAGE, backwards, { token: kit.token.kari }), 'BAD_USER_INPUT');
    const tooLong = { ...range, from: '2024-01-01T00:00:00Z' };
    expectCode(await kit.app.api.request(USAGE, tooLong, { token: kit.token.kari }), 'BAD_USER_INPUT');
  });
});

describe('R34: sensitive reads', () => {
  let office: { userKey: UserKey; token: string };
  let bakeriKey: { userKey: UserKey; token: string };

  beforeAll(async () => {
    office = await officeKey('Lønnsleser');
    const activated = await kit.app.api.request(
      'mutation { activateIntegrations(acceptTerms: true) { id } }',
      {},
      {
        token: kit.token.bakeriAdmin,
      },
    );
    expect(activated.errors).toEqual([]);
    bakeriKey = await kit.app.seed.userKey(kit.world.bakeriAdmin, { permissions: READS, name: 'Bakeriets egen' });
    expectOk(await kit.app.api.request(PEOPLE, {}, { token: office.token, companyId: kit.world.bakeri.id }));
    expectOk(
      await kit.app.api.request(
        'query ($id: ID!) { employee(id: $id) { annualSalary } }',
        { id: kit.world.bakeriAdmin.id },
        {
          token: bakeriKey.token,
        },
      ),
    );
    // reads with a session are not key reads, and a customer list is not sensitive
    expectOk(await kit.app.api.request(PEOPLE, {}, { token: kit.token.bakeriAdmin }));
    expectOk(await kit.app.api.request(CUSTOMERS, {}, { token: office.token, companyId: kit.world.fjordFisk.id }));
    await flush();
  });

  test('R34: every key read of a PAYROLL_READ or EMPLOYEE_READ field is recorded, as Type.field, with key and company', async () => {
    const reads = await sensitiveReads(kit.token.bakeriAdmin);
    const of = (keyId: string) =>
      reads
        .filter((r) => r.userKey.id === keyId)
        .map((r) => r.field)
        .sort();
    expect(of(office.userKey.id)).toEqual(['Employee.annualSalary', 'Query.employees']);
    expect(of(bakeriKey.userKey.id)).toEqual(['Employee.annualSalary', 'Query.employee']);
    expect(reads.every((r) => r.company.id === kit.world.bakeri.id)).toBe(true);
    expect(reads).toHaveLength(4);
  });

  test('R34: the office sees its own keys’ reads at its clients, not the client’s own keys’ reads', async () => {
    const reads = await sensitiveReads(kit.token.kari);
    expect(reads.map((r) => r.userKey.id)).toEqual([office.userKey.id, office.userKey.id]);
    expect(reads.every((r) => r.company.id === kit.world.bakeri.id)).toBe(true);
    expect(await sensitiveReads(kit.token.kari, bakeriKey.userKey.id)).toEqual([]);
  });

  test('R34: the log is invisible across tenants and to everyone else', async () => {
    expect(await sensitiveReads(kit.token.fjordAdmin)).toEqual([]);
    expect(await sensitiveReads(kit.token.fjordAdmin, office.userKey.id)).toEqual([]);
    const anne = await kit.app.api.login('anne@annet.example');
    expect(await sensitiveReads(anne)).toEqual([]);
    const stranger = await kit.app.api.login('admin@fremmed.example');
    expect(await sensitiveReads(stranger, bakeriKey.userKey.id)).toEqual([]);
    const ola = await kit.app.api.login('ola@regnskap.example');
    expectCode(await kit.app.api.request(SENSITIVE, {}, { token: ola }), 'FORBIDDEN');
    // an office key at the client never reads the client's log (no administration across a link)
    expectCode(
      await kit.app.api.request(SENSITIVE, {}, { token: office.token, companyId: kit.world.bakeri.id }),
      'FORBIDDEN',
    );
  });

  test('R34: the log pages newest first', async () => {
    const first = await kit.app.api.request(SENSITIVE, { first: 3 }, { token: kit.token.bakeriAdmin });
    expect(first.data.sensitiveReads).toMatchObject({ totalCount: 4, pageInfo: { hasNextPage: true } });
    const rest = await kit.app.api.request(
      SENSITIVE,
      { first: 3, after: first.data.sensitiveReads.pageInfo.endCursor },
      { token: kit.token.bakeriAdmin },
    );
    expect(rest.data.sensitiveReads.edges).toHaveLength(1);
    const times = [...first.data.sensitiveReads.edges, ...rest.data.sensitiveReads.edges].map(
      (e: { node: { at: string } }) => Date.parse(e.node.at),
    );
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  test('R34: a graceful stop writes what is still buffered', async () => {
    const read = await kit.app.api.request(PEOPLE, {}, { token: office.token, companyId: kit.world.fjordFisk.id });
    expect(read.errors).toEqual([]);
    const rows = () =>
      kit.app.server.db.manager
        .query('SELECT COUNT(*) AS n FROM sensitive_read WHERE company_id = ?', [kit.world.fjordFisk.id])
        .then((r: { n: number | string }[]) => Number(r[0].n));
    await kit.app.server.services.usageRecorder.stop(); // what the server's close() calls
    expect(await rows()).toBe(2);
  });
});
