import { Field, InputType, ObjectType } from 'type-graphql';
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

/**
 * An endpoint beside a new signing secret, shown this once; each payload says what the secret is.
 * The payloads extend it and inherit its fields; nothing returns it, so the schema never shows it.
 */
function EndpointWithNewSecret(secretDescription: string) {
  @ObjectType({ simpleResolvers: true })
  abstract class EndpointWithNewSecretPayload {
    @Field(() => WebhookEndpoint)
    endpoint!: WebhookEndpoint;

    @Field({ description: secretDescription })
    secret!: string;
  }
  return EndpointWithNewSecretPayload;
}

@ObjectType({ simpleResolvers: true })
export class CreateWebhookEndpointPayload extends EndpointWithNewSecret(
  'The signing secret (whsec_…), shown this once. Verify deliveries with it.',
) {}

@ObjectType({ simpleResolvers: true })
export class RotateWebhookSecretPayload extends EndpointWithNewSecret(
  'The new signing secret, shown this once. For 24 hours deliveries carry signatures with both secrets.',
) {}

@ObjectType({ simpleResolvers: true })
export class WebhookEndpointConnection extends ConnectionType(WebhookEndpoint, 'WebhookEndpoint') {}

@ObjectType({ simpleResolvers: true })
export class WebhookDeliveryConnection extends ConnectionType(WebhookDelivery, 'WebhookDelivery') {}
