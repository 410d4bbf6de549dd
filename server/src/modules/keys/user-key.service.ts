import { Brackets, type EntityManager, type SelectQueryBuilder } from 'typeorm';
import type { ActingContext, AuthenticatedActing } from '../../auth/acting-context';
import { Permission, PermissionSet } from '../../auth/permission';
import { KEY_PREFIX, issueSecret } from '../../auth/secrets';
import type { Database } from '../../db/database';
import {
  AccountantKeyNotSupported,
  Conflict,
  Forbidden,
  InputCheck,
  IntegrationsNotActive,
  NotFound,
} from '../../shared/errors';
import { newId } from '../../shared/ids';
import { paginate, type Page, type PageArgs } from '../../shared/pagination';
import { Application } from '../applications/application.entity';
import { appendAudit } from '../audit/audit-log';
import { ClientLink } from '../clients/client-link.entity';
import { Company, CompanyKind } from '../companies/company.entity';
import { lockEmployee } from '../employees/employee.service';
import {
  assertGrantAllowed,
  assertRestoreAllowed,
  assertMayIssueSecretsHere,
  delegationCap,
  initialKeyPermissions,
  assertWithinLifetime,
} from './key-rules';
import { KeyAccessMode, UserKey, UserKeyKind, UserKeyStatus } from './user-key.entity';
import type { CreateUserKeyInput, UserKeyFilter } from './user-key.types';

export interface IssuedKey {
  userKey: UserKey;
  token: string;
}

/** R20: which keys of the acting company the caller sees: their own, or all with USER_ADMIN. */
export function scopeVisibleKeys(query: SelectQueryBuilder<UserKey>, acting: AuthenticatedActing, alias = 'k'): void {
  query.andWhere(`${alias}.companyId = :scopeCompanyId`, { scopeCompanyId: acting.company.id });
  if (!acting.permissions.has(Permission.USER_ADMIN)) {
    query.andWhere(`${alias}.ownerId = :scopeOwnerId`, { scopeOwnerId: acting.employee.id });
  }
}

/**
 * R20, for one key already in hand: the caller sees what it holds and can do (its permission view)
 * if the key overview would show it to them — a key of the acting company that is their own, or
 * any with USER_ADMIN — or if it is the key making the request. A key reached another way (a
 * client link, an audit entry, another company) shows who it is, not what its owner may do.
 */
export function mayViewKey(acting: ActingContext, key: Pick<UserKey, 'id' | 'companyId' | 'ownerId'>): boolean {
  if (acting.userKey?.id === key.id) return true;
  if (!acting.isAuthenticated || key.companyId !== acting.company?.id) return false;
  return mayManageKeysOf(acting.authenticated(), key.ownerId);
}

/** R6: whether the caller may manage keys of this owner: the owner themself or a user administrator. */
export function mayManageKeysOf(acting: AuthenticatedActing, ownerId: string): boolean {
  // USER_ADMIN "in the same company": one held in one's own company, not one an office's access
  // template grants at a client — a key made there would outlive the link and the client's switch
  return acting.employee.id === ownerId || (acting.isHome && acting.permissions.has(Permission.USER_ADMIN));
}

/** R9: a restore this soon after the previous one is taken for a concurrent one (a race, or a double submit). */
export const RESTORE_RACE_WINDOW_MS = 5_000;

function restoreRaced(): Conflict {
  return new Conflict(
    'The key was restored or revoked at the same moment by another request, and only that request got the valid secret. Reload the key; restore again in a few seconds if you still need a new secret.',
  );
}

function validateCreate(input: CreateUserKeyInput, now: Date): void {
  const hasApp = input.applicationId != null;
  const hasCustom = input.customApplicationName != null;
  const check = new InputCheck()
    .text(input.name, 'name')
    .require(
      hasApp !== hasCustom,
      hasApp ? 'customApplicationName' : 'applicationId',
      'give exactly one of applicationId and customApplicationName',
    );
  if (hasCustom) check.text(input.customApplicationName, 'customApplicationName');
  check.require(
    input.accessMode === KeyAccessMode.CUSTOM || input.permissions == null,
    'permissions',
    'is only used with accessMode CUSTOM',
  );
  check.require(!input.expiresAt || input.expiresAt.getTime() > now.getTime(), 'expiresAt', 'must be in the future');
  check.done();
}

