import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { keyPolicyOf } from '../../rules/lifecycle';
import { Forbidden } from '../../shared/errors';
import { Input } from '../../shared/input-arg';
import { Company } from '../companies/company.entity';
import { KeyNetworkUse, KeyPolicy, KeyPolicyInput } from './key-lifecycle.types';
import { recentNetworks } from './key-networks';
import { UserKey } from './user-key.entity';
import { assertMayView } from './key-visibility';

/** R28–R31 on keys: allowlists and the networks a key is used from, expiry changes, leak reports. */
@Resolver(() => UserKey)
export class KeyLifecycleResolver {
  @Mutation(() => UserKey, {
    description:
      'The IPv4/IPv6 networks (CIDR, at most 50) the key may be used from; an empty list means anywhere. Requests from elsewhere are refused with NETWORK_NOT_ALLOWED.',
  })
  setUserKeyAllowedNetworks(
    @Arg('id', () => ID) id: string,
    @Arg('cidrs', () => [String]) cidrs: string[],
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.keyLifecycle.setAllowedNetworks(acting, id, cidrs, now);
  }

  @Mutation(() => UserKey, {
    description: 'Changes when the key expires (null: never), within the company’s key policy.',
  })
  setUserKeyExpiry(
    @Arg('id', () => ID) id: string,
    @Arg('expiresAt', () => Date, { nullable: true }) expiresAt: Date | null,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.keyLifecycle.setExpiry(acting, id, expiresAt ?? null, now);
  }

  @Mutation(() => Boolean, {
    description:
      'Report key secrets found in public (1–1,000 strings, no credential needed). Every active key among them is revoked with the keys it created or restored. Always answers true.',
  })
  async reportLeakedSecrets(
    @Arg('secrets', () => [String]) secrets: string[],
    @Ctx() { services, now, clientIp }: RequestContext,
  ): Promise<boolean> {
    await services.rateLimits.leakReport(clientIp);
    await services.keyLifecycle.reportLeakedSecrets(secrets, now);
    return true;
  }

  @FieldResolver(() => [KeyNetworkUse], {
    description: 'The networks (/24 or /64) the key was used from in the last 30 days, to help write its allowlist.',
  })
  recentNetworks(@Root() key: UserKey, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'recentNetworks');
    return recentNetworks(ctx.services.db, key.id, ctx.now);
  }
}

/** R29: the company key policy. */
@Resolver(() => Company)
export class CompanyKeyPolicyResolver {
  @Mutation(() => KeyPolicy, {
    description:
      'The acting company’s key policy. Keys created, restored or changed outside it are refused (KEY_POLICY_VIOLATION); unused keys expire.',
  })
  @Requires(Permission.ACCOUNT_ADMIN)
  setKeyPolicy(@Input(KeyPolicyInput) input: KeyPolicyInput, @Caller() { acting, services, now }: CallerScope) {
    return services.keyLifecycle.setKeyPolicy(
      acting,
      {
        requireExpiry: input.requireExpiry,
        maxLifetimeDays: input.maxLifetimeDays ?? null,
        expireUnusedAfterDays: input.expireUnusedAfterDays ?? null,
      },
      now,
    );
  }

  @FieldResolver(() => KeyPolicy, {
    nullable: true,
    description: 'The company’s key policy; readable in the acting company only.',
  })
  keyPolicy(@Root() company: Company, @Ctx() { acting }: RequestContext) {
    if (acting.company?.id !== company.id) {
      throw new Forbidden('Company.keyPolicy is visible only when acting in that company.');
    }
    return keyPolicyOf(company);
  }
}
