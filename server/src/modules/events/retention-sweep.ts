import type { EntityManager } from 'typeorm';
import { sqlTime } from '../../db/dialect';
import { WebhookDeliveryStatus } from '../webhooks/webhook-delivery.entity';

/**
 * Keeps the outbox from growing without end: events older than the retention period go (with
 * their deliveries and attempts), unless a delivery of them is still pending; finished deliveries
 * and old sweep records go too. Runs once a day across instances.
 */
export async function sweepRetention(manager: EntityManager, now: Date, retentionMs: number): Promise<void> {
  const before = sqlTime(new Date(now.getTime() - retentionMs));
  await manager.query(`DELETE FROM webhook_delivery WHERE status <> ? AND created_at < ?`, [
    WebhookDeliveryStatus.PENDING,
    before,
  ]);
  await manager.query(
    `DELETE FROM access_event WHERE at < ? AND seq IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = access_event.id)`,
    [before],
  );
  await manager.query('DELETE FROM sweep_run WHERE period_start < ?', [
    sqlTime(new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000)),
  ]);
}
