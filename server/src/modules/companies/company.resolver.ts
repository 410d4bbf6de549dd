import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { ACTIVATES_INTEGRATIONS } from '../../rules/integrations';
import { Employee } from '../employees/employee.entity';
import { Company } from './company.entity';

@Resolver(() => Company)
export class CompanyResolver {
  @Query(() => Company, { description: 'The acting company.' })
  company(@Ctx() { acting, loaders }: RequestContext) {
    // the acting context keeps only what authorization reads: the company is shown from its row
    return loaders.referenced('company', acting.company?.id ?? null);
  }

  @Mutation(() => Company, {
    description: 'Activates the Integrations add-on (accept the terms). Needed before any key.',
  })
  @Requires(...ACTIVATES_INTEGRATIONS)
  activateIntegrations(@Arg('acceptTerms') acceptTerms: boolean, @Caller() { acting, services, now }: CallerScope) {
    return services.companies.activateIntegrations(acting, acceptTerms, now);
  }

  @FieldResolver(() => Employee, { nullable: true, description: 'Who activated the Integrations add-on.' })
  integrationsActivatedBy(@Root() company: Company, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('employee', company.integrationsActivatedById);
  }
}
