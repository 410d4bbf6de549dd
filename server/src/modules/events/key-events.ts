import type { ActingContext } from '../../auth/acting-context';
import type { PermissionSet } from '../../auth/permission';
import type { UserKey } from '../keys/user-key.entity';
import type { NewAccessEvent, RevocationReason } from './event-types';

/**
 * The events of a key's lifecycle (R35), built from the key as the service wrote it, so the key
 * services add one line each: the call that writes them in the change's transaction.
 */

type KeyFacts = Pick<UserKey, 'id' | 'companyId' | 'ownerId'>;

/** R35: `user_key.created` for a key just inserted (R1, R25: who created it). */
export function keyCreated(
  key: KeyFacts & Pick<UserKey, 'kind' | 'applicationId' | 'expiresAt' | 'createdByEmployeeId' | 'createdByUserKeyId'>,
): NewAccessEvent {
  return {
    type: 'user_key.created',
    companyId: key.companyId,
    data: {
      userKeyId: key.id,
      ownerId: key.ownerId,
      kind: key.kind,
      applicationId: key.applicationId,
      expiresAt: key.expiresAt?.toISOString() ?? null,
      createdByEmployeeId: key.createdByEmployeeId,
      createdByUserKeyId: key.createdByUserKeyId,
    },
  };
}

/** R35: `user_key.restored` for a key whose secret was just replaced (R9, R27 when `compromised`). */
export function keyRestored(key: KeyFacts, acting: ActingContext, compromised: boolean): NewAccessEvent {
  return {
    type: 'user_key.restored',
    companyId: key.companyId,
    data: {
      userKeyId: key.id,
      ownerId: key.ownerId,
      compromised,
      // the old secret is refused from the moment of the restore (R9): it has no grace period
      previousSecretExpiresAt: null,
      restoredByUserKeyId: acting.userKey?.id ?? null,
    },
  };
}

/**
 * R35: `user_key.permissions_reduced` for a key whose own permissions were edited (R5), listing
 * what it could do before and no longer can (`lost`, already cut to its owner's); none when the
 * edit took nothing effective away.
 */
export function keyPermissionsReduced(key: KeyFacts, lost: PermissionSet): NewAccessEvent[] {
  if (lost.isEmpty) return [];
  return [
    {
      type: 'user_key.permissions_reduced',
      companyId: key.companyId,
      data: {
        userKeyId: key.id,
        ownerId: key.ownerId,
        clientId: null,
        cause: 'KEY_PERMISSIONS',
        removedPermissions: lost.toArray(),
      },
    },
  ];
}

/** Why a revocation walk ran, as the walk's callers name it (key-revocation.ts). */
const REASONS: Record<string, RevocationReason> = {
  compromised: 'COMPROMISED',
  leak_reported: 'LEAK_REPORTED',
};

/**
 * R35: `user_key.revoked` for every key a revocation walk revoked (R10, R26, R27): the key asked
 * for is `REVOKED`, those that went down with it `REVOKED_WITH_CREATOR` (naming it), and with a
 * reason (a compromised secret, a reported leak) every key carries that reason.
 */
export function keysRevoked(keys: readonly KeyFacts[], cause: { from: string; reason?: string }): NewAccessEvent[] {
  const reason = cause.reason === undefined ? undefined : REASONS[cause.reason];
  return keys.map((key) => {
    const root = key.id === cause.from;
    return {
      type: 'user_key.revoked',
      companyId: key.companyId,
      data: {
        userKeyId: key.id,
        ownerId: key.ownerId,
        reason: reason ?? (root ? 'REVOKED' : 'REVOKED_WITH_CREATOR'),
        causeUserKeyId: root ? null : cause.from,
      },
    };
  });
}
