import type { EmployeeRecord, UserKeyRecord } from '../shared/records';
import { UserKeyStatus } from '../shared/domain-enums';
import { Conflict, InputCheck, NotFound, Unauthenticated } from '../shared/errors';

/**
 * R1: a key belongs to exactly one employee and to that employee's company. The owner must be an
 * employee of the acting company; anyone else is NOT_FOUND (no existence leak across tenants).
 */
export function keyOwnership(
  owner: Pick<EmployeeRecord, 'id' | 'companyId'> | null,
  requestedOwnerId: string,
  actingCompanyId: string,
): { ownerId: string; companyId: string } {
  if (!owner || owner.companyId !== actingCompanyId) throw new NotFound('Employee', requestedOwnerId);
  return { ownerId: owner.id, companyId: owner.companyId };
}

export interface KeyNamingInput {
  name: string;
  applicationId?: string | null;
  customApplicationName?: string | null;
}

/**
 * R7: a key needs an application — one from the catalog, or a name typed by hand — and a display
 * name, each 1–100 characters that cannot lie (normalised; invisible and direction characters
 * refused). Returns the names as they are stored; BAD_USER_INPUT lists every problem.
 */
export function keyNaming(
  input: KeyNamingInput,
  check = new InputCheck(),
): { name: string; customApplicationName: string | null } {
  const hasApp = input.applicationId != null;
  const hasCustom = input.customApplicationName != null;
  const name = check.name(input.name, 'name');
  check.require(
    hasApp !== hasCustom,
    hasApp ? 'customApplicationName' : 'applicationId',
    'give exactly one of applicationId and customApplicationName',
  );
  const customApplicationName = hasCustom ? check.name(input.customApplicationName, 'customApplicationName') : null;
  return { name, customApplicationName };
}

/** R8: what is stored of a secret — its SHA-256 and the hint shown in overviews, never the secret. */
export function storedSecret(issued: { hash: string; hint: string }): { secretHash: string; tokenHint: string } {
  return { secretHash: issued.hash, tokenHint: issued.hint };
}

/** R9: a restore this soon after the previous one is taken for a concurrent one (a race, or a double submit). */
export const RESTORE_RACE_WINDOW_MS = 5_000;

/** R9: the CONFLICT of a restore that lost a race with another restore or a revoke. */
export function restoreRaced(): Conflict {
  return new Conflict(
    'The key was restored or revoked at the same moment by another request, and only that request got the valid secret. Reload the key; restore again in a few seconds if you still need a new secret.',
  );
}

/**
 * R9: only an active key gets a new secret (a revoked or expired one is CONFLICT: create a new key),
 * and not twice within the race window, so concurrent restores leave exactly one valid secret.
 */
export function assertRestorable(key: Pick<UserKeyRecord, 'revokedAt' | 'expiresAt' | 'restoredAt'>, now: Date): void {
  const status = keyStatusAt(key, now);
  if (status !== UserKeyStatus.ACTIVE) {
    throw new Conflict(`A ${status.toLowerCase()} key cannot be restored; create a new key instead.`);
  }
  if (key.restoredAt && key.restoredAt.getTime() > now.getTime() - RESTORE_RACE_WINDOW_MS) throw restoreRaced();
}

/** R10 (and expiry): a key's status at a given moment. */
export function keyStatusAt(key: Pick<UserKeyRecord, 'revokedAt' | 'expiresAt'>, now: Date): UserKeyStatus {
  if (key.revokedAt) return UserKeyStatus.REVOKED;
  if (key.expiresAt && key.expiresAt.getTime() <= now.getTime()) return UserKeyStatus.EXPIRED;
  return UserKeyStatus.ACTIVE;
}

/** R10: a revoked or expired key is refused at once (UNAUTHENTICATED). */
export function assertKeyUsable(key: Pick<UserKeyRecord, 'revokedAt' | 'expiresAt'>, now: Date): void {
  const status = keyStatusAt(key, now);
  if (status === UserKeyStatus.REVOKED) throw new Unauthenticated('This key has been revoked.');
  if (status === UserKeyStatus.EXPIRED) throw new Unauthenticated('This key has expired.');
}
