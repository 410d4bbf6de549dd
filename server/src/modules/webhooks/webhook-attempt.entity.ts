import { NodeEntity } from '../../db/node-entity';
import { Index } from 'typeorm';
import { IntField, NodeIdColumn, RefColumn, TextField, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { WebhookDelivery } from './webhook-delivery.entity';

/** R37: one try of a delivery — when, the answer, how long it took, what went wrong. */
@NodeEntity({ name: 'WebhookDeliveryAttempt', description: 'One attempt to deliver an event.' })
@Index('idx_webhook_attempt_delivery_id_id', ['deliveryId', 'id'])
export class WebhookAttempt {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  deliveryId!: string;

  @BelongsTo(() => WebhookDelivery, { onDelete: 'CASCADE' })
  delivery?: WebhookDelivery;

  @TimestampField()
  at!: Date;

  @IntField({ nullable: true, description: 'The HTTP status answered; null when there was no answer.' })
  statusCode!: number | null;

  @IntField({ description: 'From sending the request to the end of the answer (or the failure).' })
  durationMs!: number;

  @TextField(500, { nullable: true, description: 'What went wrong, when something did.' })
  error!: string | null;
}
