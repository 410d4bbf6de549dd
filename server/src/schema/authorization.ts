import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import {
  DirectiveLocation,
  GraphQLBoolean,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLSchema,
  defaultFieldResolver,
  type GraphQLFieldResolver,
} from 'graphql';
import { OPEN_ROOT_FIELDS } from '../auth/open-fields';
import type { Permission } from '../auth/permission';
import { REQUIRES, requiredPermissions } from '../auth/requires';
import type { RequestContext } from '../modules/request-context';
import { assertFieldAllowed } from '../rules/fields';

function requiresDirective(permissionEnum: GraphQLEnumType): GraphQLDirective {
  return new GraphQLDirective({
    name: REQUIRES,
    description:
      'The field needs this permission (or any of `anyOf`) in the acting company. A caller without it gets null and a FORBIDDEN error at the field’s path; a mutation fails as a whole.',
    locations: [DirectiveLocation.FIELD_DEFINITION],
    args: {
      permission: { type: permissionEnum },
      anyOf: { type: new GraphQLList(new GraphQLNonNull(permissionEnum)) },
      orSelf: {
        type: GraphQLBoolean,
        description: 'The caller’s own employee record opens the field without the permission.',
      },
    },
  });
}

const ROOT_TYPES = new Set(['Query', 'Mutation', 'Subscription']);

/**
 * What a field's description says about its requirement, so the explorer's documentation and any
 * introspection show it (applied directives themselves never appear in introspection).
 */
export function requirementNote(anyOf: readonly Permission[], orSelf: boolean): string {
  return `Requires ${anyOf.join(' or ')}${orSelf ? ' (one’s own record needs no permission)' : ''}.`;
}

/**
 * The single enforcement point of field authorization: wraps every field carrying `@requires`
 * and every root field not listed as open. Returns the schema with the directive declared.
 */
export function withAuthorization(built: GraphQLSchema): GraphQLSchema {
  const permissionEnum = built.getType('Permission');
  if (!(permissionEnum instanceof GraphQLEnumType)) throw new Error('Permission enum missing from schema');
  const schema = new GraphQLSchema({
    ...built.toConfig(),
    directives: [...built.getDirectives(), requiresDirective(permissionEnum)],
  });

  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const args = getDirective(schema, fieldConfig, REQUIRES)?.[0];
      const needed = requiredPermissions(args);
      const requirement = { typeName, fieldName, anyOf: needed, orSelf: args?.orSelf === true };
      const mustAuthenticate = ROOT_TYPES.has(typeName) && !OPEN_ROOT_FIELDS.has(`${typeName}.${fieldName}`);
      if (!needed.length && !mustAuthenticate) return fieldConfig;
      const note = needed.length ? requirementNote(needed, requirement.orSelf) : null;
      const description = note ? [fieldConfig.description, note].filter(Boolean).join(' ') : fieldConfig.description;

      const resolve: GraphQLFieldResolver<unknown, RequestContext> = fieldConfig.resolve ?? defaultFieldResolver;
      const guarded: GraphQLFieldResolver<unknown, RequestContext> = (source, args, context, info) => {
        const { acting } = context;
        if (mustAuthenticate) acting.authenticated();
        if (needed.length) {
          assertFieldAllowed(acting, requirement, source);
          context.usage?.fieldOpened(requirement, acting);
        }
        return resolve(source, args, context, info);
      };
      return { ...fieldConfig, description, resolve: guarded };
    },
  });
}
