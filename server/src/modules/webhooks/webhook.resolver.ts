import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { Input } from '../../shared/input-arg';
import { Pagination } from '../../shared/page-args';
import type { PageArgs } from '../../shared/pagination';
import { AccessEvent } from '../events/access-event.entity';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import {
  CreateWebhookEndpointInput,
  CreateWebhookEndpointPayload,
  RotateWebhookSecretPayload,
  UpdateWebhookEndpointInput,
  WebhookDeliveryConnection,
  WebhookEndpointConnection,
} from './webhook.types';

/** The most attempts `WebhookDelivery.attempts` lists (the newest ones; http/cost/list-maxima.ts charges for it). */
export const MAX_LISTED_ATTEMPTS = 50;

/** R37: webhooks are managed by the company's own account or user administrators. */
@Resolver(() => WebhookEndpoint)
export class WebhookEndpointResolver {
  @Query(() => WebhookEndpointConnection, { description: 'The acting company’s webhook endpoints.' })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  webhookEndpoints(@Pagination() page: PageArgs, @Caller() { acting, services }: CallerScope) {
    return services.events.webhooks.list(acting, page);
  }

  @Mutation(() => CreateWebhookEndpointPayload, {
    description: 'A new endpoint; its signing secret is in the payload, this once.',
  })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  createWebhookEndpoint(
    @Input(CreateWebhookEndpointInput) input: CreateWebhookEndpointInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.events.webhooks.create(acting, input, now);
  }

  @Mutation(() => WebhookEndpoint, {
    description: 'Changes an endpoint’s URL or event types, or turns it off and on.',
  })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  updateWebhookEndpoint(
    @Arg('id', () => ID) id: string,
    @Input(UpdateWebhookEndpointInput) input: UpdateWebhookEndpointInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.events.webhooks.update(acting, id, input, now);
  }

  @Mutation(() => Boolean, { description: 'Deletes an endpoint, its pending deliveries and its delivery log.' })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  deleteWebhookEndpoint(@Arg('id', () => ID) id: string, @Caller() { acting, services, now }: CallerScope) {
    return services.events.webhooks.delete(acting, id, now);
  }

  @Mutation(() => RotateWebhookSecretPayload, {
    description: 'A new signing secret (in the payload, this once); the old one keeps signing alongside for 24 hours.',
  })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  rotateWebhookSecret(@Arg('id', () => ID) id: string, @Caller() { acting, services, now }: CallerScope) {
    return services.events.webhooks.rotateSecret(acting, id, now);
  }

  @Mutation(() => WebhookDelivery, {
    description:
      'Sends a delivered or failed delivery again, before newer pending ones (it keeps its place in event order).',
  })
  @Requires(Permission.ACCOUNT_ADMIN, Permission.USER_ADMIN)
  async redeliverWebhookEvent(
    @Arg('deliveryId', () => ID) deliveryId: string,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    const delivery = await services.events.webhooks.redeliver(acting, deliveryId, now);
    await services.events.webhooks.withEventsAndAttempts([delivery]);
    return delivery;
  }

  // no @requires of its own: an endpoint is only ever reached by its company's administrators
  @FieldResolver(() => WebhookDeliveryConnection, {
    description: 'The delivery log, newest first: each event sent here, its status and every attempt.',
  })
  deliveries(@Root() endpoint: WebhookEndpoint, @Pagination() page: PageArgs, @Ctx() { services }: RequestContext) {
    return services.events.webhooks.deliveries(endpoint, page);
  }
}

@Resolver(() => WebhookDelivery)
export class WebhookDeliveryResolver {
  @FieldResolver(() => AccessEvent, { description: 'The event delivered.' })
  event(@Root() delivery: WebhookDelivery) {
    return delivery.event;
  }

  @FieldResolver(() => [WebhookAttempt], { description: 'The latest attempts (at most 50), oldest first.' })
  attempts(@Root() delivery: WebhookDelivery) {
    // a list has a server maximum (the cost of a query counts it at that)
    return (delivery.attempts ?? []).slice(-MAX_LISTED_ATTEMPTS);
  }
}
