import type { ActingContext } from '../auth/acting-context';
import { Forbidden } from '../shared/errors';
import type { Permission } from '../shared/permission';

/** A field's declared requirement (`@requires`), as the directive carries it. */
export interface FieldRequirement {
  typeName: string;
  fieldName: string;
  /** Any one of these permissions in the acting company opens the field. */
  anyOf: readonly Permission[];
  /** The caller's own employee record opens it too (e.g. one's own email). */
  orSelf: boolean;
}

/**
 * Employee records that a login in this request has just authenticated (LoginPayload.employee).
 * Held by object identity: each request loads its own objects, so a mark never reaches another
 * request, and it holds on every executor (graphql-jit's paths carry no parent type names).
 */
const loginSubjects = new WeakSet<object>();

/** The person a successful login authenticated reads their own record (email) in the login's answer. */
export function markLoginSubject(employee: object): void {
  loginSubjects.add(employee);
}

/**
 * Whether an employee record is the caller's own: the person of the session, the owner of the key
 * making the request, or the person a login just authenticated (see markLoginSubject).
 */
export function isOwnRecord(acting: ActingContext, source: unknown): boolean {
  if (typeof source === 'object' && source !== null && loginSubjects.has(source)) return true;
  const id = (source as { id?: unknown } | null | undefined)?.id;
  return typeof id === 'string' && id === acting.employee?.id;
}

/**
 * Field-level authorization (SPEC section 4): a field declared with `@requires` opens to a caller
 * with one of its permissions in the acting company, and only for objects of that company —
 * permissions are granted per company and never open another company's object. A field that also
 * opens for one's own record does so wherever the record is met. FORBIDDEN otherwise.
 */
export function assertFieldAllowed(acting: ActingContext, requirement: FieldRequirement, source: unknown): void {
  const { typeName, fieldName, anyOf } = requirement;
  if (requirement.orSelf && isOwnRecord(acting, source)) return;
  if (!anyOf.some((p) => acting.permissions.has(p))) {
    throw new Forbidden(
      `${typeName}.${fieldName} requires the ${anyOf.join(' or ')} permission in ${acting.company?.name ?? 'this company'}.`,
      { requiredPermission: [...anyOf] },
    );
  }
  const owner = (source as { companyId?: unknown } | undefined)?.companyId;
  if (typeof owner === 'string' && owner !== acting.company?.id) {
    throw new Forbidden(`${typeName}.${fieldName} belongs to another company and is not visible here.`);
  }
}
