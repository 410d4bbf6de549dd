import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import { Permission, PermissionSet } from '../../auth/permission';
import { KEY_PREFIX, issueSecret } from '../../auth/secrets';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { assertApplicationSupportsAccountantKeys, assertMayCreateAccountantKeys } from '../../rules/accountant-keys';
import { assertGrantAllowed, initialKeyPermissions } from '../../rules/ceiling';
import {
  assertMayCreateKeyFor,
  assertMayIssueSecretsHere,
  assertRestoreAllowed,
  assertWithinLifetime,
  delegationCap,
  mayManageKeysOf,
} from '../../rules/delegation';
import { assertIntegrationsActive } from '../../rules/integrations';
import {
  assertRestorable,
  keyNaming,
  keyOwnership,
  restoreRaced,
  RESTORE_RACE_WINDOW_MS,
  storedSecret,
} from '../../rules/keys';
import {
  assertNetworksWithinActingKey,
  assertWithinKeyPolicy,
  keyPolicyOf,
  previousSecretExpiry,
  type KeyPolicyValues,
} from '../../rules/lifecycle';
import { visibleKeyScope } from '../../rules/overview';
import { keysCeilingOf } from '../../rules/people';
import {
  assertActingKeyStillValid,
  provenanceOfNewKey,
  provenanceOfRestore,
  secretHolderOf,
} from '../../rules/provenance';
import { Conflict, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { nameKey } from '../../shared/names';
import { type Page, type PageArgs } from '../../shared/pagination';
import { Application } from '../applications/application.entity';
import { appendAudit } from '../audit/audit-log';
import { ClientLink } from '../clients/client-link.entity';
import { Company } from '../companies/company.entity';
import { employeeRepository } from '../employees/employee.repository';
import { emitAccessEvent, emitAccessEvents } from '../events/emit';
import { keyCreated, keyPermissionsReduced, keyRestored } from '../events/key-events';
import { lockActingKey } from './key-locks';
import { recordKeySecret, replaceKeySecret } from './key-secrets';
import { reachedByHolder, revokeWithDescendants } from './key-revocation';
import { KeyAccessMode, UserKey, UserKeyKind } from './user-key.entity';
import { KeyOverviewReads, userKeyRepository, type KeyOverviewQuery } from './user-key.repository';
import type { CreateUserKeyInput } from './user-key.types';

export interface IssuedKey {
  userKey: UserKey;
  token: string;
}

export { RESTORE_RACE_WINDOW_MS };

function duplicateName(name: string): Conflict {
  return new Conflict(
    `The owner already has a key named “${name}” (or a name that looks the same); choose another name or revoke that key first.`,
  );
}

/** Checks and normalises a new key's input (R7, expiry in the future); BAD_USER_INPUT lists every problem. */
function validateCreate(input: CreateUserKeyInput, now: Date): { name: string; customApplicationName: string | null } {
  const check = new InputCheck();
  const names = keyNaming(input, check);
  check.require(
    input.accessMode === KeyAccessMode.CUSTOM || input.permissions == null,
    'permissions',
    'is only used with accessMode CUSTOM',
  );
  check.require(!input.expiresAt || input.expiresAt.getTime() > now.getTime(), 'expiresAt', 'must be in the future');
  check.done();
  return names;
}

/**
 * A key the caller may manage (R6), read for a change and locked for writing, so two changes of
 * one key cannot both decide on the same old state, and a revoke holds it while it walks (R26).
 * Anything else is NOT_FOUND, as if it did not exist.
 */
export async function manageableKey(acting: AuthenticatedActing, id: string, manager: EntityManager): Promise<UserKey> {
  const key = await userKeyRepository(manager).lockedInCompany(id, acting.company.id);
  if (!key || !mayManageKeysOf(acting, key.ownerId)) throw new NotFound('UserKey', id);
  return key;
}

/** R29: the key policy of a key's company, read in the change's transaction. */
async function policyOf(manager: EntityManager, companyId: string): Promise<KeyPolicyValues> {
  return keyPolicyOf(await manager.findOneByOrFail(Company, { id: companyId }));
}

/** The user-key lifecycle (R1–R11, R13, R14, R20, R21, R25–R27); each decision is a function of rules/. */
export class UserKeyService {
  private readonly overview: KeyOverviewReads;

  constructor(private readonly db: Database) {
    this.overview = new KeyOverviewReads(db);
  }

  /** Creates a key with its secret, shown once (R1, R2, R4, R6, R7, R8, R11, R13, R14, R25, R26). */
  async create(acting: AuthenticatedActing, input: CreateUserKeyInput, now: Date): Promise<IssuedKey> {
    const names = validateCreate(input, now);
    assertMayIssueSecretsHere(acting);
    return this.db.transaction(async (manager) => {
      await lockActingKey(manager, acting, now);
      const owner = await employeeRepository(manager).lockedById(input.employeeId);
      const { companyId } = keyOwnership(owner, input.employeeId, acting.company.id);
      assertMayCreateKeyFor(acting, owner!.id);
      const company = await manager.findOneByOrFail(Company, { id: companyId });
      assertIntegrationsActive(company);

      const application = await this.catalogApplication(manager, input.applicationId);
      const kind = input.accountantKey ? UserKeyKind.ACCOUNTANT : UserKeyKind.EMPLOYEE;
      if (kind === UserKeyKind.ACCOUNTANT) {
        assertMayCreateAccountantKeys(company);
        assertApplicationSupportsAccountantKeys(application);
      }
      assertWithinLifetime(acting, input.expiresAt ?? null);
      assertWithinKeyPolicy(keyPolicyOf(company), input.expiresAt ?? null, now);

      const cap = delegationCap(acting, owner!.id);
      const permissions = initialKeyPermissions(input.accessMode, owner!.permissionSet, input.permissions, cap);
      if (input.accessMode === KeyAccessMode.CUSTOM) {
        assertGrantAllowed(permissions, PermissionSet.EMPTY, owner!.permissionSet, cap);
      }

      const secret = issueSecret(KEY_PREFIX);
      const id = newId('userKey');
      const key = Object.assign(new UserKey(), {
        id,
        companyId,
        ownerId: owner!.id,
        applicationId: application?.id ?? null,
        customApplicationName: application ? null : names.customApplicationName,
        name: names.name,
        activeNameKey: nameKey(names.name),
        kind,
        accessMode: input.accessMode,
        permissionBits: permissions.bits,
        ...storedSecret(secret),
        secretVersion: 1,
        ...provenanceOfNewKey(acting, id),
        createdAt: now,
        restoredAt: null,
        revokedAt: null,
        expiresAt: input.expiresAt ?? null,
        lastUsedAt: null,
        // R30 with R6: a key limited to some networks creates keys limited to the same
        allowedNetworksText: acting.userKey?.allowedNetworksText ?? null,
      });
      await manager.insert(UserKey, key).catch((error: unknown) => {
        throw isUniqueViolation(error) ? duplicateName(key.name) : error;
      });
      await emitAccessEvent(manager, keyCreated(key), now);
      await recordKeySecret(manager, key.id, secret.hash);
      key.owner = owner!;
      key.application = application;
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.create',
          companyId,
          targetType: 'UserKey',
          targetId: key.id,
          details: {
            kind,
            accessMode: input.accessMode,
            permissions: permissions.toArray(),
            ownerId: owner!.id,
            application: application?.name ?? key.customApplicationName,
            createdByKeyId: key.createdByUserKeyId,
          },
        },
        now,
      );
      return { userKey: key, token: secret.token };
    });
  }

  /** R8: the application a new key is for, if one of the catalog is named (none for a custom one). */
  private async catalogApplication(
    manager: EntityManager,
    applicationId: string | null | undefined,
  ): Promise<Application | null> {
    if (applicationId == null) return null;
    const application = await manager.findOneBy(Application, { id: applicationId });
    new InputCheck().require(application !== null, 'applicationId', 'is not an application in the catalog').done();
    return application;
  }

  private manageable(acting: AuthenticatedActing, id: string, manager: EntityManager): Promise<UserKey> {
    return manageableKey(acting, id, manager);
  }

  /**
   * R9: a new secret replaces the old one atomically, and concurrent restores leave exactly one
   * valid secret: every caller that gets a secret gets the valid one, the others get CONFLICT (a
   * restore within the race window of the previous one is taken for a race; one conditional UPDATE
   * decides the winner). Whoever restores must be able to hand out all the key holds (R6). The new
   * secret's provenance is recorded (R25); with `compromised`, everything the old secret created or
   * obtained is revoked with its descendants, in the same transaction (R27, R26). With
   * `keepPreviousSecretFor`, the old secret keeps working that many seconds more (R28). The key
   * must keep its company's policy from now on (R29).
   */
  async restore(
    acting: AuthenticatedActing,
    id: string,
    now: Date,
    compromised = false,
    keepPreviousSecretFor = 0,
  ): Promise<IssuedKey> {
    const settled = new Date(now.getTime() - RESTORE_RACE_WINDOW_MS);
    const previousSecretExpiresAt = previousSecretExpiry(keepPreviousSecretFor, compromised, now);
    assertMayIssueSecretsHere(acting);
    return this.db.transaction(async (manager) => {
      const self = acting.userKey?.id === id;
      // a key restoring itself holds its own row for writing below: no second (shared) lock on it
      if (!self) await lockActingKey(manager, acting, now);
      const key = await this.manageable(acting, id, manager);
      if (self) assertActingKeyStillValid(acting, key, now);
      assertRestorable(key, now);
      const linkedAtClients =
        key.kind === UserKeyKind.ACCOUNTANT && (await manager.existsBy(ClientLink, { granteeId: key.id }));
      assertRestoreAllowed(acting, key, linkedAtClients);
      assertWithinKeyPolicy(await policyOf(manager, key.companyId), key.expiresAt, now);
      // R30 with R6: a key limited to some networks cannot obtain a secret that works outside them
      if (!self) assertNetworksWithinActingKey(acting.userKey, key.allowedNetworks);

      const oldHolder = secretHolderOf(key);
      const secret = issueSecret(KEY_PREFIX);
      // the real moment of replacement, not the request's start: the race window counts from it
      const replacedAt = new Date();
      const change = {
        ...storedSecret(secret),
        secretVersion: key.secretVersion + 1,
        restoredAt: replacedAt,
        previousSecretExpiresAt,
        ...provenanceOfRestore(acting, key, newId('keySecret')),
      };
      const won = await userKeyRepository(manager).replaceSecretUnlessRaced(id, key.secretVersion, settled, change);
      if (!won) throw restoreRaced();
      // R28: the replaced secret keeps working through the overlap, else it ends at once
      await replaceKeySecret(manager, key.id, key.secretHash, secret.hash, previousSecretExpiresAt);
      Object.assign(key, change);
      // R35: the restore's event, with those of the keys a compromise revokes in one statement
      const restored = keyRestored(key, acting, compromised);
      const revoked = compromised
        ? await revokeWithDescendants(
            manager,
            acting,
            await reachedByHolder(manager, oldHolder),
            { companyId: key.companyId, from: key.id, reason: 'compromised' },
            now,
            key.id,
            [restored],
          )
        : await emitAccessEvent(manager, restored, now).then(() => []);
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.restore',
          companyId: key.companyId,
          targetType: 'UserKey',
          targetId: key.id,
          details: {
            version: key.secretVersion,
            secretIssuedByKeyId: key.secretIssuedByUserKeyId,
            ...(compromised ? { compromised: true, revokedCount: revoked.length } : {}),
            ...(previousSecretExpiresAt ? { previousSecretExpiresAt: previousSecretExpiresAt.toISOString() } : {}),
          },
        },
        now,
      );
      return { userKey: key, token: secret.token };
    });
  }

  /**
   * R10 + R26: revokes a key at once (it stays visible with status REVOKED) and, in the same
   * transaction, every key it created or whose secret it obtained, recursively. The key's row is
   * locked before the walk, and the walk locks what it finds: a key being revoked can create or
   * restore nothing that survives. Revoking twice changes nothing.
   */
  async revoke(acting: AuthenticatedActing, id: string, now: Date): Promise<UserKey> {
    return this.db.transaction(async (manager) => {
      const key = await this.manageable(acting, id, manager);
      if (key.revokedAt) return key;
      await revokeWithDescendants(manager, acting, [key.id], { companyId: key.companyId, from: key.id }, now);
      key.revokedAt = now;
      key.activeNameKey = null;
      return key;
    });
  }

  /** R5: sets a key's permissions; additions never past the owner's (R2) or the caller's (R6). */
  async setPermissions(
    acting: AuthenticatedActing,
    id: string,
    permissions: Permission[],
    now: Date,
  ): Promise<UserKey> {
    const requested = PermissionSet.of(permissions);
    return this.db.transaction(async (manager) => {
      const key = await this.manageable(acting, id, manager);
      if (key.revokedAt) throw new Conflict('A revoked key cannot be changed.');
      const owner = await employeeRepository(manager).lockedById(key.ownerId);
      const current = key.permissionSet;
      assertGrantAllowed(requested, current, owner!.permissionSet, delegationCap(acting, key.ownerId));
      // R29: a key outside its company's policy may lose permissions, never gain them
      if (!requested.minus(current).isEmpty) {
        assertWithinKeyPolicy(await policyOf(manager, key.companyId), key.expiresAt, now);
      }
      await manager.update(UserKey, { id }, { permissionBits: requested.bits });
      key.permissionBits = requested.bits;
      const lost = current.minus(requested).intersect(keysCeilingOf(owner!.permissionSet));
      await emitAccessEvents(manager, keyPermissionsReduced(key, lost), now);
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.setPermissions',
          companyId: key.companyId,
          targetType: 'UserKey',
          targetId: key.id,
          details: { added: requested.minus(current).toArray(), removed: current.minus(requested).toArray() },
        },
        now,
      );
      return key;
    });
  }

  /** R20: the key overview of the acting company, filtered, newest first. */
  list(acting: AuthenticatedActing, query: KeyOverviewQuery): Promise<Page<UserKey>> {
    return this.overview.page(visibleKeyScope(acting), query);
  }

  /** One key the caller can see (R20); others are NOT_FOUND. */
  async get(acting: AuthenticatedActing, id: string): Promise<UserKey> {
    const key = await userKeyRepository(this.db.manager).visible(visibleKeyScope(acting), id);
    if (!key) throw new NotFound('UserKey', id);
    return key;
  }

  /**
   * Employee.userKeys for a page of employees: a keyset page (newest first) of each owner's keys
   * that the caller sees (R20), for every owner in one statement; totals in one more, if selected.
   */
  visiblePerOwner(acting: AuthenticatedActing, ownerIds: readonly string[], page: PageArgs): Promise<Page<UserKey>[]> {
    return userKeyRepository(this.db.manager).pagesPerOwner(visibleKeyScope(acting), ownerIds, page);
  }
}
