import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { Forbidden } from '../../shared/errors';
import { Input } from '../../shared/input-arg';
import { Pagination } from '../../shared/page-args';
import type { Page, PageArgs } from '../../shared/pagination';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';
import { AccessTemplate } from './access-template.entity';
import { ClientLink } from './client-link.entity';
import { ClientRelation } from './client-relation.entity';
import {
  AccessTemplateInput,
  AddClientInput,
  BulkLinkClientsInput,
  BulkLinkClientsPayload,
  ClientConnection,
  ClientLinkConnection,
  ClientsArgs,
  LinkClientInput,
  SetAccountantApiAccessInput,
  UnlinkClientsInput,
  UnlinkClientsPayload,
  UpdateAccessTemplateInput,
} from './client.types';

@Resolver(() => AccessTemplate)
export class AccessTemplateResolver {
  @Query(() => [AccessTemplate], { description: 'The access templates of the acting accounting office.' })
  @Requires(Permission.CLIENT_ADMIN)
  accessTemplates(@Caller() { acting, services }: CallerScope) {
    return services.accessTemplates.list(acting);
  }

  @Mutation(() => AccessTemplate)
  @Requires(Permission.CLIENT_ADMIN)
  createAccessTemplate(
    @Input(AccessTemplateInput) input: AccessTemplateInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.accessTemplates.create(acting, input, now);
  }

  @Mutation(() => AccessTemplate, { description: 'Every link using the template changes at the next request.' })
  @Requires(Permission.CLIENT_ADMIN)
  updateAccessTemplate(
    @Arg('id', () => ID) id: string,
    @Input(UpdateAccessTemplateInput) input: UpdateAccessTemplateInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.accessTemplates.update(acting, id, input, now);
  }

  @Mutation(() => Boolean, { description: 'Refused with CONFLICT while a link uses the template.' })
  @Requires(Permission.CLIENT_ADMIN)
  deleteAccessTemplate(@Arg('id', () => ID) id: string, @Caller() { acting, services, now }: CallerScope) {
    return services.accessTemplates.delete(acting, id, now);
  }
}

@Resolver(() => ClientRelation)
export class ClientResolver {
  @Query(() => ClientConnection, { description: 'The clients of the acting accounting office, by name.' })
  @Requires(Permission.CLIENT_ADMIN)
  clients(
    @Args(() => ClientsArgs) { search, apiAccess, ...page }: ClientsArgs,
    @Caller() { acting, services }: CallerScope,
  ) {
    return services.clients.list(acting, { search, apiAccess }, page);
  }

  @Mutation(() => ClientRelation, { description: 'Creates a client company of the office, with API access on.' })
  @Requires(Permission.CLIENT_ADMIN)
  addClient(@Input(AddClientInput) input: AddClientInput, @Caller() { acting, services, now }: CallerScope) {
    return services.clients.add(acting, input, now);
  }

  @Mutation(() => ClientRelation, {
    description: 'The client turns its accounting office’s API access on or off (act in the client).',
  })
  @Requires(Permission.ACCOUNT_ADMIN)
  setAccountantApiAccess(
    @Input(SetAccountantApiAccessInput) input: SetAccountantApiAccessInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.clients.setApiAccess(acting, input, now);
  }

  @Mutation(() => BulkLinkClientsPayload, {
    description: 'Links a key or employee to many clients at once, atomically.',
  })
  @Requires(Permission.CLIENT_ADMIN)
  async bulkLinkClients(
    @Input(BulkLinkClientsInput) input: BulkLinkClientsInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return new BulkLinkClientsPayload(await services.clientLinks.link(acting, input, now));
  }

  @Mutation(() => ClientLink, {
    description: 'Links a key or employee to one client (updates the template if linked).',
  })
  @Requires(Permission.CLIENT_ADMIN)
  async linkClient(@Input(LinkClientInput) input: LinkClientInput, @Caller() { acting, services, now }: CallerScope) {
    const result = await services.clientLinks.link(
      acting,
      { ...input, clientIds: [input.clientId] },
      now,
      'linkClient',
    );
    const [link] = await result.links();
    return link;
  }

  @Mutation(() => UnlinkClientsPayload)
  @Requires(Permission.CLIENT_ADMIN)
  async unlinkClients(
    @Input(UnlinkClientsInput) input: UnlinkClientsInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return { unlinkedCount: await services.clientLinks.unlink(acting, input, now) };
  }

  @FieldResolver(() => Company, { description: 'The client company.' })
  company(@Root() relation: ClientRelation, @Ctx() { loaders }: RequestContext) {
    return relation.client ?? loaders.byId('company').load(relation.clientId);
  }

  @FieldResolver(() => Company, { description: 'The accounting office.' })
  office(@Root() relation: ClientRelation, @Ctx() { loaders }: RequestContext) {
    return relation.office ?? loaders.byId('company').load(relation.officeId);
  }

  @FieldResolver(() => Employee, { nullable: true, description: 'The responsible accountant at the office.' })
  accountant(@Root() relation: ClientRelation, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('employee', relation.accountantEmployeeId);
  }

  @FieldResolver(() => ClientLinkConnection, { description: 'The office’s keys and employees linked to this client.' })
  links(@Root() relation: ClientRelation, @Pagination() page: PageArgs, @Ctx() { loaders, services }: RequestContext) {
    return loaders
      .keyed<string, Page<ClientLink>>(`linksOfClient:${relation.officeId}`, page, (ids) =>
        services.clients.linksPerClient(relation.officeId, ids, page),
      )
      .load(relation.clientId);
  }
}

@Resolver(() => ClientLink)
export class ClientLinkResolver {
  @FieldResolver(() => Company)
  client(@Root() link: ClientLink, @Ctx() { loaders }: RequestContext) {
    return link.client ?? loaders.byId('company').load(link.clientId);
  }

  @FieldResolver(() => AccessTemplate)
  template(@Root() link: ClientLink, @Ctx() { loaders }: RequestContext) {
    return link.template ?? loaders.byId('accessTemplate').load(link.templateId);
  }

  @FieldResolver(() => UserKey, { nullable: true })
  userKey(@Root() link: ClientLink, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('userKey', link.userKeyId);
  }

  @FieldResolver(() => Employee, { nullable: true })
  employee(@Root() link: ClientLink, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('employee', link.employeeId);
  }
}

@Resolver(() => UserKey)
export class UserKeyClientsResolver {
  @FieldResolver(() => ClientLinkConnection, {
    description: 'The clients an accountant key is linked to, with their templates.',
  })
  clients(@Root() key: UserKey, @Pagination() page: PageArgs, @Ctx() { acting, loaders, services }: RequestContext) {
    // a key's client list belongs to its office: visible there, or to the key itself
    if (key.companyId !== acting.company?.id && key.id !== acting.userKey?.id) {
      throw new Forbidden('The clients of a key are visible only in its own company.');
    }
    return loaders
      .keyed<string, Page<ClientLink>>('linksOfGrantee', page, (ids) => services.clients.linksPerGrantee(ids, page))
      .load(key.id);
  }
}
