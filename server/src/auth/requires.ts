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
import { Directive } from 'type-graphql';
import type { RequestContext } from '../context/request-context';
import type { ActingContext } from './acting-context';
import { assertFieldAllowed } from '../rules/fields';
import { OPEN_ROOT_FIELDS } from './open-fields';
import { isPermission, type Permission } from './permission';

export const REQUIRES = 'requires';

/**
 * Declares that a field, query or mutation needs a permission in the acting company:
 * `@Requires(Permission.PAYROLL_READ)`, or several for "any of them". Shows in the SDL.
 */
export function Requires(...anyOf: [Permission, ...Permission[]]): MethodDecorator & PropertyDecorator {
  return Directive(
    anyOf.length === 1 ? `@${REQUIRES}(permission: ${anyOf[0]})` : `@${REQUIRES}(anyOf: [${anyOf.join(', ')}])`,
  );
}

/**
 * Like `Requires`, but the caller's own employee record opens the field too:
 * `@requires(permission: EMPLOYEE_READ, orSelf: true)` (one's own email, wherever it is met).
 */
export function RequiresOrSelf(permission: Permission): MethodDecorator & PropertyDecorator {
  return Directive(`@${REQUIRES}(permission: ${permission}, orSelf: true)`);
}

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

function requiredPermissions(args: Record<string, unknown> | undefined): Permission[] {
  if (!args) return [];
  const list = [args.permission, ...((args.anyOf as unknown[] | undefined) ?? [])].filter(isPermission);
  if (!list.length) throw new Error('@requires needs `permission` or `anyOf`');
  return list;
}

/**
 * What a field's description says about its requirement, so the explorer's documentation and any
 * introspection show it (applied directives themselves never appear in introspection).
 */
export function requirementNote(anyOf: readonly Permission[], orSelf: boolean): string {
  return `Requires ${anyOf.join(' or ')}${orSelf ? ' (one’s own record needs no permission)' : ''}.`;
}

/**
 * Enforces a root query's `@requires` (as declared in the schema) for another path to the same
 * objects, e.g. `node(id:)` reaching an employee needs what `Query.employee` needs.
 */
export function assertRootFieldAllowed(schema: GraphQLSchema, acting: ActingContext, fieldName: string): void {
  const field = schema.getQueryType()?.getFields()[fieldName];
  if (!field) throw new Error(`Query.${fieldName} is not in the schema`);
  const args = getDirective(schema, field, REQUIRES)?.[0];
  acting.authenticated();
  if (!args) return;
  const requirement = { typeName: 'Query', fieldName, anyOf: requiredPermissions(args), orSelf: false };
  assertFieldAllowed(acting, requirement, undefined);
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
