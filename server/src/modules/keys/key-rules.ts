import type { ActingContext } from '../../auth/acting-context';
import { Permission, PERMISSION_CATALOG, PermissionSet } from '../../auth/permission';
import { BadUserInput, Forbidden, PermissionCeilingExceeded } from '../../shared/errors';
import { KeyAccessMode } from './user-key.entity';

/** R3: what a key may do in its own company: its permissions ∩ its owner's current permissions. */
export function effectiveAtHome(key: PermissionSet, owner: PermissionSet): PermissionSet {
  return key.intersect(owner);
}

/** R17: what a key (or a linked person, key = ALL) may do at a client: key ∩ owner ∩ template. */
export function effectiveAtClient(key: PermissionSet, owner: PermissionSet, template: PermissionSet): PermissionSet {
  return key.intersect(owner).intersect(template);
}

/** R4: the permissions a new key holds, by access mode. */
export function initialKeyPermissions(
  mode: KeyAccessMode,
  owner: PermissionSet,
  requested: readonly Permission[] | null | undefined,
): PermissionSet {
  switch (mode) {
    case KeyAccessMode.ALL_ACCESS:
      return PermissionSet.ALL;
    case KeyAccessMode.COPY_EMPLOYEE:
      return owner;
    case KeyAccessMode.CUSTOM:
      return PermissionSet.of(requested ?? []);
  }
}

/**
 * R6: the most an actor may put into a key of `ownerId`. The owner acting in person is capped only
 * by their own ceiling (R2), so "all access" can hold permissions they get later; anyone else —
 * a user administrator, or any key — can hand out at most what they can do themselves, because the
 * secret is handed to them.
 */
export function delegationCap(acting: ActingContext, ownerId: string): PermissionSet {
  const ownerInPerson = acting.credential === 'session' && acting.isHome && acting.employee?.id === ownerId;
  return ownerInPerson ? PermissionSet.ALL : acting.permissions;
}

/**
 * R2 + R6: refuses a grant that adds permissions beyond the owner's ceiling or the actor's cap,
 * listing every offending permission at once. Permissions the key already holds may stay
 * (keeping is not granting).
 */
export function assertGrantAllowed(
  requested: PermissionSet,
  alreadyHeld: PermissionSet,
  owner: PermissionSet,
  cap: PermissionSet,
): void {
  const added = requested.minus(alreadyHeld);
  const beyondOwner = added.minus(owner);
  const beyondActor = added.minus(cap);
  if (beyondOwner.isEmpty && beyondActor.isEmpty) return;
  const whose = [beyondOwner.isEmpty ? null : 'the key’s owner', beyondActor.isEmpty ? null : 'your own access'];
  throw new PermissionCeilingExceeded(beyondOwner.union(beyondActor).toArray(), whose.filter(Boolean).join(' or '));
}

/**
 * R6, in time: a key that expires hands out no secret that outlives it (a new key, or a restored
 * one), or a short-lived key could mint itself a permanent successor.
 */
function outlivesActor(acting: ActingContext, expiresAt: Date | null): boolean {
  const limit = acting.credential === 'key' ? (acting.userKey?.expiresAt ?? null) : null;
  return limit !== null && (expiresAt === null || expiresAt.getTime() > limit.getTime());
}

/** R6: a key created by an expiring key must expire no later than it (BAD_USER_INPUT on expiresAt). */
export function assertWithinLifetime(acting: ActingContext, expiresAt: Date | null): void {
  if (!outlivesActor(acting, expiresAt)) return;
  const limit = acting.userKey?.expiresAt?.toISOString();
  throw new BadUserInput([
    {
      field: 'expiresAt',
      message: `must be set, and no later than ${limit}, when the key making this request expires`,
    },
  ]);
}

/**
 * R6 + R9 + R15: restoring hands the caller a working secret for everything the key holds, including
 * locked permissions that start working the day the owner gets them, and — for an accountant key —
 * its reach at every client it is linked to; so the caller must be able to hand out all of it, for
 * as long as the key lives. Reach at clients is given by CLIENT_ADMIN in the office (who links
 * keys); without it, an end-user key or a user administrator would gain clients it cannot act at.
 * The key itself and its owner in person already have that reach.
 */
export function assertRestoreAllowed(
  acting: ActingContext,
  key: { id: string; ownerId: string; permissionSet: PermissionSet; expiresAt: Date | null },
  linkedAtClients: boolean,
): void {
  if (acting.credential === 'key' && acting.userKey?.id === key.id) return;
  const cap = delegationCap(acting, key.ownerId);
  const beyond = key.permissionSet.minus(cap);
  if (!beyond.isEmpty) throw new PermissionCeilingExceeded(beyond.toArray(), 'your own access');
  if (linkedAtClients && !(acting.isHome && cap.has(Permission.CLIENT_ADMIN))) {
    throw new Forbidden(
      'This key acts at the clients it is linked to; restoring it for someone else needs CLIENT_ADMIN in the accounting office (the right to give access at clients).',
    );
  }
  if (outlivesActor(acting, key.expiresAt)) {
    throw new Forbidden('This key expires before the key you are restoring, so it cannot hand out its secret.');
  }
}

/**
 * R6 + R15: a key acting at a client through its office's link issues no secrets there (no new
 * key, no restore): such a secret would belong to the client and outlive the client's API switch
 * and the office's link. The client's own people (or the office's people in person) manage its keys.
 */
export function assertMayIssueSecretsHere(acting: ActingContext): void {
  if (acting.credential === 'key' && !acting.isHome) {
    throw new Forbidden(
      'A key acting at a client cannot create or restore keys there; the client’s own users manage its keys.',
    );
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
