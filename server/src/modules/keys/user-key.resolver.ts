import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import type { RequestContext } from '../../context/request-context';
import { Forbidden } from '../../shared/errors';
import { PageArgsType } from '../../shared/page-args';
import { Application } from '../applications/application.entity';
import { Employee } from '../employees/employee.entity';
import { effectiveAtHome, permissionGrants } from './key-rules';
import { UserKey } from './user-key.entity';
import {
  CreateUserKeyInput,
  CreateUserKeyPayload,
  KeyPermissionGrant,
  RestoreUserKeyPayload,
  UserKeyConnection,
  UserKeyFilter,
} from './user-key.types';

/**
 * R20 + tenancy: what a key can do is its owner's permissions seen through the key, so it is shown
 * only in the key's own company (or to the key itself) — never to another company that meets the key,
 * e.g. a client reading its audit log after an accountant key acted there.
 */
function assertOwnCompany(key: UserKey, { acting }: RequestContext, field: string): void {
  if (key.companyId !== acting.company?.id && key.id !== acting.userKey?.id) {
    throw new Forbidden(`UserKey.${field} belongs to another company and is not visible here.`);
  }
}

async function ownerOf(key: UserKey, ctx: RequestContext): Promise<Employee> {
  return key.owner ?? (await ctx.loaders.employee.load(key.ownerId))!;
}

@Resolver(() => UserKey)
export class UserKeyResolver {
  @Query(() => UserKeyConnection, {
    description: 'R20: the key overview. Your own keys, or every key of the company with USER_ADMIN.',
  })
  userKeys(
    @Arg('filter', () => UserKeyFilter, { nullable: true }) filter: UserKeyFilter | null,
    @Args(() => PageArgsType) page: PageArgsType,
    @Ctx() { acting, services, now }: RequestContext,
  ) {
    return services.userKeys.list(acting.authenticated(), filter, page, now);
  }

  @Query(() => UserKey)
  userKey(@Arg('id', () => ID) id: string, @Ctx() { acting, services }: RequestContext) {
    return services.userKeys.get(acting.authenticated(), id);
  }

  @Mutation(() => CreateUserKeyPayload, {
    description: 'Creates a key. The secret is in the payload, this once only (R8).',
  })
  createUserKey(
    @Arg('input', () => CreateUserKeyInput) input: CreateUserKeyInput,
    @Ctx() { acting, services, now }: RequestContext,
  ) {
    return services.userKeys.create(acting.authenticated(), input, now);
  }

  @Mutation(() => RestoreUserKeyPayload, {
    description: 'R9: replaces the secret; the old one is refused from now on.',
  })
  restoreUserKey(@Arg('id', () => ID) id: string, @Ctx() { acting, services, now }: RequestContext) {
    return services.userKeys.restore(acting.authenticated(), id, now);
  }

  @Mutation(() => UserKey, { description: 'R10: the key is refused at once and stays visible as REVOKED.' })
  revokeUserKey(@Arg('id', () => ID) id: string, @Ctx() { acting, services, now }: RequestContext) {
    return services.userKeys.revoke(acting.authenticated(), id, now);
  }

  @Mutation(() => UserKey, {
    description: 'R5: sets exactly these permissions; additions never past the owner’s (R2).',
  })
  setUserKeyPermissions(
    @Arg('id', () => ID) id: string,
    @Arg('permissions', () => [Permission]) permissions: Permission[],
    @Ctx() { acting, services, now }: RequestContext,
  ) {
    return services.userKeys.setPermissions(acting.authenticated(), id, permissions, now);
  }

  @FieldResolver(() => Employee, { description: 'The employee the key acts as (R1).' })
  owner(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    return ownerOf(key, ctx);
  }

  @FieldResolver(() => Application, { nullable: true })
  async application(@Root() key: UserKey, @Ctx() { loaders }: RequestContext) {
    if (key.application !== undefined) return key.application;
    return key.applicationId ? loaders.application.load(key.applicationId) : null;
  }

  @FieldResolver(() => String, { description: 'The catalog application’s name, or the custom name (R7).' })
  async applicationName(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    if (key.customApplicationName) return key.customApplicationName;
    return (await this.application(key, ctx))?.name ?? '';
  }

  @FieldResolver(() => [Permission], {
    description: 'R3: what the key can do in its own company now: its permissions ∩ the owner’s.',
  })
  async effectivePermissions(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertOwnCompany(key, ctx, 'effectivePermissions');
    const owner = await ownerOf(key, ctx);
    return effectiveAtHome(key.permissionSet, owner.permissionSet).toArray();
  }

  @FieldResolver(() => [KeyPermissionGrant], {
    description: 'R5: every catalog permission with granted, effective and locked.',
  })
  async permissionGrants(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertOwnCompany(key, ctx, 'permissionGrants');
    const owner = await ownerOf(key, ctx);
    return permissionGrants(
      key.permissionSet,
      owner.permissionSet,
      effectiveAtHome(key.permissionSet, owner.permissionSet),
    );
  }
}
