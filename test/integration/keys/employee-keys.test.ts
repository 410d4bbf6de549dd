import { Permission } from '../../../server/src/auth/permission';
import { MAX_TEMPLATES_PER_OFFICE } from '../../../server/src/rules/client-access';
import { startTestApp, type TestApp } from '../../testkit/app';
import { codes } from '../../testkit/graphql-client';
import { buildWorld, type World } from '../../testkit/world';
import { CREATE_TEMPLATE } from '../clients/helpers';
import { addEmployee, expectOk, type Json } from './helpers';

/**
 * Lists with a server maximum (issue 19, finding 3): Employee.userKeys is a keyset connection of at
 * most 100 per page, batched for a page of employees; an office keeps at most 100 templates.
 */

let app: TestApp;
let world: World;
let kari: string;
const keysOf = new Map<string, string[]>();

const { LOGIN, CUSTOMER_READ } = Permission;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
  // 40 employees with 0–4 keys each, and one with 130
  for (let i = 0; i < 40; i++) {
    const { employee } = await addEmployee(app, world.office, [LOGIN, CUSTOMER_READ], 'Nøkkeleier');
    const ids: string[] = [];
    for (let k = 0; k < i % 5; k++) ids.push((await app.seed.userKey(employee, { permissions: [LOGIN] })).userKey.id);
    keysOf.set(employee.id, ids.reverse());
  }
  const many = await addEmployee(app, world.office, [LOGIN], 'Mange nøkler');
  const ids: string[] = [];
  for (let k = 0; k < 130; k++) ids.push((await app.seed.userKey(many.employee, { permissions: [LOGIN] })).userKey.id);
  keysOf.set(many.employee.id, ids.reverse());
});
afterAll(() => app.close());

const PAGE = `query ($id: ID!, $first: Int, $after: String) { employee(id: $id) {
  userKeys(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;

test('Employee.userKeys is a connection: first 1–100, newest first, walked by cursor without gaps', async () => {
  const [manyId] = [...keysOf].find(([, ids]) => ids.length === 130)!;
  for (const first of [0, 101]) {
    expect(codes(await app.api.request(PAGE, { id: manyId, first }, { token: kari }))).toEqual(['BAD_USER_INPUT']);
  }
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Json = expectOk(await app.api.request(PAGE, { id: manyId, first: 100, after }, { token: kari }))
      .employee.userKeys;
    expect(page.totalCount).toBe(130);
    seen.push(...page.edges.map((e: Json) => e.node.id));
    if (!page.pageInfo.hasNextPage) break;
    after = page.pageInfo.endCursor;
  }
  expect(seen).toEqual(keysOf.get(manyId));
});

test('a page of employees with their keys costs the same number of SQL statements for 5 employees as for 40', async () => {
  const LIST = `query ($n: Int!) { employees(first: $n) { edges { node { id
    userKeys(first: 3) { totalCount edges { node { id name } } } } } } }`;
  const few = await app.api.request(LIST, { n: 5 }, { token: kari });
  const many = await app.api.request(LIST, { n: 40 }, { token: kari });
  expect(few.errors).toEqual([]);
  expect(many.errors).toEqual([]);
  expect(many.data.employees.edges).toHaveLength(40);
  expect(many.statements).toBe(few.statements);
  for (const { node } of many.data.employees.edges) {
    const expected = keysOf.get(node.id) ?? [];
    expect(node.userKeys.totalCount).toBe(expected.length);
    expect(node.userKeys.edges.map((e: Json) => e.node.id)).toEqual(expected.slice(0, 3));
  }
});

test('R20: Employee.userKeys shows a colleague’s keys only to a user administrator', async () => {
  const reader = await addEmployee(app, world.office, [LOGIN, Permission.EMPLOYEE_READ], 'Leser');
  const [someone, ids] = [...keysOf].find(([, k]) => k.length === 4)!;
  const asReader = expectOk(await app.api.request(PAGE, { id: someone, first: 10 }, { token: await reader.session() }));
  expect(asReader.employee.userKeys).toMatchObject({ totalCount: 0, edges: [] });
  const asKari = expectOk(await app.api.request(PAGE, { id: someone, first: 10 }, { token: kari }));
  expect(asKari.employee.userKeys.edges.map((e: Json) => e.node.id)).toEqual(ids);
});

test(`R19: an office keeps at most ${MAX_TEMPLATES_PER_OFFICE} access templates (CONFLICT beyond)`, async () => {
  const existing = expectOk(await app.api.request('{ accessTemplates { id } }', {}, { token: kari })).accessTemplates
    .length;
  for (let i = existing; i < MAX_TEMPLATES_PER_OFFICE; i++) {
    await app.seed.accessTemplate(world.office, `Mal ${String(i).padStart(3, '0')}`, [CUSTOMER_READ]);
  }
  const res = await app.api.request(
    CREATE_TEMPLATE,
    { input: { name: 'En for mye', permissions: [] } },
    { token: kari },
  );
  expect(codes(res)).toEqual(['CONFLICT']);
  expect(res.errors[0].extensions?.limit).toBe(MAX_TEMPLATES_PER_OFFICE);
  const list = expectOk(await app.api.request('{ accessTemplates { id } }', {}, { token: kari })).accessTemplates;
  expect(list).toHaveLength(MAX_TEMPLATES_PER_OFFICE);
});
