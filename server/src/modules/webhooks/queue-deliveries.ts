import type { RelaySubscriber } from '../events/relay';
import { dialectOf, rowIdSql, sqlTime } from '../../db/dialect';
import { rowIdBase } from '../../db/row-ids';
import { EVERY_EVENT_TYPE } from '../events/event-types';
import { WebhookDeliveryStatus } from './webhook-delivery.entity';

/**
 * R36/R37: queues a delivery of each newly numbered event to every enabled endpoint of both
 * companies it belongs to that subscribes to its type — one `INSERT … SELECT` per relay batch,
 * in the relay's transaction. An endpoint receives events that happened after it was created;
 * a turned-off endpoint misses the events of its time off.
 */
export const queueWebhookDeliveries: RelaySubscriber = async (manager, { fromSeq, toSeq }, now) => {
  const dialect = dialectOf(manager);
  await manager.query(
    `INSERT INTO webhook_delivery (id, endpoint_id, event_id, position, status, attempt_count, retry_count, created_at)
     SELECT ${rowIdSql(dialect, 'e.seq, w.id')}, w.id, e.id, e.seq, ?, 0, 0, ?
     FROM access_event e
     JOIN webhook_endpoint w ON w.company_id = e.company_id OR w.company_id = e.counterpart_company_id
     WHERE e.seq > ? AND e.seq <= ? AND w.disabled_at IS NULL AND w.created_at <= e.at
       AND EXISTS (SELECT 1 FROM webhook_subscription s
                   WHERE s.endpoint_id = w.id AND (s.event_type = e.type OR s.event_type = ?))`,
    [rowIdBase('webhookDelivery'), WebhookDeliveryStatus.PENDING, sqlTime(now), fromSeq, toSeq, EVERY_EVENT_TYPE],
  );
};
