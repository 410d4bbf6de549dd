import { getDirective } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import type { ActingContext } from '../../auth/acting-context';
import { REQUIRES, requiredPermissions } from '../../auth/requires';
import { assertFieldAllowed } from '../../rules/fields';

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