/** The user-key lifecycle (R1–R11, R13, R14, R20, R21). */
export class UserKeyService {
  constructor(private readonly db: Database) {}

  /** Creates a key with its secret, shown once (R1, R2, R4, R6, R7, R8, R11, R13, R14). */
  async create(acting: AuthenticatedActing, input: CreateUserKeyInput, now: Date): Promise<IssuedKey> {
    validateCreate(input, now);
    assertMayIssueSecretsHere(acting);
    return this.db.transaction(async (manager) => {
      const owner = await lockEmployee(manager, input.employeeId);
      if (!owner || owner.companyId !== acting.company.id) throw new NotFound('Employee', input.employeeId);
      if (!mayManageKeysOf(acting, owner.id)) {
        throw new Forbidden('You can create keys for yourself only, unless you are a user administrator (USER_ADMIN).');
      }
      const company = await manager.findOneByOrFail(Company, { id: owner.companyId });
      if (!company.integrationsActive) throw new IntegrationsNotActive(company.name);

      let application: Application | null = null;
      if (input.applicationId != null) {
        application = await manager.findOneBy(Application, { id: input.applicationId });
        new InputCheck().require(application !== null, 'applicationId', 'is not an application in the catalog').done();
      }
      const kind = input.accountantKey ? UserKeyKind.ACCOUNTANT : UserKeyKind.EMPLOYEE;
      if (kind === UserKeyKind.ACCOUNTANT) {
        if (company.kind !== CompanyKind.ACCOUNTING_OFFICE) {
          throw new AccountantKeyNotSupported('Only an accounting office can create accountant keys (R13).');
        }
        if (application && !application.supportsAccountantKeys) {
          throw new AccountantKeyNotSupported(
            `${application.name} does not support accountant keys; choose another application or type a custom application name (R14).`,
          );
        }
      }

      assertWithinLifetime(acting, input.expiresAt ?? null);

      const cap = delegationCap(acting, owner.id);
      let permissions: PermissionSet;
      if (input.accessMode === KeyAccessMode.CUSTOM) {
        permissions = PermissionSet.of(input.permissions ?? []);
        assertGrantAllowed(permissions, PermissionSet.EMPTY, owner.permissionSet, cap);
      } else {
        permissions = initialKeyPermissions(input.accessMode, owner.permissionSet, null).intersect(cap);
      }

      const secret = issueSecret(KEY_PREFIX);
      const key = Object.assign(new UserKey(), {
        id: newId('userKey'),
        companyId: company.id,
        ownerId: owner.id,
        applicationId: application?.id ?? null,
        customApplicationName: application ? null : input.customApplicationName!.trim(),
        name: input.name.trim(),
        kind,
        accessMode: input.accessMode,
        permissionBits: permissions.bits,
        secretHash: secret.hash,
        secretVersion: 1,
        tokenHint: secret.hint,
        createdByEmployeeId: acting.employee.id,
        createdByUserKeyId: acting.userKey?.id ?? null,
        restoredByUserKeyId: null,
        createdAt: now,
        restoredAt: null,
        revokedAt: null,
        expiresAt: input.expiresAt ?? null,
        lastUsedAt: null,
      });
      await manager.insert(UserKey, key);
      key.owner = owner;
      key.application = application;
      await appendAudit(
        manager,
        acting,
        {
          action: 'userKey.create',
          companyId: company.id,
          targetType: 'UserKey',
          targetId: key.id,
          details: {
            kind,
            accessMode: input.accessMode,
            permissions: permissions.toArray(),
            ownerId: owner.id,
            application: application?.name ?? key.customApplicationName,
          },
        },
        now,
      );
      return { userKey: key, token: secret.token };
    });
  }

