import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';

/**
 * Relation fields whose row nearly always comes with its parent's: the client links of a page of
 * keys or clients are read with their client and template in one statement (client-link.repository
 * `windowedLinks`). Such a field answers the loaded relation at once and calls its resolver (which
 * loads it by id) only when the property is absent. type-graphql's handler builds its parameters
 * anew on every call; a key overview of 50 keys calls these two ~2,000 times (docs/PERFORMANCE.md).
 *
 * Applied before `withAuthorization`, so a field here that ever carries `@requires` stays guarded.
 */
export const PRELOADED_RELATIONS: { type: string; field: string }[] = [
  { type: 'ClientLink', field: 'client' },
  { type: 'ClientLink', field: 'template' },
];

/** Gives every field of PRELOADED_RELATIONS the shortcut; a type or field missing is a programming error. */
export function answerPreloadedRelations(schema: GraphQLSchema): GraphQLSchema {
  for (const { type: typeName, field: name } of PRELOADED_RELATIONS) {
    const type = schema.getType(typeName);
    const field = isObjectType(type) ? type.getFields()[name] : undefined;
    const load = field?.resolve;
    if (!field || !load) throw new Error(`${typeName}.${name} is not a field with a resolver`);
    const shortcut: GraphQLFieldResolver<Record<string, unknown>, unknown> = (source, args, context, info) =>
      source[name] ?? load(source, args, context, info);
    field.resolve = shortcut;
  }
  return schema;
}
