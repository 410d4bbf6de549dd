import { NodeEntity } from '../../db/node-entity';
import { Field, Int, registerEnumType } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { IntField, NodeIdColumn, RefColumn, TextColumn, TimestampColumn, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { stringEnum, type EnumValue } from '../../shared/string-enum';
import { AccessEvent } from '../events/access-event.entity';
import type { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';

export const WebhookDeliveryStatus = stringEnum(['PENDING', 'DELIVERED', 'FAILED']);
export type WebhookDeliveryStatus = EnumValue<typeof WebhookDeliveryStatus>;
registerEnumType(WebhookDeliveryStatus, {
  name: 'WebhookDeliveryStatus',
  valuesConfig: {
    PENDING: { description: 'Waiting to be sent, or to be retried.' },
    DELIVERED: { description: 'The endpoint answered 2xx.' },
    FAILED: { description: 'Every attempt failed for at least 24 hours; redeliverWebhookEvent sends it again.' },
  },
});

/** R37: one event to send to one endpoint, and where it stands. Each try is a WebhookDeliveryAttempt. */
@NodeEntity({ description: 'One access event sent (or to be sent) to one webhook endpoint.' })
@Index('idx_webhook_delivery_endpoint_id_status_position', ['endpointId', 'status', 'position'])
@Index('idx_webhook_delivery_status_endpoint_id', ['status', 'endpointId'])
@Index('idx_webhook_delivery_endpoint_id_id', ['endpointId', 'id'])
@Index('idx_webhook_delivery_event_id', ['eventId'])
export class WebhookDelivery {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  endpointId!: string;

  @BelongsTo(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  endpoint?: WebhookEndpoint;

  @RefColumn()
  eventId!: string;

  @BelongsTo(() => AccessEvent, { onDelete: 'CASCADE' })
  event?: AccessEvent;

  /** The event's place in commit order (`access_event.seq`): deliveries of an endpoint go in this order. */
  @Column({ type: 'bigint' })
  position!: string | number;

  @Field(() => WebhookDeliveryStatus)
  @TextColumn(12)
  status!: WebhookDeliveryStatus;

  @Field(() => Int, { description: 'Attempts made, over all (re)deliveries.' })
  @Column({ type: 'int', default: 0 })
  attemptCount!: number;

  /** Failed attempts since the delivery was queued or redelivered: the backoff's exponent. */
  @Column({ type: 'int', default: 0 })
  retryCount!: number;

  /** The first attempt since queued or redelivered: retries stop 24 hours after it. */
  @TimestampColumn({ nullable: true })
  firstAttemptAt!: Date | null;

  @TimestampField({ nullable: true })
  lastAttemptAt!: Date | null;

  @IntField({ nullable: true, description: 'HTTP status of the last attempt (null if no answer).' })
  lastStatusCode!: number | null;

  @TimestampField({ nullable: true })
  deliveredAt!: Date | null;

  @TimestampField()
  createdAt!: Date;

  /** The attempts, when loaded with the delivery (the delivery log). */
  attempts?: WebhookAttempt[];
}