  /**
   * A key the caller may manage (R6), read for a change: locked where the dialect has row locks
   * (SQLite transactions are already exclusive), so two changes of one key cannot both decide on
   * the same old state — e.g. one removing a locked permission while another "keeps" it (R5).
   * Anything else is NOT_FOUND, as if it did not exist.
   */
  private async manageable(acting: AuthenticatedActing, id: string, manager: EntityManager): Promise<UserKey> {
    const query = manager
      .createQueryBuilder(UserKey, 'k')
      .where('k.id = :id AND k.companyId = :companyId', { id, companyId: acting.company.id });
    if (manager.connection.options.type !== 'better-sqlite3') query.setLock('pessimistic_write');
    const key = await query.getOne();
    if (!key || !mayManageKeysOf(acting, key.ownerId)) throw new NotFound('UserKey', id);
    return key;
  }

  /**
   * R9: a new secret replaces the old one atomically, and concurrent restores leave exactly one
   * valid secret: every caller that gets a secret gets the valid one, the others get CONFLICT.
   * The server cannot tell two restores sent at the same moment from two sent a few milliseconds
   * apart (on SQLite it even runs them one after the other), so a restore within
   * RESTORE_RACE_WINDOW_MS of the previous one is taken for a race and refused; one conditional
   * UPDATE (secret version unchanged, not replaced within the window, not revoked) decides the
   * winner. Whoever restores must be able to hand out all the key holds (R6).
   */
  async restore(acting: AuthenticatedActing, id: string, now: Date): Promise<IssuedKey> {
    const settled = new Date(now.getTime() - RESTORE_RACE_WINDOW_MS);
    assertMayIssueSecretsHere(acting);
    return this.db.transaction(async (manager) => {
      const key = await this.manageable(acting, id, manager);
      const status = key.statusAt(now);
      if (status !== UserKeyStatus.ACTIVE) {
        throw new Conflict(`A ${status.toLowerCase()} key cannot be restored; create a new key instead.`);
      }
      if (key.restoredAt && key.restoredAt.getTime() > settled.getTime()) throw restoreRaced();
      const linkedAtClients =
        key.kind === UserKeyKind.ACCOUNTANT && (await manager.existsBy(ClientLink, { granteeId: key.id }));
      assertRestoreAllowed(acting, key, linkedAtClients);

      const secret = issueSecret(KEY_PREFIX);
      await appendAudit(
        manager,
        acting,
        { action: 'userKey.restore', companyId: key.companyId, targetType: 'UserKey', targetId: key.id },
        now,
      );
      // the real moment of replacement, not the request's start: the window counts from it
      const replacedAt = new Date();
      // a secret a key obtained for another key is revoked with the key that obtained it (R10)
      const restoredByUserKeyId = acting.userKey && acting.userKey.id !== key.id ? acting.userKey.id : null;
      const result = await manager
        .createQueryBuilder()
        .update(UserKey)
        .set({
          secretHash: secret.hash,
          tokenHint: secret.hint,
          secretVersion: key.secretVersion + 1,
          restoredAt: replacedAt,
          restoredByUserKeyId,
        })
        .where('id = :id AND secret_version = :version AND revoked_at IS NULL', { id, version: key.secretVersion })
        .andWhere('(restored_at IS NULL OR restored_at <= :settled)', { settled })
        .execute();
      if (result.affected !== 1) throw restoreRaced();
      Object.assign(key, {
        secretHash: secret.hash,
        tokenHint: secret.hint,
        secretVersion: key.secretVersion + 1,
        restoredAt: replacedAt,
        restoredByUserKeyId,
      });
      return { userKey: key, token: secret.token };
    });
  }

