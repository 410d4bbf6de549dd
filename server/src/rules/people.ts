import type { EmployeeRecord } from '../shared/records';
import { Conflict, Forbidden, PermissionCeilingExceeded, Unauthenticated } from '../shared/errors';
import { Permission, PermissionSet } from '../shared/permission';

/** R23: an employee without LOGIN is deactivated. */
export function isDeactivated(permissions: PermissionSet): boolean {
  return !permissions.has(Permission.LOGIN);
}

/**
 * R23 + R3: what an employee's keys can draw on — the employee's permissions, or nothing while the
 * employee is deactivated (every key of theirs is refused then, whatever it holds).
 */
export function keysCeilingOf(permissions: PermissionSet): PermissionSet {
  return isDeactivated(permissions) ? PermissionSet.EMPTY : permissions;
}

/** R23: a deactivated employee's sessions are refused (UNAUTHENTICATED). */
export function assertSessionPersonActive(person: Pick<EmployeeRecord, 'permissionBits'>): void {
  if (isDeactivated(PermissionSet.fromBits(person.permissionBits))) {
    throw new Unauthenticated('This employee is deactivated (no LOGIN permission) and may no longer log in.');
  }
}

/**
 * R23: every key of a deactivated employee is refused (UNAUTHENTICATED, saying so); giving LOGIN
 * back brings the keys back, because the check reads the owner's permissions at each request.
 */
export function assertKeyOwnerActive(owner: Pick<EmployeeRecord, 'permissionBits'>): void {
  if (isDeactivated(PermissionSet.fromBits(owner.permissionBits))) {
    throw new Unauthenticated(
      'This key’s owner is deactivated (no LOGIN permission), so the key is refused until the owner can log in again.',
    );
  }
}

/**
 * R23: a login succeeds only with the right password of an account that is not deactivated; an
 * unknown email, a wrong password and a deactivated account get the same refusal (UNAUTHENTICATED),
 * after the same work, so the answer does not tell a deactivated account's password apart.
 */
export function assertLoginAllowed(
  person: Pick<EmployeeRecord, 'permissionBits' | 'passwordHash'> | null,
  passwordMatches: boolean,
): asserts person is EmployeeRecord {
  if (
    !person ||
    !person.passwordHash ||
    !passwordMatches ||
    isDeactivated(PermissionSet.fromBits(person.permissionBits))
  ) {
    throw new Unauthenticated('Wrong email or password.');
  }
}

/** R24: the roles a company always keeps at least one active (LOGIN) holder of. */
export const KEPT_ROLES: readonly Permission[] = [Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN];

/** R24: the kept roles that no active employee would hold, given every employee's permissions. */
export function rolesWithoutActiveHolder(everyone: readonly PermissionSet[]): Permission[] {
  return KEPT_ROLES.filter((role) => !everyone.some((p) => p.has(role) && p.has(Permission.LOGIN)));
}

/**
 * R24: refuses a change of one employee's permissions that would leave the company without an
 * active ACCOUNT_ADMIN or USER_ADMIN (CONFLICT). `others` are the other employees' permissions that
 * hold a kept role, read under lock.
 */
export function assertKeepsAdministrators(
  employeeName: string,
  before: PermissionSet,
  requested: PermissionSet,
  others: readonly PermissionSet[],
): void {
  const lost = rolesWithoutActiveHolder([...others, requested]).filter(
    (role) => !rolesWithoutActiveHolder([...others, before]).includes(role),
  );
  if (!lost.length) return;
  throw new Conflict(
    `${employeeName} is the company’s last active employee with ${lost.join(' and ')} (with LOGIN); give it to someone else first.`,
    { permissions: lost },
  );
}

/**
 * R24 (and R2 for people): an administrator changes only permissions they hold themselves — no
 * granting beyond oneself, no removing what one does not have — and cannot deactivate (remove
 * LOGIN from) someone who holds a permission the administrator lacks.
 */
export function assertMayChangePermissions(
  actor: PermissionSet,
  employeeName: string,
  current: PermissionSet,
  requested: PermissionSet,
): void {
  const changed = requested.minus(current).union(current.minus(requested));
  const beyond = changed.minus(actor);
  if (!beyond.isEmpty) throw new PermissionCeilingExceeded(beyond.toArray(), 'your own access', 'change');
  if (current.has(Permission.LOGIN) && !requested.has(Permission.LOGIN)) {
    const outranks = current.minus(actor);
    if (!outranks.isEmpty) {
      throw new Forbidden(
        `You cannot deactivate ${employeeName}: they hold ${outranks.toArray().join(', ')}, which you do not have.`,
        { permissions: outranks.toArray() },
      );
    }
  }
}
