import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * Fields whose value is a getter that returns a Promise (the work runs only when the field is
 * selected). graphql-js awaits whatever a default-resolved field holds; graphql-jit reads such a
 * field inline and never awaits it, so each one needs a resolver of its own. A unit test fails
 * when a getter returning a Promise is added without its type and field here.
 */
export const ASYNC_PROPERTIES: { type: RegExp; field: string }[] = [
  // Page.totalCount runs its COUNT only when selected
  { type: /Connection$/, field: 'totalCount' },
  // the links of a bulk link are read back only when selected
  { type: /^BulkLinkClientsPayload$/, field: 'links' },
];

const readProperty =
  (name: string): GraphQLFieldResolver<Record<string, unknown>, unknown> =>
  (source) =>
    source[name];

/** Gives every field of ASYNC_PROPERTIES an explicit resolver, so each executor awaits it. */
export function resolveAsyncProperties(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const fields = type.getFields();
    for (const { type: pattern, field } of ASYNC_PROPERTIES) {
      const target = fields[field];
      if (pattern.test(type.name) && target && !target.resolve) target.resolve = readProperty(field);
    }
  }
  return schema;
}
