import type { ActingContext } from '../../auth/acting-context';
import type { FieldRequirement } from '../../rules/fields';
import { isSensitiveField, permissionsExercised } from '../../rules/usage';
import { PermissionSet } from '../../shared/permission';

/**
 * R34: what one request made with a key exercised: the permissions that opened its fields, and the
 * sensitive fields it read (`Type.field`, once each). Kept in memory; the recorder takes it at the
 * end of the request.
 */
export class RequestUsage {
  permissions = PermissionSet.EMPTY;
  readonly sensitiveFields = new Set<string>();

  /** The fields already noted: a list of 100 rows notes its protected field once. */
  private readonly noted = new Set<FieldRequirement>();

  /** Called by the field guard (schema/authorization.ts) each time a protected field opened. */
  fieldOpened(requirement: FieldRequirement, acting: ActingContext): void {
    if (this.noted.has(requirement)) return;
    this.noted.add(requirement);
    const used = permissionsExercised(requirement.anyOf, acting.permissions);
    if (used.isEmpty) return;
    this.permissions = this.permissions.union(used);
    if (isSensitiveField(used.toArray())) this.sensitiveFields.add(`${requirement.typeName}.${requirement.fieldName}`);
  }
}
