import { hydrate, prefixedColumns } from '../../db/hydrate';
import { dialectOf, rowIdSql, sqlTime } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { rowIdBase } from '../../db/row-ids';
import { AccessEvent } from '../events/access-event.entity';
import { EVERY_EVENT_TYPE } from '../events/event-types';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

const PENDING = WebhookDeliveryStatus.PENDING;

/** A delivery to send next, with its event and its endpoint. */
export interface DeliveryHead {
  delivery: WebhookDelivery;
  event: AccessEvent;
  endpoint: WebhookEndpoint;
}

/** A failed attempt's outcome for its delivery. */
export interface DeliveryFailure {
  giveUp: boolean;
  retryCount: number;
  firstAttemptAt: Date;
  attemptAt: Date;
  statusCode: number | null;
}

/** Webhook deliveries: which endpoints have work, the next one to send, and each attempt's outcome. */
export const webhookDeliveryRepository = defineRepository(WebhookDelivery, {
  /**
   * The endpoints with pending deliveries: a plain read (one row per endpoint, from the status
   * index), so the locking claim that follows touches only endpoints.
   */
  async endpointsWithWork(): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      'SELECT DISTINCT endpoint_id AS id FROM webhook_delivery WHERE status = ?',
      [PENDING],
    );
    return rows.map((row) => row.id);
  },

  /** The endpoint's oldest pending delivery, with its event and the endpoint, in one statement. */
  async head(endpointId: string): Promise<DeliveryHead | null> {
    const m = this.manager;
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${prefixedColumns(m, WebhookDelivery, 'd', 'd__')}, ${prefixedColumns(m, AccessEvent, 'e', 'e__')},
              ${prefixedColumns(m, WebhookEndpoint, 'w', 'w__')}
       FROM webhook_delivery d
       JOIN access_event e ON e.id = d.event_id
       JOIN webhook_endpoint w ON w.id = d.endpoint_id
       WHERE d.endpoint_id = ? AND d.status = ?
       ORDER BY d.position, d.id LIMIT 1`,
      [endpointId, PENDING],
    );
    if (!rows.length) return null;
    return {
      delivery: hydrate(m, WebhookDelivery, rows, 'd__')[0],
      event: hydrate(m, AccessEvent, rows, 'e__')[0],
      endpoint: hydrate(m, WebhookEndpoint, rows, 'w__')[0],
    };
  },

  /** Records a delivery as delivered by the attempt that started at `attemptAt`. */
  async markDelivered(id: string, attemptAt: Date, statusCode: number | null, deliveredAt: Date): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_delivery SET status = ?, attempt_count = attempt_count + 1, last_attempt_at = ?,
             last_status_code = ?, delivered_at = ? WHERE id = ?`,
      [WebhookDeliveryStatus.DELIVERED, sqlTime(attemptAt), statusCode, sqlTime(deliveredAt), id],
    );
  },

  /** Records a failed attempt: still pending for a retry, or FAILED when given up. */
  async markFailedAttempt(id: string, failure: DeliveryFailure): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_delivery SET status = ?, attempt_count = attempt_count + 1, retry_count = ?,
           first_attempt_at = ?, last_attempt_at = ?, last_status_code = ? WHERE id = ?`,
      [
        failure.giveUp ? WebhookDeliveryStatus.FAILED : PENDING,
        failure.retryCount,
        sqlTime(failure.firstAttemptAt),
        sqlTime(failure.attemptAt),
        failure.statusCode,
        id,
      ],
    );
  },

  /**
   * Queues a delivery of each event numbered in (`fromSeq`, `toSeq`] to every enabled endpoint of
   * both its companies that subscribes to its type, created before the event: one `INSERT … SELECT`
   * per relay batch, whatever the number of events and endpoints.
   */
  async queueForEvents(fromSeq: number, toSeq: number, now: Date): Promise<void> {
    const dialect = dialectOf(this.manager);
    await this.manager.query(
      `INSERT INTO webhook_delivery (id, endpoint_id, event_id, position, status, attempt_count, retry_count, created_at)
     SELECT ${rowIdSql(dialect, 'e.seq, w.id')}, w.id, e.id, e.seq, ?, 0, 0, ?
     FROM access_event e
     JOIN webhook_endpoint w ON w.company_id = e.company_id OR w.company_id = e.counterpart_company_id
     WHERE e.seq > ? AND e.seq <= ? AND w.disabled_at IS NULL AND w.created_at <= e.at
       AND EXISTS (SELECT 1 FROM webhook_subscription s
                   WHERE s.endpoint_id = w.id AND (s.event_type = e.type OR s.event_type = ?))`,
      [rowIdBase('webhookDelivery'), PENDING, sqlTime(now), fromSeq, toSeq, EVERY_EVENT_TYPE],
    );
  },

  /** Drops the finished deliveries (delivered or given up) created before `before` (an SQL time). */
  async deleteFinishedBefore(before: string): Promise<void> {
    await this.manager.query(`DELETE FROM webhook_delivery WHERE status <> ? AND created_at < ?`, [PENDING, before]);
  },
});
