import { Ctx, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { AuthenticatedActing } from '../../auth/acting-context';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import type { Database } from '../../db/database';
import { Pagination } from '../../shared/page-args';
import { pageById } from '../../db/pagination';
import { ConnectionType, type Page, type PageArgs } from '../../shared/pagination';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';
import { clientsPerEvent } from './audit-clients';
import { AuditEvent } from './audit-event.entity';

@ObjectType({ simpleResolvers: true })
export class AuditEventConnection extends ConnectionType(AuditEvent, 'AuditEvent') {}

@ObjectType({ simpleResolvers: true })
export class CompanyConnection extends ConnectionType(Company, 'Company') {}

/** R21: the acting company's audit log, newest first. */
export function listAuditEvents(db: Database, acting: AuthenticatedActing, page: PageArgs): Promise<Page<AuditEvent>> {
  return pageById(db, AuditEvent, { companyId: acting.company.id }, page, 'DESC');
}

@Resolver(() => AuditEvent)
export class AuditResolver {
  @Query(() => AuditEventConnection, { description: 'The audit log of the acting company, newest first.' })
  @Requires(Permission.USER_ADMIN, Permission.ACCOUNT_ADMIN)
  auditEvents(@Pagination() page: PageArgs, @Caller() { acting, services }: CallerScope) {
    return listAuditEvents(services.db, acting, page);
  }

  @FieldResolver(() => Employee, {
    nullable: true,
    description: 'The person who made the change (a key’s owner when a key did).',
  })
  actorEmployee(@Root() event: AuditEvent, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('employee', event.actorEmployeeId);
  }

  @FieldResolver(() => UserKey, { nullable: true, description: 'The key that made the change, if a key did.' })
  actorUserKey(@Root() event: AuditEvent, @Ctx() { loaders }: RequestContext) {
    return loaders.referenced('userKey', event.actorUserKeyId);
  }

  @FieldResolver(() => CompanyConnection, {
    description: 'The clients a link or unlink changed (one event per call names all of them), by id.',
  })
  clients(@Root() event: AuditEvent, @Pagination() page: PageArgs, @Ctx() { loaders, services }: RequestContext) {
    return loaders
      .keyed<string, Page<Company>>('clientsOfAuditEvent', page, (ids) => clientsPerEvent(services.db, ids, page))
      .load(event.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Facts about the change, as JSON.' })
  details(@Root() event: AuditEvent) {
    return event.details;
  }
}
