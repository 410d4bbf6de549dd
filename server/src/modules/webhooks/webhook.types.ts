import { Field, InputType, ObjectType } from 'type-graphql';
import { NewSecretPayload } from '../../shared/new-secret-payload';
import { ConnectionType } from '../../shared/pagination';
import { WebhookDelivery } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

@InputType()
export class CreateWebhookEndpointInput {
  @Field({ description: 'An https URL that does not resolve to a private, loopback or link-local address.' })
  url!: string;

  @Field(() => [String], { description: 'Event types to receive, e.g. ["user_key.expiring"]; ["*"] for every type.' })
  eventTypes!: string[];
}

@InputType({ description: 'Give the fields to change.' })
export class UpdateWebhookEndpointInput {
  @Field(() => String, { nullable: true })
  url?: string | null;

  @Field(() => [String], { nullable: true })
  eventTypes?: string[] | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'false turns the endpoint off; true turns it on again and retries its pending deliveries at once.',
  })
  enabled?: boolean | null;
}

@ObjectType({ simpleResolvers: true })
export class CreateWebhookEndpointPayload extends NewSecretPayload(
  { field: 'endpoint', type: WebhookEndpoint },
  { field: 'secret', description: 'The signing secret (whsec_…), shown this once. Verify deliveries with it.' },
) {}

@ObjectType({ simpleResolvers: true })
export class RotateWebhookSecretPayload extends NewSecretPayload(
  { field: 'endpoint', type: WebhookEndpoint },
  {
    field: 'secret',
    description: 'The new signing secret, shown this once. For 24 hours deliveries carry signatures with both secrets.',
  },
) {}

@ObjectType({ simpleResolvers: true })
export class WebhookEndpointConnection extends ConnectionType(WebhookEndpoint, 'WebhookEndpoint') {}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery, 'WebhookDelivery') {}
