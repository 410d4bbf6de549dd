import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { sensitiveReadScope } from '../../rules/usage';
import { PermissionSet } from '../../shared/permission';
import { Company } from '../companies/company.entity';
import { assertMayView } from '../keys/key-visibility';
import { UserKey } from '../keys/user-key.entity';
import { KeyUsageDay } from './key-usage-day.entity';
import { SensitiveRead } from './sensitive-read.entity';
import { SensitiveReadConnection, SensitiveReadsArgs } from './usage.types';

@Resolver(() => UserKey)
export class UserKeyUsageResolver {
  @FieldResolver(() => [KeyUsageDay], {
    description:
      'The key’s requests per UTC day and acting company, with errors and the permissions exercised (written within seconds; at most 1000 rows, narrow the range for more).',
  })
  usage(
    @Root() key: UserKey,
    @Arg('from', () => Date) from: Date,
    @Arg('to', () => Date) to: Date,
    @Ctx() ctx: RequestContext,
  ) {
    assertMayView(key, ctx, 'usage');
    return ctx.services.usage.days(key.id, from, to);
  }
}

@Resolver(() => KeyUsageDay)
export class KeyUsageDayResolver {
  @FieldResolver(() => Company, { description: 'The company the requests acted in.' })
  company(@Root() day: KeyUsageDay, @Ctx() { loaders }: RequestContext) {
    return loaders.byId('company').load(day.companyId);
  }

  @FieldResolver(() => [Permission], { description: 'The permissions the requests exercised.' })
  permissionsUsed(@Root() day: KeyUsageDay) {
    return PermissionSet.fromBits(day.permissionBits).toArray();
  }
}

@Resolver(() => SensitiveRead)
export class SensitiveReadResolver {
  @Query(() => SensitiveReadConnection, {
    description:
      'Every read by a key of a field protected by PAYROLL_READ or EMPLOYEE_READ: those made in this company’s books (ACCOUNT_ADMIN) and those made by its own keys (ACCOUNT_ADMIN or USER_ADMIN). Newest first.',
  })
  sensitiveReads(
    @Args(() => SensitiveReadsArgs) { userKeyId, ...page }: SensitiveReadsArgs,
    @Caller() { acting, services }: CallerScope,
  ) {
    return services.usage.sensitiveReads(sensitiveReadScope(acting), userKeyId ?? null, page);
  }

  @FieldResolver(() => UserKey, { nullable: true, description: 'The key that read it.' })
  userKey(@Root() read: SensitiveRead, @Ctx() { loaders }: RequestContext) {
    return loaders.byId('userKey').load(read.userKeyId);
  }

  @FieldResolver(() => Company, { description: 'The company whose books were read.' })
  company(@Root() read: SensitiveRead, @Ctx() { loaders }: RequestContext) {
    return loaders.byId('company').load(read.companyId);
  }
}
