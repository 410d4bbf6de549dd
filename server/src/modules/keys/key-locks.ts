import type { EntityManager } from 'typeorm';
import type { ActingContext } from '../../auth/acting-context';
import { assertActingKeyStillValid } from '../../rules/provenance';
import { userKeyRepository } from './user-key.repository';

/**
 * R26: the key making the request, re-read under a shared lock inside the transaction and checked
 * still valid (not revoked, not expired, secret not replaced). A revoke locks the same row for
 * writing first, so it either waits for this transaction (and then sees what it created) or this
 * transaction waits for the revoke and is refused. Nothing to do for a person in a session.
 */
export async function lockActingKey(manager: EntityManager, acting: ActingContext, now: Date): Promise<void> {
  if (!acting.userKey) return;
  const row = await userKeyRepository(manager).lockedShared(acting.userKey.id);
  assertActingKeyStillValid(acting, row, now);
}
