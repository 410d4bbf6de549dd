import { getDirective } from '@graphql-tools/utils';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  getNamedType,
  isCompositeType,
  isNonNullType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { Permission } from '../../../server/src/auth/permission';
import { OPEN_ROOT_FIELDS } from '../../../server/src/auth/open-fields';
import { REQUIRES } from '../../../server/src/auth/requires';
import { buildNokkelSchema } from '../../../server/src/schema/build-schema';
import { useWorld } from '../../testkit/run';

/**
 * The @requires matrix, generated from the schema: for every field that carries the directive, a
 * caller without the permission gets null and FORBIDDEN at the field's path (a mutation fails as a
 * whole), and a caller with it gets past the check. A new protected field is covered automatically;
 * if it needs an argument this file cannot invent, the test says which one to add to ARGUMENTS.
 */

interface Protected {
  typeName: string;
  fieldName: string;
  anyOf: Permission[];
  /** The caller's own record opens the field without the permission (`orSelf`). */
  orSelf: boolean;
}

function protectedFields(schema: GraphQLSchema): Protected[] {
  const out: Protected[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const args = getDirective(schema, field, REQUIRES)?.[0];
      if (!args) continue;
      const anyOf = [args.permission, ...(args.anyOf ?? [])].filter(Boolean) as Permission[];
      out.push({ typeName: type.name, fieldName: field.name, anyOf, orSelf: args.orSelf === true });
    }
  }
  return out;
}

function requiresOf(schema: GraphQLSchema, field: GraphQLField<unknown, unknown>): Permission[] {
  const args = getDirective(schema, field, REQUIRES)?.[0];
  return args ? ([args.permission, ...(args.anyOf ?? [])].filter(Boolean) as Permission[]) : [];
}

/** A literal for an input type, from the fixture map or invented from the type. */
function literal(type: GraphQLInputType, key: string, fixtures: Record<string, string>): string {
  if (fixtures[key] !== undefined) return fixtures[key];
  if (type instanceof GraphQLNonNull) return literal(type.ofType, key, fixtures);
  if (type instanceof GraphQLList) return `[${literal(type.ofType, key, fixtures)}]`;
  if (type instanceof GraphQLEnumType) return type.getValues()[0].name;
  if (type instanceof GraphQLInputObjectType) {
    const parts = Object.values(type.getFields())
      .filter((f) => isNonNullType(f.type))
      .map((f) => `${f.name}: ${literal(f.type, `${type.name}.${f.name}`, fixtures)}`);
    return `{ ${parts.join(', ')} }`;
  }
  if (type instanceof GraphQLScalarType) {
    if (type.name === 'Int' || type.name === 'Float') return '1';
    if (type.name === 'Boolean') return 'true';
    if (type.name === 'DateTime') return '"2099-01-01T00:00:00Z"';
    return '"matrix"';
  }
  throw new Error(`no literal for ${key}`);
}

function argumentsOf(
  typeName: string,
  field: GraphQLField<unknown, unknown>,
  fixtures: Record<string, string>,
): string {
  const required = field.args.filter((a) => isNonNullType(a.type));
  if (!required.length) return '';
  return `(${required.map((a) => `${a.name}: ${literal(a.type, `${typeName}.${field.name}.${a.name}`, fixtures)}`).join(', ')})`;
}

/** A query reaching `target` from Query, through fields that do not need the target's permissions. */
function documentFor(
  schema: GraphQLSchema,
  target: Protected,
  fixtures: Record<string, string>,
): { document: string; path: string[] } {
  const root = target.typeName === 'Mutation' ? schema.getMutationType()! : schema.getQueryType()!;
  const queue: { type: GraphQLObjectType; path: { name: string; args: string }[] }[] = [{ type: root, path: [] }];
  const seen = new Set<string>([root.name]);
  while (queue.length) {
    const { type, path } = queue.shift()!;
    for (const field of Object.values(type.getFields())) {
      const needs = requiresOf(schema, field);
      const isTarget = type.name === target.typeName && field.name === target.fieldName;
      if (!isTarget && needs.some((p) => target.anyOf.includes(p))) continue;
      // `viewer` leads to the caller's own records, which an orSelf field opens: reach another's
      if (target.orSelf && type === root && field.name === 'viewer') continue;
      const step = { name: field.name, args: argumentsOf(type.name, field, fixtures) };
      if (isTarget) {
        const full = [...path, step];
        const leafType = getNamedType(field.type);
        const leaf = leafType instanceof GraphQLObjectType ? ' { __typename }' : '';
        const body = full.reduceRight(
          (inner, s, i) => `${s.name}${s.args}${i === full.length - 1 ? leaf : ` { ${inner} }`}`,
          '',
        );
        const op = target.typeName === 'Mutation' ? 'mutation' : 'query';
        return { document: `${op} { ${body} }`, path: full.map((s) => s.name) };
      }
      if (target.typeName === 'Mutation') continue;
      const next = getNamedType(field.type);
      if (next instanceof GraphQLObjectType && !seen.has(next.name)) {
        seen.add(next.name);
        queue.push({ type: next, path: [...path, step] });
      }
    }
  }
  throw new Error(`no path to ${target.typeName}.${target.fieldName}`);
}

function forbiddenAt(
  errors: { path?: (string | number)[]; extensions?: { code?: string } }[],
  path: string[],
): boolean {
  return errors.some(
    (e) =>
      e.extensions?.code === 'FORBIDDEN' &&
      (e.path ?? []).filter((p) => typeof p === 'string').join('.') === path.join('.'),
  );
}

