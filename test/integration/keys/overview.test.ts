import { Permission } from '../../../server/src/auth/permission';
import { CompanyKind, type Company } from '../../../server/src/modules/companies/company.entity';
import { Employee } from '../../../server/src/modules/employees/employee.entity';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { addEmployee, createKey, type Json } from './helpers';
import { REVOKE_KEY, USER_KEY, VIEWER } from './documents';
import { expectNotFound, expectOk } from '../../testkit/expect';
import { sessionOf, useWorld } from '../../testkit/run';

const { LOGIN, HOURS_REGISTER, CUSTOMER_READ, EMPLOYEE_READ } = Permission;

let company: Company;
/** Tokens and ids of the overview company's people. */
let admin: { id: string; token: string };
let anna: { id: string; token: string };
let bjorn: { id: string; token: string };
let cecilie: { id: string; token: string };
/** Every key of the company, in creation order. */
const created: { id: string; owner: string; app: string | null; kind: string; token?: string }[] = [];

const OVERVIEW = `query ($filter: UserKeyFilter, $first: Int, $after: String) {
  userKeys(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id name applicationName kind status owner { id name } createdAt lastUsedAt expiresAt tokenHint } } } }`;

async function page(token: string, variables: Json) {
  return expectOk(await kit.app.api.request(OVERVIEW, variables, { token })).userKeys;
}

/** Walks the whole overview `size` keys at a time; returns every page. */
async function walk(token: string, filter: Json, size: number): Promise<Json[]> {
  const pages: Json[] = [];
  let after: string | null = null;
  do {
    const current: Json = await page(token, { filter, first: size, after });
    pages.push(current);
    after = current.pageInfo.hasNextPage ? current.pageInfo.endCursor : null;
  } while (after !== null && pages.length < 50);
  return pages;
}
const idsOf = (pages: Json[]): string[] => pages.flatMap((p) => p.edges.map((e: Json) => e.node.id));
/** Expected ids for a filter: newest first, as the overview orders them. */
const expected = (where: (k: (typeof created)[number]) => boolean) =>
  created
    .filter(where)
    .map((k) => k.id)
    .reverse();

let revokedId: string;
let expiredId: string;
const kit = useWorld();
beforeAll(async () => {
  company = await kit.app.seed.company({
    name: 'Oversikt AS',
    kind: CompanyKind.ACCOUNTING_OFFICE,
    integrationsActive: true,
  });
  const person = async (permissions: Permission[], name: string) => {
    const p = await addEmployee(kit.app, company, permissions, name);
    return { id: p.employee.id, token: await p.session() };
  };
  admin = await person(ALL_PERMISSIONS, 'Admin');
  anna = await person([LOGIN, HOURS_REGISTER], 'Anna');
  bjorn = await person([LOGIN, CUSTOMER_READ], 'Bjørn');
  cecilie = await person([LOGIN, EMPLOYEE_READ], 'Cecilie');
  const { fiken, powerOffice, timeliste } = kit.world.apps;
  const make = async (by: string, owner: string, app_: { id: string } | null, accountantKey = false) => {
    const { token, userKey } = await createKey(kit.app, by, {
      employeeId: owner,
      name: `Key ${created.length + 1}`,
      ...(app_ ? { applicationId: app_.id } : { customApplicationName: `Eget system ${created.length + 1}` }),
      accountantKey,
    });
    created.push({ id: userKey.id, owner, app: app_?.id ?? null, kind: userKey.kind, token });
    return userKey.id as string;
  };
  await make(anna.token, anna.id, fiken);
  await make(anna.token, anna.id, null);
  await make(admin.token, anna.id, timeliste);
  await make(bjorn.token, bjorn.id, fiken);
  revokedId = await make(bjorn.token, bjorn.id, powerOffice);
  await make(admin.token, admin.id, fiken, true);
  await make(admin.token, admin.id, null, true);
  await make(cecilie.token, cecilie.id, null);
  const owner = await kit.app.server.db.manager.findOneByOrFail(Employee, { id: anna.id });
  const expired = await kit.app.seed.userKey(owner, {
    name: 'Utløpt',
    application: fiken,
    permissions: [LOGIN],
    expiresAt: new Date(Date.now() - 60_000),
  });
  expiredId = expired.userKey.id;
  created.push({ id: expiredId, owner: anna.id, app: fiken.id, kind: 'EMPLOYEE' });
  expectOk(await kit.app.api.request(REVOKE_KEY, { id: revokedId }, { token: admin.token }));
});

