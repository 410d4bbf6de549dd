import type { AuthenticatedActing } from '../auth/acting-context';
import { BadUserInput, Forbidden } from '../shared/errors';
import { Permission, PermissionSet } from '../shared/permission';

/** R34: the permissions whose fields are sensitive: every key read of them is recorded. */
export const SENSITIVE_PERMISSIONS = PermissionSet.of([Permission.PAYROLL_READ, Permission.EMPLOYEE_READ]);

/** R34: whether reading a field that requires any of `anyOf` is a sensitive read. */
export function isSensitiveField(anyOf: readonly Permission[]): boolean {
  return anyOf.some((p) => SENSITIVE_PERMISSIONS.has(p));
}

/** R34: the permissions a request exercised by opening a field: those of `anyOf` it holds. */
export function permissionsExercised(anyOf: readonly Permission[], held: PermissionSet): PermissionSet {
  return PermissionSet.of(anyOf).intersect(held);
}

/** The last day usageDay named, by its number since 1970 (asked on every request of a key). */
let lastDay = { number: Number.NaN, text: '' };

/** R34: a usage day is the UTC calendar day, `YYYY-MM-DD`. */
export function usageDay(at: Date): string {
  const number = Math.floor(at.getTime() / 86_400_000);
  if (number !== lastDay.number) lastDay = { number, text: at.toISOString().slice(0, 10) };
  return lastDay.text;
}

/** R34: the longest range `UserKey.usage` answers at once. */
export const MAX_USAGE_DAYS = 366;

/** R34: `from` ≤ `to`, at most 366 days apart; returns the first and last day (inclusive). */
export function usageRange(from: Date, to: Date): { firstDay: string; lastDay: string } {
  const days = (to.getTime() - from.getTime()) / 86_400_000;
  if (!(days >= 0) || days > MAX_USAGE_DAYS) {
    throw new BadUserInput([{ field: 'to', message: `must be after from, at most ${MAX_USAGE_DAYS} days later` }]);
  }
  return { firstDay: usageDay(from), lastDay: usageDay(to) };
}

/**
 * Whose sensitive reads a caller sees (R34): reads made in its books (`inBooksOf`, the acting
 * company's ACCOUNT_ADMIN) and reads made by its own keys anywhere (`byKeysOf`, the office — its
 * ACCOUNT_ADMIN or USER_ADMIN, who see every key of the company, R20).
 */
export interface SensitiveReadScope {
  inBooksOf: string | null;
  byKeysOf: string | null;
}

/**
 * R34: the sensitive-read log is the acting company's, read in its own company (never through a
 * client link): its ACCOUNT_ADMIN sees what was read in its books and by its keys; its USER_ADMIN
 * what its keys read. Nobody else (FORBIDDEN).
 */
export function sensitiveReadScope(acting: AuthenticatedActing): SensitiveReadScope {
  const own = !acting.atClient && acting.employee.companyId === acting.company.id;
  const admin = own && acting.permissions.has(Permission.ACCOUNT_ADMIN);
  const keysAdmin = own && (admin || acting.permissions.has(Permission.USER_ADMIN));
  if (!keysAdmin) {
    throw new Forbidden(
      'The sensitive-read log is visible to the company’s account administrators (reads in its books) and user administrators (reads by its keys).',
      { requiredPermission: [Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN] },
    );
  }
  return { inBooksOf: admin ? acting.company.id : null, byKeysOf: acting.company.id };
}
