import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { whenResolved, type MaybePromise } from '../../shared/maybe-async';
import { Input } from '../../shared/input-arg';
import { Pagination } from '../../shared/page-args';
import type { PageArgs } from '../../shared/pagination';
import { Application } from '../applications/application.entity';
import { Employee } from '../employees/employee.entity';
import { effectiveAtHome, permissionGrants } from '../../rules/ceiling';
import { UserKey } from './user-key.entity';
import { assertMayView } from './key-visibility';
import {
  CreateUserKeyInput,
  CreateUserKeyPayload,
  KeyPermissionGrant,
  RestoreUserKeyPayload,
  UserKeyConnection,
  UserKeyFilter,
} from './user-key.types';

/** The key's owner: joined by the overview query, else batched through the loader. */
function ownerOf(key: UserKey, ctx: RequestContext): MaybePromise<Employee> {
  return key.owner ?? (ctx.loaders.byId('employee').load(key.ownerId) as Promise<Employee>);
}

function applicationOf(key: UserKey, { loaders }: RequestContext): MaybePromise<Application | null> {
  if (key.application !== undefined) return key.application;
  return loaders.referenced('application', key.applicationId);
}

@Resolver(() => UserKey)
export class UserKeyResolver {
  @Query(() => UserKeyConnection, {
    description: 'The key overview. Your own keys, or every key of the company with USER_ADMIN.',
  })
  userKeys(
    @Arg('filter', () => UserKeyFilter, { nullable: true }) filter: UserKeyFilter | null,
    @Pagination() page: PageArgs,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.userKeys.list(acting, { filter, page, now });
  }

  @Query(() => UserKey)
  userKey(@Arg('id', () => ID) id: string, @Caller() { acting, services }: CallerScope) {
    return services.userKeys.get(acting, id);
  }

  @Mutation(() => CreateUserKeyPayload, {
    description: 'Creates a key. The secret is in the payload, this once only.',
  })
  createUserKey(
    @Input(CreateUserKeyInput) input: CreateUserKeyInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.userKeys.create(acting, input, now);
  }

  @Mutation(() => RestoreUserKeyPayload, {
    description:
      'Replaces the secret; the old one is refused from now on, or after keepPreviousSecretFor seconds (a rotation with overlap). With compromised: true, every key the old secret created or obtained is revoked too (with theirs).',
  })
  restoreUserKey(
    @Arg('id', () => ID) id: string,
    @Arg('compromised', () => Boolean, {
      nullable: true,
      description: 'The old secret was lost or leaked: also revoke what it created or obtained.',
    })
    compromised: boolean | null,
    @Arg('keepPreviousSecretFor', () => Int, {
      nullable: true,
      description:
        'Seconds (0–604800, default 0) the old secret keeps working, so a partner can roll over without an outage. Not with compromised: true.',
    })
    keepPreviousSecretFor: number | null,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.userKeys.restore(acting, id, now, compromised === true, keepPreviousSecretFor ?? 0);
  }

  @Mutation(() => UserKey, {
    description:
      'The key is refused at once and stays visible as REVOKED; every key it created or whose secret it obtained is revoked with it.',
  })
  revokeUserKey(@Arg('id', () => ID) id: string, @Caller() { acting, services, now }: CallerScope) {
    return services.userKeys.revoke(acting, id, now);
  }

  @Mutation(() => UserKey, {
    description: 'Sets exactly these permissions; additions never past the owner’s.',
  })
  setUserKeyPermissions(
    @Arg('id', () => ID) id: string,
    @Arg('permissions', () => [Permission]) permissions: Permission[],
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.userKeys.setPermissions(acting, id, permissions, now);
  }

  @FieldResolver(() => Employee, { description: 'The employee the key acts as.' })
  owner(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    return ownerOf(key, ctx);
  }

  @FieldResolver(() => Application, { nullable: true })
  application(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    return applicationOf(key, ctx);
  }

  @FieldResolver(() => String, { description: 'The catalog application’s name, or the custom name.' })
  applicationName(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    if (key.customApplicationName) return key.customApplicationName;
    return whenResolved(applicationOf(key, ctx), (application) => application?.name ?? '');
  }

  @FieldResolver(() => UserKey, {
    nullable: true,
    description: 'The key whose request created this key, if a key did. Shown to those who see the key’s permissions.',
  })
  createdByKey(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'createdByKey');
    return ctx.loaders.referenced('userKey', key.createdByUserKeyId);
  }

  @FieldResolver(() => UserKey, {
    nullable: true,
    description:
      'The key that obtained the current secret by restoring this key, if a key did (kept when the key restores itself). Shown to those who see the key’s permissions.',
  })
  secretIssuedByKey(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'secretIssuedByKey');
    return ctx.loaders.referenced('userKey', key.secretIssuedByUserKeyId);
  }

  @FieldResolver(() => [Permission], {
    description: 'The permissions the key holds; usable only where the owner has them too.',
  })
  permissions(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'permissions');
    return key.permissionSet.toArray();
  }

  @FieldResolver(() => [Permission], {
    description: 'What the key can do in its own company now: its permissions ∩ the owner’s.',
  })
  effectivePermissions(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'effectivePermissions');
    return whenResolved(ownerOf(key, ctx), (owner) =>
      effectiveAtHome(key.permissionSet, owner.permissionSet).toArray(),
    );
  }

  @FieldResolver(() => [KeyPermissionGrant], {
    description: 'Every catalog permission with granted, effective and locked.',
  })
  permissionGrants(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'permissionGrants');
    return whenResolved(ownerOf(key, ctx), (owner) =>
      permissionGrants(key.permissionSet, owner.permissionSet, effectiveAtHome(key.permissionSet, owner.permissionSet)),
    );
  }
}
