import { Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { AccessTemplateRecord, CompanyRecord, EmployeeRecord, UserKeyRecord } from '../../shared/records';
import type { ActingContext } from '../../auth/acting-context';
import { Permission } from '../../auth/permission';
import type { RequestContext } from '../request-context';
import { AccessTemplate } from '../clients/access-template.entity';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';

@ObjectType({ simpleResolvers: true, description: 'The caller of this request, as the server sees it.' })
export class Viewer {
  constructor(readonly acting: ActingContext) {}

  @Field(() => [Permission], { description: 'What this request may do in the acting company.' })
  get effectivePermissions(): Permission[] {
    return this.acting.permissions.toArray();
  }

  @Field({ description: 'Whether the request acts at a client of the caller’s accounting office.' })
  get actingAtClient(): boolean {
    return this.acting.clientAccess !== null;
  }
}

@Resolver(() => Viewer)
export class ViewerResolver {
  @Query(() => Viewer, { description: 'Who is calling, where, and with which effective permissions.' })
  viewer(@Ctx() { acting }: RequestContext): Viewer {
    return new Viewer(acting);
  }

  @FieldResolver(() => AccessTemplate, {
    nullable: true,
    description: 'At a client: the template the caller acts under.',
  })
  accessTemplate(@Root() viewer: Viewer): AccessTemplateRecord | null {
    return viewer.acting.clientAccess?.template ?? null;
  }

  // The acting context keeps only what authorization reads (auth/acting-context.ts): the person,
  // key and company are shown from their rows, loaded by id when asked for.

  @FieldResolver(() => Employee, {
    nullable: true,
    description: 'The person: the session’s employee, or the key’s owner.',
  })
  employee(@Root() { acting }: Viewer, @Ctx() { loaders }: RequestContext): Promise<EmployeeRecord | null> | null {
    return loaders.referenced('employee', acting.employee?.id ?? null);
  }

  @FieldResolver(() => UserKey, { nullable: true, description: 'The key the request authenticated with, if any.' })
  userKey(@Root() { acting }: Viewer, @Ctx() { loaders }: RequestContext): Promise<UserKeyRecord | null> | null {
    return loaders.referenced('userKey', acting.userKey?.id ?? null);
  }

  @FieldResolver(() => Company, {
    description: 'The company the request acts in (X-Company-Id, or the caller’s own).',
  })
  company(@Root() { acting }: Viewer, @Ctx() { loaders }: RequestContext): Promise<CompanyRecord | null> | null {
    return loaders.referenced('company', acting.company?.id ?? null);
  }
}
