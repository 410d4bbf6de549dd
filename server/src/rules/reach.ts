import type { AuthenticatedActing } from '../auth/acting-context';
import { ReachBlockedReason, UserKeyKind } from '../shared/domain-enums';
import { BadUserInput, BlockedByClient } from '../shared/errors';
import { PermissionSet } from '../shared/permission';
import {
  assertClientOwnAccountAdministrator,
  clientAccessRefusal,
  effectiveAtClient,
  type ClientAccessConditions,
} from './client-access';

/** What R32 weighs for one link of a key: R17's conditions, the owner (R23) and the client's block (R33). */
export interface ReachConditions extends ClientAccessConditions {
  ownerActive: boolean;
  blockedByClient: boolean;
}

/** One linked client as a key reaches it (R32). */
export interface ReachAtClient {
  effectivePermissions: PermissionSet;
  canAct: boolean;
  blockedReason: ReachBlockedReason | null;
}

/**
 * R32: where a key stands at one linked client: its effective permissions there (R17: key ∩ owner ∩
 * template, never administration) and the first reason it cannot act, in the order a request meets
 * them — the key, its owner, the office's add-on, the client's switch, the client's block, and
 * finally nothing left to do.
 */
export function reachAtClient(
  c: ReachConditions,
  key: PermissionSet,
  owner: PermissionSet,
  template: PermissionSet,
): ReachAtClient {
  const refusal = clientAccessRefusal(c);
  let reason: ReachBlockedReason | null = null;
  if (refusal === 'KEY_NOT_ACTIVE') reason = ReachBlockedReason.KEY_NOT_ACTIVE;
  else if (!c.ownerActive) reason = ReachBlockedReason.OWNER_DEACTIVATED;
  else if (refusal === 'INTEGRATIONS_NOT_ACTIVE') reason = ReachBlockedReason.INTEGRATIONS_NOT_ACTIVE;
  else if (refusal === 'API_ACCESS_OFF') reason = ReachBlockedReason.API_ACCESS_OFF;
  else if (c.blockedByClient) reason = ReachBlockedReason.BLOCKED_BY_CLIENT;
  const permissions = reason === null ? effectiveAtClient(key, owner, template) : PermissionSet.EMPTY;
  if (reason === null && permissions.isEmpty) reason = ReachBlockedReason.NO_EFFECTIVE_PERMISSIONS;
  return { effectivePermissions: permissions, canAct: reason === null, blockedReason: reason };
}

/**
 * R32: an accountant key without X-Company-Id acts nowhere (R15), but may still read who it is and
 * where it can act (`viewer`). Returns whether this request is such a reach-only request.
 */
export function isReachOnlyRequest(kind: UserKeyKind, atHome: boolean): boolean {
  return kind === UserKeyKind.ACCOUNTANT && atHome;
}

/** A field an operation selects, with the names of the fields it selects in turn. */
export interface SelectedField {
  name: string;
  children: readonly string[];
}

/**
 * R32: whether a reach-only request reads nothing but its own key — `viewer { userKey { … } }`
 * (and `__typename`): not the office's books, not even the viewer's company or permissions.
 */
export function isReachRead(operation: 'query' | 'mutation' | 'subscription', root: readonly SelectedField[]): boolean {
  return (
    operation === 'query' &&
    root.every(
      (f) =>
        f.name === '__typename' ||
        (f.name === 'viewer' && f.children.every((c) => c === 'userKey' || c === '__typename')),
    )
  );
}

/**
 * R33: a client that blocked a key, its application or its owner refuses it (BLOCKED_BY_CLIENT) at
 * that client only. `blocked` is whether the client holds a block on any of them for this office.
 */
export function assertNotBlockedByClient(blocked: boolean): void {
  if (blocked) throw new BlockedByClient();
}

/**
 * R33: what a client's block names, for a key meeting it: the key itself, its catalog application,
 * or its owner (a person blocked is blocked with every key they own). The credential lookup checks
 * these same three columns.
 */
export function blockSubjectsOfKey(key: { id: string; applicationId: string | null; ownerId: string }): string[] {
  return [key.id, key.ownerId, ...(key.applicationId ? [key.applicationId] : [])];
}

/**
 * R33: only the client's own account administrators, acting in their own company, see which
 * offices act in its books and block their keys, applications or people.
 */
export function assertClientOwnAdministrator(acting: AuthenticatedActing): void {
  assertClientOwnAccountAdministrator(acting, {
    notOwnCompany:
      'Only the client’s own account administrators, acting in their own company, see and block who acts in its books.',
    noAccountAdmin: 'Seeing and blocking who acts in the company’s books needs ACCOUNT_ADMIN.',
  });
}

export type BlockSubject =
  { kind: 'userKey'; id: string } | { kind: 'application'; id: string } | { kind: 'employee'; id: string };

/** R33: a block names exactly one of a key, an application or a person (BAD_USER_INPUT otherwise). */
export function blockSubject(input: {
  userKeyId?: string | null;
  applicationId?: string | null;
  employeeId?: string | null;
}): BlockSubject {
  const given = (
    [
      ['userKey', input.userKeyId],
      ['application', input.applicationId],
      ['employee', input.employeeId],
    ] as const
  ).filter(([, id]) => id != null && id !== '');
  if (given.length !== 1) {
    throw new BadUserInput([
      { field: 'userKeyId', message: 'give exactly one of userKeyId, applicationId and employeeId' },
    ]);
  }
  const [kind, id] = given[0];
  return { kind, id: id as string };
}

/**
 * R32: what the `canAct` filter asks of each link of a key, so the database can page through the
 * matching links: whether any link can act at all (the key, its owner and the office's add-on
 * allow it), and the permissions the key and owner leave (R17) — a link can act when the client's
 * switch is on, it holds no block, and its template shares one of them. `reachAtClient` still
 * decides each node.
 */
export function canActFilter(
  c: Pick<ReachConditions, 'keyActive' | 'ownerActive' | 'officeIntegrationsActive'>,
  key: PermissionSet,
  owner: PermissionSet,
): { anyLinkCanAct: boolean; permissionMask: PermissionSet } {
  const keyLevel = clientAccessRefusal({ ...c, linked: true, apiAccess: true }) === null && c.ownerActive;
  return { anyLinkCanAct: keyLevel, permissionMask: effectiveAtClient(key, owner, PermissionSet.ALL) };
}

/**
 * R33: what a person of the office linked to a client may do there with a session: owner ∩
 * template (R17, R22), nothing once deactivated (R23) or blocked by the client. The client's API
 * switch governs keys only (R18).
 */
export function personAtClient(
  c: { ownerActive: boolean; blockedByClient: boolean },
  person: PermissionSet,
  template: PermissionSet,
): PermissionSet {
  if (!c.ownerActive || c.blockedByClient) return PermissionSet.EMPTY;
  return effectiveAtClient(PermissionSet.ALL, person, template);
}