  /**
   * R10: revokes a key at once; it stays visible with status REVOKED. Keys that this key created,
   * or whose secret it obtained by restoring them, are revoked with it (and theirs, all the way
   * down): a leaked key cannot leave working secrets behind. Revoking twice changes nothing.
   */
  async revoke(acting: AuthenticatedActing, id: string, now: Date): Promise<UserKey> {
    return this.db.transaction(async (manager) => {
      const key = await this.manageable(acting, id, manager);
      if (key.revokedAt) return key;
      const revoked = [key.id];
      for (let parents = [key.id]; parents.length;) {
        const children: { id: string }[] = await manager
          .createQueryBuilder(UserKey, 'k')
          .select('k.id', 'id')
          .where(
            '(k.createdByUserKeyId IN (:...parents) OR k.restoredByUserKeyId IN (:...parents)) AND k.revokedAt IS NULL',
            {
              parents,
            },
          )
          .getRawMany();
        parents = children.map((c) => c.id).filter((c) => !revoked.includes(c));
        revoked.push(...parents);
      }
      await manager
        .createQueryBuilder()
        .update(UserKey)
        .set({ revokedAt: now })
        .where('id IN (:...ids) AND revoked_at IS NULL', { ids: revoked })
        .execute();
      key.revokedAt = now;
      await appendAudit(
        manager,
        acting,
        revoked.map((targetId) => ({
          action: 'userKey.revoke',
          companyId: key.companyId,
          targetType: 'UserKey',
          targetId,
          details: targetId === key.id ? undefined : { cascadeFrom: key.id },
        })),
        now,
      );
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
      const owner = await lockEmployee(manager, key.ownerId);
      const current = key.permissionSet;
      assertGrantAllowed(requested, current, owner!.permissionSet, delegationCap(acting, key.ownerId));
      await manager.update(UserKey, { id }, { permissionBits: requested.bits });
      key.permissionBits = requested.bits;
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
  list(
    acting: AuthenticatedActing,
    filter: UserKeyFilter | null | undefined,
    page: PageArgs,
    now: Date,
  ): Promise<Page<UserKey>> {
    // owner and application come with the page: every overview row shows them
    const query = this.db.manager
      .createQueryBuilder(UserKey, 'k')
      .leftJoinAndSelect('k.owner', 'o')
      .leftJoinAndSelect('k.application', 'a')
      .where('1 = 1');
    scopeVisibleKeys(query, acting);
    if (filter?.employeeId) query.andWhere('k.ownerId = :ownerId', { ownerId: filter.employeeId });
    if (filter?.applicationId)
      query.andWhere('k.applicationId = :applicationId', { applicationId: filter.applicationId });
    if (filter?.kind) query.andWhere('k.kind = :kind', { kind: filter.kind });
    if (filter?.status) {
      const clause = {
        [UserKeyStatus.REVOKED]: 'k.revokedAt IS NOT NULL',
        [UserKeyStatus.EXPIRED]: 'k.revokedAt IS NULL AND k.expiresAt IS NOT NULL AND k.expiresAt <= :now',
        [UserKeyStatus.ACTIVE]: 'k.revokedAt IS NULL AND (k.expiresAt IS NULL OR k.expiresAt > :now)',
      }[filter.status];
      query.andWhere(new Brackets((qb) => qb.where(clause, { now })));
    }
    return paginate(query, page, [{ expression: 'k.id', value: (k) => k.id }], 'DESC');
  }

  /** One key the caller can see (R20); others are NOT_FOUND. */
  async get(acting: AuthenticatedActing, id: string): Promise<UserKey> {
    const query = this.db.manager.createQueryBuilder(UserKey, 'k').where('k.id = :id', { id });
    scopeVisibleKeys(query, acting);
    const key = await query.getOne();
    if (!key) throw new NotFound('UserKey', id);
    return key;
  }

  /** Keys of several owners visible to the caller, for Employee.userKeys (one query per request). */
  async visibleByOwner(acting: AuthenticatedActing, ownerIds: readonly string[]): Promise<UserKey[][]> {
    const query = this.db.manager
      .createQueryBuilder(UserKey, 'k')
      .where('k.ownerId IN (:...ownerIds)', { ownerIds })
      .orderBy('k.id', 'DESC');
    scopeVisibleKeys(query, acting);
    const keys = await query.getMany();
    return ownerIds.map((id) => keys.filter((k) => k.ownerId === id));
  }
}