function valueAt(data: unknown, path: string[]): unknown[] {
  let values: unknown[] = [data];
  for (const key of path) {
    values = values
      .flatMap((v) => (Array.isArray(v) ? v : [v]))
      .map((v) => (v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined));
  }
  return values.flatMap((v) => (Array.isArray(v) ? v : [v]));
}

const schema = buildNokkelSchema();
const targets = protectedFields(schema);
let fixtures: Record<string, string>;
const sessionWithAll: { token?: string } = {};
const withoutTokens = new Map<string, { session: string; key: string }>();

const kit = useWorld();
beforeAll(async () => {
  const customer = await kit.app.seed.customer(kit.world.office, 'Office Customer AS');
  await kit.app.seed.invoice(kit.world.office, customer, 99.5);
  await kit.app.seed.hours(kit.world.kari, '2026-11-01', 3);
  // an office keeping the office's own books, so Company.accountingOffices has a row to show
  await kit.app.seed.clientRelation(kit.world.other.office, kit.world.office);
  fixtures = {
    'Query.employee.id': `"${kit.world.kari.id}"`,
    'Query.userKey.id': `"${(await kit.app.seed.userKey(kit.world.kari, { permissions: [Permission.LOGIN] })).userKey.id}"`,
    'CreateInvoiceInput.customerId': `"${customer.id}"`,
  };
  sessionWithAll.token = await kit.app.api.login('kari@regnskap.example');
  const all = Object.values(Permission);
  for (const { anyOf } of targets) {
    const label = anyOf.join('+');
    if (withoutTokens.has(label)) continue;
    const email = `without-${label.toLowerCase().replace(/\+/g, '-')}@regnskap.example`;
    const employee = await kit.app.seed.employee(kit.world.office, {
      name: `Without ${label}`,
      email,
      password: 'demo-password',
      permissions: all.filter((p) => !anyOf.includes(p)),
    });
    // the key holds every permission; its owner lacks the target's, so the key must lack it too (R3)
    const { token: key } = await kit.app.seed.userKey(employee, { permissions: all });
    withoutTokens.set(label, { session: await kit.app.api.login(email), key });
  }
});

test('the schema has protected fields at the root and nested in objects and lists', () => {
  const names = targets.map((t) => `${t.typeName}.${t.fieldName}`);
  expect(names).toEqual(
    expect.arrayContaining(['Employee.annualSalary', 'Invoice.customer', 'Query.customers', 'Mutation.createInvoice']),
  );
});

describe.each(targets.map((t) => [`${t.typeName}.${t.fieldName} @requires(${t.anyOf.join(' | ')})`, t] as const))(
  '%s',
  (_title, target) => {
    test('a caller without the permission gets FORBIDDEN at the field (session and key)', async () => {
      const { document, path } = documentFor(schema, target, fixtures);
      const tokens = withoutTokens.get(target.anyOf.join('+'))!;
      for (const token of [tokens.session, tokens.key]) {
        const res = await kit.app.api.request(document, {}, { token });
        expect({ document, forbidden: forbiddenAt(res.errors, path) }).toEqual({ document, forbidden: true });
        if (target.typeName === 'Mutation') expect(res.data).toBeNull();
        else expect(valueAt(res.data, path).every((v) => v === null || v === undefined)).toBe(true);
      }
    });

    test('a caller with the permission gets past the check', async () => {
      const { document, path } = documentFor(schema, target, fixtures);
      const res = await kit.app.api.request(document, {}, { token: sessionWithAll.token });
      expect(res.errors.filter((e) => e.extensions?.code === 'FORBIDDEN')).toEqual([]);
      if (target.typeName !== 'Mutation') {
        expect(res.errors).toEqual([]);
        expect(valueAt(res.data, path).some((v) => v !== null && v !== undefined)).toBe(true);
      }
    });
  },
);

describe('default closed: every root field not listed as open needs a credential', () => {
  const rootFields = [schema.getQueryType()!, schema.getMutationType()!].flatMap((root) =>
    Object.values(root.getFields()).map((field) => ({ root, field })),
  );

  test('the open fields are exactly the catalogs, login and the leak report (R31)', () => {
    expect([...OPEN_ROOT_FIELDS].sort()).toEqual([
      'Mutation.login',
      'Mutation.reportLeakedSecrets',
      'Query.applications',
      'Query.permissions',
    ]);
  });

  test.each(
    rootFields
      .filter(({ root, field }) => !OPEN_ROOT_FIELDS.has(`${root.name}.${field.name}`))
      .map(({ root, field }) => [`${root.name}.${field.name}`, root, field] as const),
  )('%s without a credential is UNAUTHENTICATED', async (_name, root, field) => {
    const leaf = isCompositeType(getNamedType(field.type)) ? ' { __typename }' : '';
    const op = root.name === 'Mutation' ? 'mutation' : 'query';
    const res = await kit.app.api.request(`${op} { ${field.name}${argumentsOf(root.name, field, fixtures)}${leaf} }`);
    expect(res.errors.map((e) => e.extensions?.code)).toEqual(['UNAUTHENTICATED']);
    // a nullable root field (node) is null itself; a non-null one nulls the whole data
    expect(res.data?.[field.name] ?? null).toBeNull();
  });
});
