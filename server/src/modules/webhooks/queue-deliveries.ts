import type { RelaySubscriber } from '../events/relay';
import { webhookDeliveryRepository } from './webhook-delivery.repository';

/**
 * R36/R37: queues a delivery of each newly numbered event to every enabled endpoint of both
 * companies it belongs to that subscribes to its type — one `INSERT … SELECT` per relay batch,
 * in the relay's transaction. An endpoint receives events that happened after it was created;
 * a turned-off endpoint misses the events of its time off.
 */
export const queueWebhookDeliveries: RelaySubscriber = (manager, { fromSeq, toSeq }, now) =>
  webhookDeliveryRepository(manager).queueForEvents(fromSeq, toSeq, now);
