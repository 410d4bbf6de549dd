import { WebhookDeliveryResolver, WebhookEndpointResolver } from '../webhooks/webhook.resolver';
import { AccessEventResolver } from './access-event.resolver';

/** The GraphQL resolvers of the event feed and the webhooks (R36, R37). */
export const EVENT_RESOLVERS = [AccessEventResolver, WebhookEndpointResolver, WebhookDeliveryResolver] as const;
