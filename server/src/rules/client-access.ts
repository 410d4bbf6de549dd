import type { UserKeyRecord } from '../shared/records';
import type { AuthenticatedActing, CredentialKind } from '../auth/acting-context';
import { CompanyKind, UserKeyKind } from '../shared/domain-enums';
import {
  AccountantKeyNotSupported,
  BadUserInput,
  Conflict,
  ErrorCode,
  Forbidden,
  InputCheck,
  type ClientFailure,
} from '../shared/errors';
import { isIdOf } from '../shared/ids';
import { Permission, PermissionSet } from '../shared/permission';

/** R16: the most clients one link or unlink call may name. */
export const MAX_CLIENTS_PER_CALL = 10_000;

/**
 * R16 + R19: clients, templates and client links are managed by an accounting office acting in its
 * own company (never from a client, through a link). The permission itself (CLIENT_ADMIN) is
 * declared on each mutation.
 */
export function assertActsAsOffice(acting: AuthenticatedActing): void {
  if (acting.atClient || acting.company.kind !== CompanyKind.ACCOUNTING_OFFICE) {
    throw new Forbidden('Only an accounting office, acting in its own company, manages clients and access templates.');
  }
}

/** R16: the distinct client ids of a call, 1–10,000 of them, in a fixed order (the order rows are locked in). */
export function distinctClientIds(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)].sort();
  new InputCheck()
    .require(
      unique.length > 0 && unique.length <= MAX_CLIENTS_PER_CALL,
      'clientIds',
      `must list 1–${MAX_CLIENTS_PER_CALL} clients`,
    )
    .done();
  return unique;
}

/**
 * R16: which requested clients cannot be linked, and why: malformed, or not a client of this office
 * (one answer for unknown and foreign ids, so nothing leaks about other tenants).
 */
export function clientLinkFailures(requested: readonly string[], officeClients: ReadonlySet<string>): ClientFailure[] {
  return requested
    .filter((id) => !officeClients.has(id))
    .map((clientId) =>
      isIdOf('company', clientId)
        ? { clientId, code: ErrorCode.NOT_FOUND, message: 'not a client of this accounting office' }
        : { clientId, code: ErrorCode.BAD_USER_INPUT, message: 'not a Company.id' },
    );
}

/**
 * R16: the clients a link call changes: those not linked yet, and those linked under another
 * template. Linking again under the same template changes nothing (and is not audited).
 */
export function clientsChangedByLink(
  requested: readonly string[],
  currentTemplateByClient: ReadonlyMap<string, string>,
  templateId: string,
): string[] {
  return requested.filter((id) => currentTemplateByClient.get(id) !== templateId);
}

/**
 * R16: only accountant keys are linked to clients (an end-user key acts in its own company only),
 * and a revoked key is not linked again; its links can still be removed.
 */
export function assertLinkableKey(key: Pick<UserKeyRecord, 'kind' | 'revokedAt'>, purpose: 'link' | 'unlink'): void {
  if (key.kind !== UserKeyKind.ACCOUNTANT) {
    throw new AccountantKeyNotSupported('Only accountant keys can be linked to clients; this is an end-user key.');
  }
  if (key.revokedAt && purpose === 'link') throw new Conflict('A revoked key cannot be linked.');
}

/** R22: the administration permissions, which never take effect at a client through a link. */
export const ADMINISTRATION = PermissionSet.of([
  Permission.USER_ADMIN,
  Permission.ACCOUNT_ADMIN,
  Permission.CLIENT_ADMIN,
]);

/** R22: a permission set as it may act at a client: without the administration permissions. */
export function withoutAdministration(permissions: PermissionSet): PermissionSet {
  return permissions.minus(ADMINISTRATION);
}

/**
 * R22: an access template cannot hold USER_ADMIN, ACCOUNT_ADMIN or CLIENT_ADMIN (BAD_USER_INPUT
 * naming them): administering a client belongs to the client's own people.
 */
export function assertTemplatePermissions(permissions: PermissionSet): void {
  const refused = permissions.intersect(ADMINISTRATION);
  if (refused.isEmpty) return;
  throw new BadUserInput([
    {
      field: 'permissions',
      message: `an access template cannot give ${refused.toArray().join(', ')}: administration at a client is done by the client’s own administrators`,
    },
  ]);
}

