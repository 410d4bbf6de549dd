import { defineRepository } from '../../db/repository';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';

/** Webhook deliveries, as the retention sweep sees them. */
export const webhookDeliveryRepository = defineRepository(WebhookDelivery, {
  /** Drops the finished deliveries (delivered or given up) created before `before` (an SQL time). */
  async deleteFinishedBefore(before: string): Promise<void> {
    await this.manager.query(`DELETE FROM webhook_delivery WHERE status <> ? AND created_at < ?`, [
      WebhookDeliveryStatus.PENDING,
      before,
    ]);
  },
});
