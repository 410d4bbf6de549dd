import { getDirective } from '@graphql-tools/utils';
import { isObjectType } from 'graphql';
import { REQUIRES } from '../../../server/src/auth/requires';
import { buildNokkelSchema } from '../../../server/src/schema/build-schema';
import { useWorld } from '../../testkit/run';

/**
 * Introspection never shows applied directives, so each field protected by `@requires` states its
 * permission in its description: the explorer's docs pane and any introspecting tool show it.
 */

const kit = useWorld({ seed: false });

const INTROSPECT = `{ __schema { types { name kind fields { name description } } } }`;

interface IntrospectedType {
  name: string;
  kind: string;
  fields: { name: string; description: string | null }[] | null;
}

test('Query.customers says “Requires CUSTOMER_READ” in introspection', async () => {
  const res = await kit.app.api.request('{ __type(name: "Query") { fields { name description } } }');
  const customers = res.data.__type.fields.find((f: { name: string }) => f.name === 'customers');
  expect(customers.description).toContain('Requires CUSTOMER_READ.');
});

test('every field with @requires names its permission(s) in its description, and no other field does', async () => {
  const schema = buildNokkelSchema();
  const res = await kit.app.api.request<{ __schema: { types: IntrospectedType[] } }>(INTROSPECT);
  expect(res.errors).toEqual([]);
  const introspected = new Map(res.data!.__schema.types.map((t) => [t.name, t]));
  let protectedFields = 0;
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const args = getDirective(schema, field, REQUIRES)?.[0];
      const description = introspected.get(type.name)?.fields?.find((f) => f.name === field.name)?.description ?? '';
      const where = `${type.name}.${field.name}`;
      if (!args) {
        expect({ where, mentions: /\bRequires [A-Z_]+\b/.test(description) }).toEqual({ where, mentions: false });
        continue;
      }
      protectedFields += 1;
      const permissions = [args.permission, ...(args.anyOf ?? [])].filter(Boolean) as string[];
      expect({ where, description }).toEqual({
        where,
        description: expect.stringContaining(`Requires ${permissions.join(' or ')}`),
      });
    }
  }
  expect(protectedFields).toBeGreaterThan(30);
});