describe('R20 the key overview', () => {
  test('R20: a USER_ADMIN sees every key of the company with application, name, kind, owner, status, times and hint', async () => {
    const all = await page(admin.token, { first: 100 });
    expect(all.totalCount).toBe(created.length);
    expect(all.edges.map((e: Json) => e.node.id)).toEqual(expected(() => true));

    const first = created[0];
    const node = all.edges.find((e: Json) => e.node.id === first.id).node;
    expect(node).toEqual({
      id: first.id,
      name: 'Key 1',
      applicationName: 'Fiken Sync',
      kind: 'EMPLOYEE',
      status: 'ACTIVE',
      owner: { id: anna.id, name: expect.stringMatching(/^Anna/) },
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      lastUsedAt: null,
      expiresAt: null,
      tokenHint: `nkl_…${first.token!.slice(-4)}`,
    });
    const custom = all.edges.find((e: Json) => e.node.id === created[1].id).node;
    expect(custom.applicationName).toBe('Eget system 2');
    const statuses = Object.fromEntries(all.edges.map((e: Json) => [e.node.id, e.node.status]));
    expect(statuses[revokedId]).toBe('REVOKED');
    expect(statuses[expiredId]).toBe('EXPIRED');
  });

  test('R20: an employee without USER_ADMIN sees only their own keys', async () => {
    const own = await page(anna.token, { first: 100 });
    expect(own.totalCount).toBe(4);
    expect(own.edges.map((e: Json) => e.node.id)).toEqual(expected((k) => k.owner === anna.id));
    // asking for someone else's keys gives nothing, not their keys
    const theirs = await page(anna.token, { filter: { employeeId: bjorn.id }, first: 100 });
    expect(theirs).toMatchObject({ totalCount: 0, edges: [] });
    const single = await kit.app.api.request(USER_KEY, { id: created[3].id }, { token: anna.token });
    expectNotFound(single);
  });

  test('R20: keyset pagination walks every key exactly once, newest first, with a stable totalCount', async () => {
    const pages = await walk(admin.token, null, 2);
    expect(pages).toHaveLength(Math.ceil(created.length / 2));
    const ids = idsOf(pages);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(expected(() => true));
    for (const p of pages) expect(p.totalCount).toBe(created.length);
    expect(pages.at(-1).pageInfo.hasNextPage).toBe(false);
    expect(pages.slice(0, -1).every((p) => p.pageInfo.hasNextPage && p.edges.length === 2)).toBe(true);
    // the cursor of an edge continues right after that edge
    const fromThird = await page(admin.token, { first: 3, after: pages[1].edges[0].cursor });
    expect(fromThird.edges.map((e: Json) => e.node.id)).toEqual(ids.slice(3, 6));
  });

  test.each([
    ['employeeId', () => ({ employeeId: anna.id }), (k: (typeof created)[number]) => k.owner === anna.id],
    [
      'applicationId',
      () => ({ applicationId: kit.world.apps.fiken.id }),
      (k: (typeof created)[number]) => k.app === kit.world.apps.fiken.id,
    ],
    ['kind', () => ({ kind: 'ACCOUNTANT' }), (k: (typeof created)[number]) => k.kind === 'ACCOUNTANT'],
    ['status REVOKED', () => ({ status: 'REVOKED' }), (k: (typeof created)[number]) => k.id === revokedId],
    ['status EXPIRED', () => ({ status: 'EXPIRED' }), (k: (typeof created)[number]) => k.id === expiredId],
    [
      'status ACTIVE',
      () => ({ status: 'ACTIVE' }),
      (k: (typeof created)[number]) => k.id !== revokedId && k.id !== expiredId,
    ],
    [
      'employeeId and status together',
      () => ({ employeeId: bjorn.id, status: 'ACTIVE' }),
      (k: (typeof created)[number]) => k.owner === bjorn.id && k.id !== revokedId,
    ],
  ])('R20: the overview filters by %s, page by page', async (_label, filter, where) => {
    const want = expected(where);
    expect(want.length).toBeGreaterThan(0);
    const pages = await walk(admin.token, filter(), 1);
    expect(idsOf(pages)).toEqual(want);
    expect(pages[0].totalCount).toBe(want.length);
  });

  test('R20: another company’s keys are NOT_FOUND by id and never listed', async () => {
    const outside = await createKey(kit.app, await sessionOf(kit.app, 'kari@regnskap.example'), {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN],
    });
    expectNotFound(await kit.app.api.request(USER_KEY, { id: outside.userKey.id }, { token: admin.token }));
    expect(await page(admin.token, { filter: { employeeId: kit.world.kari.id }, first: 100 })).toMatchObject({
      totalCount: 0,
      edges: [],
    });
    const ids = idsOf(await walk(admin.token, null, 100));
    expect(ids).not.toContain(outside.userKey.id);
    // and the other way round: the demo office sees none of this company's keys
    const kariIds = idsOf(await walk(await sessionOf(kit.app, 'kari@regnskap.example'), null, 100));
    expect(kariIds).toContain(outside.userKey.id);
    expect(kariIds.filter((id) => created.some((k) => k.id === id))).toEqual([]);
  });

  test('R20: Employee.userKeys follows the same visibility as the overview', async () => {
    const EMPLOYEE_KEYS =
      'query ($id: ID!) { employee(id: $id) { id userKeys(first: 100) { edges { node { id } } } } }';
    const ids = (connection: Json) => connection.edges.map((e: Json) => e.node.id);
    const asAdmin = expectOk(await kit.app.api.request(EMPLOYEE_KEYS, { id: anna.id }, { token: admin.token }));
    expect(ids(asAdmin.employee.userKeys)).toEqual(expected((k) => k.owner === anna.id));

    // Cecilie may read the employee register but is no user administrator: she sees her own keys only
    const register = expectOk(
      await kit.app.api.request(
        '{ employees(first: 20) { edges { node { id userKeys(first: 100) { edges { node { id } } } } } } }',
        {},
        { token: cecilie.token },
      ),
    ).employees.edges.map((e: Json) => e.node);
    expect(register).toHaveLength(4);
    for (const node of register) {
      expect(ids(node.userKeys)).toEqual(node.id === cecilie.id ? expected((k) => k.owner === cecilie.id) : []);
    }
    const mine = expectOk(
      await kit.app.api.request(
        '{ viewer { employee { userKeys(first: 100) { edges { node { id } } } } } }',
        {},
        {
          token: anna.token,
        },
      ),
    );
    expect(ids(mine.viewer.employee.userKeys)).toEqual(expected((k) => k.owner === anna.id));
  });
});

describe('last use', () => {
  test('lastUsedAt is empty until the key is used, then records the time of use', async () => {
    const kari = await sessionOf(kit.app, 'kari@regnskap.example');
    const made = await createKey(kit.app, kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    const unused = await createKey(kit.app, kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    expect(made.userKey.lastUsedAt).toBeNull();
    const before = Date.now();
    expectOk(await kit.app.api.request(VIEWER, {}, { token: made.token }));
    const after = Date.now();
    await kit.app.server.services.keyUsage.flush();

    const seen = expectOk(await kit.app.api.request(USER_KEY, { id: made.userKey.id }, { token: kari })).userKey;
    const used = Date.parse(seen.lastUsedAt);
    expect(used).toBeGreaterThanOrEqual(before - 5);
    expect(used).toBeLessThanOrEqual(after + 5);
    const overview = (await page(kari, { filter: { employeeId: kit.world.kari.id }, first: 100 })).edges.map(
      (e: Json) => e.node,
    );
    expect(overview.find((n: Json) => n.id === made.userKey.id).lastUsedAt).toBe(seen.lastUsedAt);
    expect(overview.find((n: Json) => n.id === unused.userKey.id).lastUsedAt).toBeNull();
  });
});
