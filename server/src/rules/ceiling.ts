import { PERMISSION_CATALOG, PermissionSet, type Permission } from '../shared/permission';
import { PermissionCeilingExceeded } from '../shared/errors';
import { KeyAccessMode } from '../shared/domain-enums';

/** What a grant would add beyond the owner's permissions (R2) and beyond the actor's own (R6). */
export interface GrantExcess {
  beyondOwner: PermissionSet;
  beyondActor: PermissionSet;
}

/**
 * R2: the permissions a grant adds past the owner's ceiling, and (R6) past the actor's cap.
 * Permissions the key already holds may stay: keeping is not granting.
 */
export function grantExcess(
  requested: PermissionSet,
  alreadyHeld: PermissionSet,
  owner: PermissionSet,
  cap: PermissionSet,
): GrantExcess {
  const added = requested.minus(alreadyHeld);
  return { beyondOwner: added.minus(owner), beyondActor: added.minus(cap) };
}

/**
 * R2 + R6: refuses a grant that adds permissions beyond the owner's ceiling or the actor's cap,
 * listing every offending permission at once (PERMISSION_CEILING_EXCEEDED).
 */
export function assertGrantAllowed(
  requested: PermissionSet,
  alreadyHeld: PermissionSet,
  owner: PermissionSet,
  cap: PermissionSet,
): void {
  const { beyondOwner, beyondActor } = grantExcess(requested, alreadyHeld, owner, cap);
  if (beyondOwner.isEmpty && beyondActor.isEmpty) return;
  const whose = [beyondOwner.isEmpty ? null : 'the key’s owner', beyondActor.isEmpty ? null : 'your own access'];
  throw new PermissionCeilingExceeded(beyondOwner.union(beyondActor).toArray(), whose.filter(Boolean).join(' or '));
}

/** R3: what a key may do in its own company now: its permissions ∩ its owner's current permissions. */
export function effectiveAtHome(key: PermissionSet, owner: PermissionSet): PermissionSet {
  return key.intersect(owner);
}

/**
 * R4: the permissions a new key holds, by access mode: every permission, a snapshot of the owner's,
 * or exactly the list given; never more than the actor may hand out (R6 cap). A CUSTOM list is
 * checked against the ceiling with assertGrantAllowed, not silently cut.
 */
export function initialKeyPermissions(
  mode: KeyAccessMode,
  owner: PermissionSet,
  requested: readonly Permission[] | null | undefined,
  cap: PermissionSet = PermissionSet.ALL,
): PermissionSet {
  switch (mode) {
    case KeyAccessMode.ALL_ACCESS:
      return PermissionSet.ALL.intersect(cap);
    case KeyAccessMode.COPY_EMPLOYEE:
      return owner.intersect(cap);
    case KeyAccessMode.CUSTOM:
      return PermissionSet.of(requested ?? []);
  }
}

export interface PermissionGrant {
  permission: Permission;
  granted: boolean;
  effective: boolean;
  locked: boolean;
}

/** R5: every catalog permission with granted / effective / locked (the owner lacks it). */
export function permissionGrants(
  key: PermissionSet,
  owner: PermissionSet,
  effective: PermissionSet,
): PermissionGrant[] {
  return PERMISSION_CATALOG.map(({ permission }) => ({
    permission,
    granted: key.has(permission),
    effective: effective.has(permission),
    locked: !owner.has(permission),
  }));
}
