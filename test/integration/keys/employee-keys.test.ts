import { Permission } from '../../../server/src/auth/permission';
import { MAX_TEMPLATES_PER_OFFICE } from '../../../server/src/rules/client-access';
import { CREATE_TEMPLATE } from '../clients/helpers';
import { addEmployee, type Json } from './helpers';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/**
 * Lists with a server maximum (issue 19, finding 3): Employee.userKeys is a keyset connection of at
 * most 100 per page, batched for a page of employees; an office keeps at most 100 templates.
 */

const keysOf = new Map<string, string[]>();

const { LOGIN, CUSTOMER_READ } = Permission;

const kit = useWorld({ sessions: ['kari'] });
beforeAll(async () => {
  // 40 employees with 0–4 keys each, and one with 130
  for (let i = 0; i < 40; i++) {
    const { employee } = await addEmployee(kit.app, kit.world.office, [LOGIN, CUSTOMER_READ], 'Nøkkeleier');
    const ids: string[] = [];
    for (let k = 0; k < i % 5; k++)
      ids.push((await kit.app.seed.userKey(employee, { permissions: [LOGIN] })).userKey.id);
    keysOf.set(employee.id, ids.reverse());
  }
  const many = await addEmployee(kit.app, kit.world.office, [LOGIN], 'Mange nøkler');
  const ids: string[] = [];
  for (let k = 0; k < 130; k++)
    ids.push((await kit.app.seed.userKey(many.employee, { permissions: [LOGIN] })).userKey.id);
  keysOf.set(many.employee.id, ids.reverse());
});

const PAGE = `query ($id: ID!, $first: Int, $after: String) { employee(id: $id) {
  userKeys(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { node { id } } } } }`;

test('Employee.userKeys is a connection: first 1–100, newest first, walked by cursor without gaps', async () => {
  const [manyId] = [...keysOf].find(([, ids]) => ids.length === 130)!;
  for (const first of [0, 101]) {
    expectCode(await kit.app.api.request(PAGE, { id: manyId, first }, { token: kit.token.kari }), 'BAD_USER_INPUT');
  }
  const seen: string[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Json = expectOk(
      await kit.app.api.request(PAGE, { id: manyId, first: 100, after }, { token: kit.token.kari }),
    ).employee.userKeys;
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
  const few = await kit.app.api.request(LIST, { n: 5 }, { token: kit.token.kari });
  const many = await kit.app.api.request(LIST, { n: 40 }, { token: kit.token.kari });
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
  const reader = await addEmployee(kit.app, kit.world.office, [LOGIN, Permission.EMPLOYEE_READ], 'Leser');
  const [someone, ids] = [...keysOf].find(([, k]) => k.length === 4)!;
  const asReader = expectOk(
    await kit.app.api.request(PAGE, { id: someone, first: 10 }, { token: await reader.session() }),
  );
  expect(asReader.employee.userKeys).toMatchObject({ totalCount: 0, edges: [] });
  const asKari = expectOk(await kit.app.api.request(PAGE, { id: someone, first: 10 }, { token: kit.token.kari }));
  expect(asKari.employee.userKeys.edges.map((e: Json) => e.node.id)).toEqual(ids);
});

test(`R19: an office keeps at most ${MAX_TEMPLATES_PER_OFFICE} access templates (CONFLICT beyond)`, async () => {
  const existing = expectOk(await kit.app.api.request('{ accessTemplates { id } }', {}, { token: kit.token.kari }))
    .accessTemplates.length;
  for (let i = existing; i < MAX_TEMPLATES_PER_OFFICE; i++) {
    await kit.app.seed.accessTemplate(kit.world.office, `Mal ${String(i).padStart(3, '0')}`, [CUSTOMER_READ]);
  }
  const res = await kit.app.api.request(
    CREATE_TEMPLATE,
    { input: { name: 'En for mye', permissions: [] } },
    { token: kit.token.kari },
  );
  expectCode(res, 'CONFLICT');
  expect(res.errors[0].extensions?.limit).toBe(MAX_TEMPLATES_PER_OFFICE);
  const list = expectOk(
    await kit.app.api.request('{ accessTemplates { id } }', {}, { token: kit.token.kari }),
  ).accessTemplates;
  expect(list).toHaveLength(MAX_TEMPLATES_PER_OFFICE);
});
