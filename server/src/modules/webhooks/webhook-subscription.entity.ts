import { Entity, PrimaryColumn } from 'typeorm';
import { BelongsTo } from '../../db/relations';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** R37: one event type an endpoint receives (`*` for every type). Queued by a join, not by parsing a list. */
@Entity()
export class WebhookSubscription {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  endpointId!: string;

  @BelongsTo(() => WebhookEndpoint, { onDelete: 'CASCADE' })
  endpoint?: WebhookEndpoint;

  @PrimaryColumn({ type: 'varchar', length: 60 })
  eventType!: string;
}
