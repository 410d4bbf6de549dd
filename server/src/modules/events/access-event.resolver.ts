import { Args, ArgsType, Field, ObjectType, Query, Resolver } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import { PageArgsType } from '../../shared/page-args';
import { ConnectionType } from '../../shared/pagination';
import { AccessEvent } from './access-event.entity';
import { listAccessEvents } from './event-feed';

@ObjectType({ simpleResolvers: true })
export class AccessEventConnection extends ConnectionType(AccessEvent, 'AccessEvent') {}

@ArgsType()
class AccessEventsArgs extends PageArgsType {
  @Field(() => [String], {
    nullable: true,
    description: 'Only events of these types, e.g. ["user_key.expiring", "client.api_access_changed"].',
  })
  types?: string[] | null;
}

@Resolver(() => AccessEvent)
export class AccessEventResolver {
  @Query(() => AccessEventConnection, {
    description:
      'The acting company’s access events, oldest first in commit order. Poll with `after:` the last endCursor to get only newer events.',
  })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  accessEvents(
    @Args(() => AccessEventsArgs) { types, ...page }: AccessEventsArgs,
    @Caller() { acting, services }: CallerScope,
  ) {
    return listAccessEvents(services.db, acting, { types }, page);
  }
}
