import { type EntityManager } from 'typeorm';
import { ActingContext, type AuthenticatedActing } from '../../auth/acting-context';
import { KEY_PREFIX, hashSecret, recogniseSecret } from '../../auth/secrets';
import type { Database } from '../../db/database';
import { assertWithinLifetime } from '../../rules/delegation';
import {
  allowedNetworksInput,
  assertLeakReportSize,
  assertNetworksWithinActingKey,
  assertWithinKeyPolicy,
  keyPolicyOf,
  validKeyPolicy,
  type KeyPolicyValues,
} from '../../rules/lifecycle';
import { Conflict, InputCheck } from '../../shared/errors';
import { appendAudit } from '../audit/audit-log';
import { Company } from '../companies/company.entity';
import { emitAccessEvents } from '../events/emit';
import { revokeWithDescendants } from './key-revocation';
import { manageableKey } from './user-key.service';
import { UserKey } from './user-key.entity';
import { userKeyRepository } from './user-key.repository';

/**
 * A hash no secret has: a leak report without one well-formed secret still runs its lookup, so
 * junk and real-looking reports cost the same (R31).
 */
const NO_SECRET_HASH = '-'.repeat(64);

/** The key lifecycle beyond restore and revoke: allowlists (R30), expiry and policy (R29), leaks (R31). */
export class KeyLifecycleService {
  constructor(private readonly db: Database) {}

  /** R30: sets the networks a key may be used from (empty: anywhere); audited. */
  async setAllowedNetworks(acting: AuthenticatedActing, id: string, cidrs: string[], now: Date): Promise<UserKey> {
    const networks = allowedNetworksInput(cidrs);
    assertNetworksWithinActingKey(acting.userKey, networks);
    return this.db.transaction(async (manager) => {
      const key = await manageableKey(acting, id, manager);
      if (key.revokedAt) throw new Conflict('A revoked key cannot be changed.');
      const before = key.allowedNetworks;
      key.allowedNetworksText = networks.length ? networks.join(',') : null;
      await manager.update(UserKey, { id }, { allowedNetworksText: key.allowedNetworksText });
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.setAllowedNetworks',
          companyId: key.companyId,
          targetType: 'UserKey',
          targetId: key.id,
          details: { before, after: networks },
        },
        now,
      );
      return key;
    });
  }

  /**
   * R29: changes when a key expires (null: never), within the company's key policy and, for a key
   * acting, within its own lifetime (R6); audited.
   */
  async setExpiry(acting: AuthenticatedActing, id: string, expiresAt: Date | null, now: Date): Promise<UserKey> {
    new InputCheck()
      .require(expiresAt === null || expiresAt.getTime() > now.getTime(), 'expiresAt', 'must be in the future')
      .done();
    return this.db.transaction(async (manager) => {
      const key = await manageableKey(acting, id, manager);
      if (key.revokedAt) throw new Conflict('A revoked key cannot be changed.');
      assertWithinLifetime(acting, expiresAt);
      assertWithinKeyPolicy(await this.policyIn(manager, key.companyId), expiresAt, now);
      const before = key.expiresAt;
      key.expiresAt = expiresAt;
      await manager.update(UserKey, { id }, { expiresAt });
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.setExpiry',
          companyId: key.companyId,
          targetType: 'UserKey',
          targetId: key.id,
          details: { before: before?.toISOString() ?? null, after: expiresAt?.toISOString() ?? null },
        },
        now,
      );
      return key;
    });
  }

  private async policyIn(manager: EntityManager, companyId: string): Promise<KeyPolicyValues> {
    return keyPolicyOf(await manager.findOneByOrFail(Company, { id: companyId }));
  }

  /**
   * R29: sets the acting company's key policy (the resolver requires ACCOUNT_ADMIN). It governs
   * keys created, restored or changed from now on, and the unused-key sweep; audited, and
   * `key_policy.updated` is emitted in the same transaction.
   */
  async setKeyPolicy(acting: AuthenticatedActing, input: KeyPolicyValues, now: Date): Promise<KeyPolicyValues> {
    const policy = validKeyPolicy(input);
    const companyId = acting.company.id;
    return this.db.transaction(async (manager) => {
      await manager.update(
        Company,
        { id: companyId },
        {
          keyPolicyRequireExpiry: policy.requireExpiry,
          keyPolicyMaxLifetimeDays: policy.maxLifetimeDays,
          keyPolicyExpireUnusedAfterDays: policy.expireUnusedAfterDays,
        },
      );
      await appendAudit(
        manager,
        acting,
        {
          action: 'company.setKeyPolicy',
          companyId,
          targetType: 'Company',
          targetId: companyId,
          details: { ...policy },
        },
        now,
      );
      await emitAccessEvents(manager, [{ type: 'key_policy.updated', companyId, data: { companyId, ...policy } }], now);
      return policy;
    });
  }

  /**
   * R31: revokes, as R26 does, every active key whose secret is among `secrets`, with audit reason
   * LEAK_REPORTED. Constant work per string: a checksum test, a hash, and one set-based lookup for
   * the whole report whether anything matches or not. Answers nothing about what it found.
   */
  async reportLeakedSecrets(secrets: readonly string[], now: Date): Promise<void> {
    assertLeakReportSize(secrets);
    // every string is hashed, well-formed or not, so the work does not depend on which ones are
    const hashes = new Set<string>();
    for (const secret of secrets) {
      const hash = hashSecret(secret.slice(0, 200));
      if (recogniseSecret(secret) === KEY_PREFIX) hashes.add(hash);
    }
    if (!hashes.size) hashes.add(NO_SECRET_HASH);
    const list = [...hashes];
    await this.db.transaction(async (manager) => {
      // one primary-key probe per string, in one statement: the secrets that open a key now
      const found = await userKeyRepository(manager).lockedActiveBySecretHashes(list, now);
      const reporter = ActingContext.anonymous();
      for (const key of found) {
        // the revocation writes its user_key.revoked events and this one in one statement (R35)
        const leakReported = {
          type: 'user_key.leak_reported' as const,
          companyId: key.companyId,
          data: { userKeyId: key.id, ownerId: key.ownerId },
        };
        await revokeWithDescendants(
          manager,
          reporter,
          [key.id],
          { companyId: key.companyId, from: key.id, reason: 'LEAK_REPORTED' },
          now,
          null,
          [leakReported],
        );
      }
    });
  }
}

/**
 * R29: the periodic sweep, in the caller's transaction — every active key unused for its company's
 * `expireUnusedAfterDays` (never used: counted from its creation) expires now, in ONE set-based
 * UPDATE whatever the number of companies or keys. A key it expired no longer matches, so a second
 * run changes nothing. The expiry sweep then announces each as `user_key.expired` (R35). Returns
 * the number of keys expired.
 */
export function sweepUnusedKeys(manager: EntityManager, now: Date): Promise<number> {
  return userKeyRepository(manager).expireUnused(now);
}
