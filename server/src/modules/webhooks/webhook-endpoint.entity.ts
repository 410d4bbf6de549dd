import { NodeEntity } from '../../db/node-entity';
import { Field } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, TextColumn, TextField, TimestampColumn, TimestampField } from '../../db/columns';

import { CompanyOwnedColumns } from '../companies/company-owned-columns';
/**
 * R37: where a company's access events are sent. The endpoint row is also the unit of delivery
 * work (R38): an instance leases it (`leaseOwner`, `leaseUntil`) and sends its pending
 * deliveries one at a time in event order, so one endpoint never has two deliveries in flight.
 */
@NodeEntity({
  description: 'A URL that receives the company’s access events, signed per the Standard Webhooks specification.',
})
@Index('idx_webhook_endpoint_company_id_id', ['companyId', 'id'])
export class WebhookEndpoint extends CompanyOwnedColumns {
  @NodeIdColumn()
  id!: string;

  @TextField(2000, { description: 'https URL the events are POSTed to.' })
  url!: string;

  /** The signing secret, sealed (see SecretBox): the server must read it back to sign. */
  @Column({ type: 'text' })
  secretSealed!: string;

  /** The secret before the last rotation, still signing alongside until `previousSecretExpiresAt`. */
  @Column({ type: 'text', nullable: true })
  previousSecretSealed!: string | null;

  @TimestampField({
    nullable: true,
    description: 'Until then deliveries also carry a signature made with the secret before the last rotation.',
  })
  previousSecretExpiresAt!: Date | null;

  @TextField(20, { description: 'Identifies the current secret: its prefix and last 4 characters.' })
  secretHint!: string;

  @TimestampField({
    nullable: true,
    description: 'When the endpoint was turned off: by an administrator, or after failing for 3 days.',
  })
  disabledAt!: Date | null;

  @TextField(500, { nullable: true, description: 'Why the endpoint is turned off.' })
  disabledReason!: string | null;

  @TimestampField({
    nullable: true,
    description: 'Since when every attempt has failed (null after a success). At 3 days the endpoint is turned off.',
  })
  failingSince!: Date | null;

  @TimestampField({
    nullable: true,
    description: 'When the oldest pending delivery is tried again after a failure (exponential backoff).',
  })
  nextAttemptAt!: Date | null;

  /** The instance sending this endpoint's deliveries right now, if any. */
  @TextColumn(100, { nullable: true })
  leaseOwner!: string | null;

  /** Until when `leaseOwner` may send; after that another instance takes over (a crash loses nothing). */
  @TimestampColumn({ nullable: true })
  leaseUntil!: Date | null;

  @TimestampField()
  createdAt!: Date;

  @TimestampField()
  updatedAt!: Date;

  @Field({ description: 'Whether events are being delivered (false once turned off).' })
  get enabled(): boolean {
    return this.disabledAt === null;
  }

  /** The subscribed event types, loaded with the endpoint by the service. */
  @Field(() => [String], { description: 'The event types sent here; ["*"] means every type.' })
  eventTypes!: string[];
}
