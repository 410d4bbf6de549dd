import { Node } from '../../shared/node';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';
import { WebhookDelivery } from './webhook-delivery.entity';

/** R37: one try of a delivery — when, the answer, how long it took, what went wrong. */
@ObjectType('WebhookDeliveryAttempt', {
  simpleResolvers: true,
  implements: Node,
  description: 'One attempt to deliver an event.',
})
@Entity()
@Index('idx_webhook_attempt_delivery_id_id', ['deliveryId', 'id'])
export class WebhookAttempt {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @RefColumn()
  deliveryId!: string;

  @ManyToOne(() => WebhookDelivery, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'delivery_id' })
  delivery?: WebhookDelivery;

  @Field(() => Date)
  @TimestampColumn()
  at!: Date;

  @Field(() => Int, { nullable: true, description: 'The HTTP status answered; null when there was no answer.' })
  @Column({ type: 'int', nullable: true })
  statusCode!: number | null;

  @Field(() => Int, { description: 'From sending the request to the end of the answer (or the failure).' })
  @Column({ type: 'int' })
  durationMs!: number;

  @Field(() => String, { nullable: true, description: 'What went wrong, when something did.' })
  @TextColumn(500, { nullable: true })
  error!: string | null;
}
