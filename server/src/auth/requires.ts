import { Directive } from 'type-graphql';
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

/** The permissions a `@requires` directive's arguments name (any of them opens the field). */
export function requiredPermissions(args: Record<string, unknown> | undefined): Permission[] {
  if (!args) return [];
  const list = [args.permission, ...((args.anyOf as unknown[] | undefined) ?? [])].filter(isPermission);
  if (!list.length) throw new Error('@requires needs `permission` or `anyOf`');
  return list;
}
