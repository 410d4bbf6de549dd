import type { ActingContext, AuthenticatedActing } from '../auth/acting-context';
import { BadUserInput, Forbidden, PermissionCeilingExceeded } from '../shared/errors';
import { Permission, PermissionSet } from '../shared/permission';

/**
 * R6: whether the caller may manage keys of this owner: the owner themself, or an employee with
 * USER_ADMIN "in the same company" — one held in one's own company, never one an office's access
 * template would grant at a client (a key made there would outlive the link and the client's switch).
 */
export function mayManageKeysOf(acting: AuthenticatedActing, ownerId: string): boolean {
  return acting.employee.id === ownerId || (!acting.atClient && acting.permissions.has(Permission.USER_ADMIN));
}

/** R6: refuses creating a key for someone else without USER_ADMIN (FORBIDDEN). */
export function assertMayCreateKeyFor(acting: AuthenticatedActing, ownerId: string): void {
  if (!mayManageKeysOf(acting, ownerId)) {
    throw new Forbidden('You can create keys for yourself only, unless you are a user administrator (USER_ADMIN).');
  }
}

/**
 * R6: the most an actor may put into a key of `ownerId`. The owner acting in person is capped only
 * by their own ceiling (R2), so "all access" can hold permissions they get later; anyone else —
 * a user administrator, or any key — can hand out at most what they can do themselves, because the
 * secret is handed to them.
 */
export function delegationCap(acting: ActingContext, ownerId: string): PermissionSet {
  const ownerInPerson = acting.credential === 'session' && !acting.atClient && acting.employee?.id === ownerId;
  return ownerInPerson ? PermissionSet.ALL : acting.permissions;
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
  if (linkedAtClients && (acting.atClient || !cap.has(Permission.CLIENT_ADMIN))) {
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
  if (acting.credential === 'key' && acting.atClient) {
    throw new Forbidden(
      'A key acting at a client cannot create or restore keys there; the client’s own users manage its keys.',
    );
  }
}
