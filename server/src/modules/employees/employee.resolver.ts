import type { AuthenticatedActing } from '../../auth/acting-context';
import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Acting, Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { Pagination, SearchPageArgs } from '../../shared/page-args';
import { ConnectionType, type Page, type PageArgs } from '../../shared/pagination';
import { UserKey } from '../keys/user-key.entity';
import { UserKeyConnection } from '../keys/user-key.types';
import { Employee } from './employee.entity';

@ObjectType({ simpleResolvers: true })
export class EmployeeConnection extends ConnectionType(Employee, 'Employee') {}

@Resolver(() => Employee)
export class EmployeeResolver {
  @Query(() => EmployeeConnection, { description: 'Employees of the acting company.' })
  @Requires(Permission.EMPLOYEE_READ)
  employees(
    @Args(() => SearchPageArgs) { search, ...page }: SearchPageArgs,
    @Caller() { acting, services }: CallerScope,
  ) {
    return services.employees.list(acting, search, page);
  }

  @Query(() => Employee)
  @Requires(Permission.EMPLOYEE_READ)
  employee(@Arg('id', () => ID) id: string, @Caller() { acting, services }: CallerScope) {
    return services.employees.get(acting, id);
  }

  @Mutation(() => Employee, { description: 'Sets an employee’s permissions. Keys lose removed ones at once.' })
  @Requires(Permission.USER_ADMIN)
  setEmployeePermissions(
    @Arg('employeeId', () => ID) employeeId: string,
    @Arg('permissions', () => [Permission]) permissions: Permission[],
    @Caller() { acting, services }: CallerScope,
  ) {
    return services.employees.setPermissions(acting, employeeId, permissions);
  }

  @FieldResolver(() => UserKeyConnection, {
    nullable: true,
    description:
      'The employee’s keys that the caller may see (their own, or all with USER_ADMIN), newest first; first 1–100.',
  })
  userKeys(
    @Root() employee: Employee,
    @Pagination() page: PageArgs,
    @Acting() acting: AuthenticatedActing,
    @Ctx() { loaders, services }: RequestContext,
  ) {
    return loaders
      .keyed<string, Page<UserKey>>('keysOfOwner', page, (ids) => services.userKeys.visiblePerOwner(acting, ids, page))
      .load(employee.id);
  }
}
