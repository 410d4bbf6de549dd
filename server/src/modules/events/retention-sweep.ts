import type { EntityManager } from 'typeorm';
import { sqlTime } from '../../db/dialect';
import { webhookDeliveryRepository } from '../webhooks/webhook-delivery.repository';
import { outboxEventRepository } from './outbox.repository';
import { sweepRunRepository } from './sweep-run.repository';

/**
 * Keeps the outbox from growing without end: events older than the retention period go (with
 * their deliveries and attempts), unless a delivery of them is still pending; finished deliveries
 * and old sweep records go too. Runs once a day across instances.
 */
export async function sweepRetention(manager: EntityManager, now: Date, retentionMs: number): Promise<void> {
  const before = sqlTime(new Date(now.getTime() - retentionMs));
  await webhookDeliveryRepository(manager).deleteFinishedBefore(before);
  await outboxEventRepository(manager).deleteRelayedBefore(before);
  await sweepRunRepository(manager).deleteStartedBefore(new Date(now.getTime() - 7 * 24 * 60 * 60 * 1000));
}
