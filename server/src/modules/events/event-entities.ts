import { WebhookAttempt } from '../webhooks/webhook-attempt.entity';
import { WebhookDelivery } from '../webhooks/webhook-delivery.entity';
import { WebhookEndpoint } from '../webhooks/webhook-endpoint.entity';
import { WebhookSubscription } from '../webhooks/webhook-subscription.entity';
import { AccessEvent } from './access-event.entity';
import { OutboxSequence } from './outbox-sequence.entity';
import { SweepRun } from './sweep-run.entity';

/** The tables of the outbox, the sweeps and the webhooks (R35–R38). */
export const EVENT_ENTITIES = [
  AccessEvent,
  OutboxSequence,
  SweepRun,
  WebhookEndpoint,
  WebhookSubscription,
  WebhookDelivery,
  WebhookAttempt,
];
