import { Not, type EntityManager } from 'typeorm';
import { UserKeySecret } from './user-key-secret.entity';

/** R8: records a new key's secret (its hash) as the one that opens it. */
export async function recordKeySecret(manager: EntityManager, userKeyId: string, secretHash: string): Promise<void> {
  await manager.insert(UserKeySecret, { secretHash, userKeyId, expiresAt: null });
}

/**
 * R9 + R28: after a restore only the new secret opens the key — and the replaced one until
 * `previousExpiresAt`, when there is an overlap. Any older secret, and an earlier overlap, end now.
 */
export async function replaceKeySecret(
  manager: EntityManager,
  userKeyId: string,
  replacedHash: string,
  newHash: string,
  previousExpiresAt: Date | null,
): Promise<void> {
  if (previousExpiresAt) {
    await manager.delete(UserKeySecret, { userKeyId, secretHash: Not(replacedHash) });
    await manager.update(UserKeySecret, { secretHash: replacedHash }, { expiresAt: previousExpiresAt });
  } else {
    await manager.delete(UserKeySecret, { userKeyId });
  }
  await recordKeySecret(manager, userKeyId, newHash);
}
