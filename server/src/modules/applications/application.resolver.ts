import { Args, Ctx, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { PERMISSION_CATALOG, Permission } from '../../auth/permission';
import type { RequestContext } from '../request-context';
import { SearchPageArgs } from '../../shared/page-args';
import { ConnectionType } from '../../shared/pagination';
import { Application } from './application.entity';

@ObjectType({ simpleResolvers: true })
export class ApplicationConnection extends ConnectionType(Application, 'Application') {}

@ObjectType({ simpleResolvers: true, description: 'A permission of the catalog with its labels.' })
export class PermissionInfo {
  @Field(() => Permission)
  permission!: Permission;

  @Field({ description: 'English label.' })
  label!: string;

  @Field({ description: 'Norwegian label.' })
  labelNo!: string;

  @Field()
  description!: string;
}

@Resolver()
export class CatalogResolver {
  @Query(() => [PermissionInfo], { description: 'The permission catalog (open to every caller).' })
  permissions(): PermissionInfo[] {
    return [...PERMISSION_CATALOG];
  }

  @Query(() => ApplicationConnection, { description: 'The application catalog (open to every caller).' })
  applications(@Args(() => SearchPageArgs) { search, ...page }: SearchPageArgs, @Ctx() { services }: RequestContext) {
    return services.applications.list(search, page);
  }
}