/** What must hold for an office's key to act at a client (R17), and what is wrong when it does not. */
export interface ClientAccessConditions {
  keyActive: boolean;
  linked: boolean;
  apiAccess: boolean;
  officeIntegrationsActive: boolean;
}

export type ClientAccessRefusal = 'KEY_NOT_ACTIVE' | 'NOT_LINKED' | 'API_ACCESS_OFF' | 'INTEGRATIONS_NOT_ACTIVE';

/** R17: the first condition that keeps a key from acting at a client, or null when all hold. */
export function clientAccessRefusal(c: ClientAccessConditions): ClientAccessRefusal | null {
  if (!c.keyActive) return 'KEY_NOT_ACTIVE';
  if (!c.officeIntegrationsActive) return 'INTEGRATIONS_NOT_ACTIVE';
  if (!c.linked) return 'NOT_LINKED';
  if (!c.apiAccess) return 'API_ACCESS_OFF';
  return null;
}

/**
 * R17 + R22: what a key (or a linked person: key = ALL) may do at a client: key ∩ owner ∩ the link's
 * template, never an administration permission, whatever a template holds.
 */
export function effectiveAtClient(key: PermissionSet, owner: PermissionSet, template: PermissionSet): PermissionSet {
  return withoutAdministration(key.intersect(owner).intersect(template));
}

/** R17: an accountant key's effective permissions at a client: empty unless every condition holds. */
export function keyEffectiveAtClient(
  conditions: ClientAccessConditions,
  key: PermissionSet,
  owner: PermissionSet,
  template: PermissionSet,
): PermissionSet {
  return clientAccessRefusal(conditions) === null ? effectiveAtClient(key, owner, template) : PermissionSet.EMPTY;
}

/**
 * R18: the client's API switch governs the office's keys. Office people acting at the client with a
 * session (the accounting UI) are governed by their link and its template instead.
 */
export function switchGoverns(credential: CredentialKind): boolean {
  return credential === 'key';
}

/** What a refusal of a client's own-administrator action says, in that action's words. */
export interface OwnAdministratorRefusals {
  /** The caller is not acting in its own company (acting at a client through a link counts as not). */
  notOwnCompany: string;
  /** The caller is in its own company but lacks ACCOUNT_ADMIN there. */
  noAccountAdmin: string;
}

/**
 * R18, R33: some decisions about a client's books belong to the client's own account administrators
 * alone, acting in their own company with ACCOUNT_ADMIN there; an office acting at the client through
 * a link never makes them, whatever the link's template holds.
 */
export function assertClientOwnAccountAdministrator(
  acting: AuthenticatedActing,
  refusals: OwnAdministratorRefusals,
): void {
  if (acting.atClient || acting.employee.companyId !== acting.company.id) {
    throw new Forbidden(refusals.notOwnCompany);
  }
  if (!acting.permissions.has(Permission.ACCOUNT_ADMIN)) {
    throw new Forbidden(refusals.noAccountAdmin, { requiredPermission: [Permission.ACCOUNT_ADMIN] });
  }
}

/** R18 (amended): only the client's own account administrators turn its office's API access on or off. */
export function assertMaySetApiAccess(acting: AuthenticatedActing): void {
  assertClientOwnAccountAdministrator(acting, {
    notOwnCompany:
      'Only the client’s own account administrators, acting in their own company, turn its accounting office’s API access on or off.',
    noAccountAdmin: 'Turning an accounting office’s API access on or off needs ACCOUNT_ADMIN.',
  });
}

/** R19: a template in use by any link cannot be deleted (CONFLICT); relink or unlink first. */
export function assertTemplateDeletable(name: string, linkCount: number): void {
  if (linkCount > 0) {
    throw new Conflict(
      `The access template “${name}” is used by ${linkCount} client link(s); relink or unlink them first.`,
      {
        linkCount,
      },
    );
  }
}

/** R19: the most access templates an office keeps (every template is listed at once). */
export const MAX_TEMPLATES_PER_OFFICE = 100;

/** R19: refuses a new template past MAX_TEMPLATES_PER_OFFICE (CONFLICT). */
export function assertRoomForTemplate(existing: number): void {
  if (existing >= MAX_TEMPLATES_PER_OFFICE) {
    throw new Conflict(
      `An accounting office keeps at most ${MAX_TEMPLATES_PER_OFFICE} access templates; delete one it no longer uses first.`,
      { limit: MAX_TEMPLATES_PER_OFFICE },
    );
  }
}
