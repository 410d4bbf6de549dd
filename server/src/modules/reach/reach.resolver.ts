import { Args, Ctx, FieldResolver, Mutation, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { Forbidden } from '../../shared/errors';
import { Input } from '../../shared/input-arg';
import { Pagination } from '../../shared/page-args';
import type { Page, PageArgs } from '../../shared/pagination';
import { Company } from '../companies/company.entity';
import type { Employee } from '../employees/employee.entity';
import { assertMayView } from '../keys/key-visibility';
import { UserKey } from '../keys/user-key.entity';
import {
  ClientAccessConnection,
  ClientOfficeAccess,
  KeyReachConnection,
  ReachArgs,
  SetClientBlockInput,
  type ClientAccess,
} from './reach.types';

@Resolver(() => UserKey)
export class UserKeyReachResolver {
  @FieldResolver(() => KeyReachConnection, {
    description:
      'Every client an accountant key is linked to, with what it can do there and, when it cannot act, why. Readable by the key itself without X-Company-Id.',
  })
  async reach(@Root() key: UserKey, @Args(() => ReachArgs) args: ReachArgs, @Ctx() ctx: RequestContext) {
    assertMayView(key, ctx, 'reach');
    const { loaders, services, now, acting } = ctx;
    // the request's own person and company, when they are the key's (a key reading its own reach)
    const [owner, office] = await Promise.all([
      acting.employee?.id === key.ownerId
        ? acting.employee
        : (key.owner ?? (loaders.byId('employee').load(key.ownerId) as Promise<Employee>)),
      acting.company?.id === key.companyId
        ? acting.company
        : (key.company ?? (loaders.byId('company').load(key.companyId) as Promise<Company>)),
    ]);
    return services.reach.reach(key, owner, office, args, now);
  }
}

@Resolver(() => Company)
export class CompanyAccountingOfficesResolver {
  @FieldResolver(() => [ClientOfficeAccess], {
    description:
      'The accounting offices keeping this company’s books, each with every key and person of it that can act here. For the company’s own account administrators.',
  })
  @Requires(Permission.ACCOUNT_ADMIN)
  accountingOffices(@Root() company: Company, @Caller() { acting, services }: CallerScope) {
    if (company.id !== acting.company.id) throw new Forbidden('Only the acting company’s own offices are listed.');
    return services.clientPanel.offices(acting);
  }

  @Mutation(() => Boolean, {
    description:
      'Blocks (or unblocks) one key, one application or one person of an accounting office in this company; the office’s other keys keep working. Act in your own company.',
  })
  @Requires(Permission.ACCOUNT_ADMIN)
  setClientBlock(
    @Input(SetClientBlockInput) input: SetClientBlockInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.clientPanel.setBlock(acting, input, now);
  }
}

@Resolver(() => ClientOfficeAccess)
export class ClientOfficeAccessResolver {
  @FieldResolver(() => ClientAccessConnection, {
    description:
      'The office’s keys and people linked to this company: what each can do here, and whether it is blocked.',
  })
  access(
    @Root() office: ClientOfficeAccess,
    @Pagination() page: PageArgs,
    @Ctx() { loaders, services, now }: RequestContext,
  ) {
    const clientId = office.relation.clientId;
    return loaders
      .keyed<ClientOfficeAccess, Page<ClientAccess>>(`accessAtClient:${clientId}`, page, (offices) =>
        services.clientPanel.accessPerOffice(clientId, offices, page, now),
      )
      .load(office);
  }
}
