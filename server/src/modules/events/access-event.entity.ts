import { NodeEntity } from '../../db/node-entity';
import { Field } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextColumn, TextField, TimestampField } from '../../db/columns';

/**
 * R35: one change of access, written in the same transaction as the change (the outbox). Rows
 * are appended by `emitAccessEvents` and the sweeps, numbered once by the relay, and never
 * changed otherwise.
 */
@NodeEntity({ description: 'A change of access: what happened, when, and the ids it concerns.' })
@Index('idx_access_event_company_id_seq', ['companyId', 'seq'])
@Index('idx_access_event_counterpart_company_id_seq', ['counterpartCompanyId', 'seq'])
@Index('idx_access_event_seq_id', ['seq', 'id'])
@Index('uq_access_event_dedupe_key', ['dedupeKey'], { unique: true })
export class AccessEvent {
  @NodeIdColumn()
  id!: string;

  @TextField(60, { description: 'The event type, e.g. user_key.revoked (see the README for the list).' })
  type!: string;

  @TimestampField({ description: 'When the change happened.' })
  at!: Date;

  /** The company where the change happened. */
  @RefColumn()
  companyId!: string;

  /** R36: the other company the event belongs to (office ↔ client), if any. */
  @RefColumn({ nullable: true })
  counterpartCompanyId!: string | null;

  @Field({ description: 'The event’s facts as a JSON object: ids of what changed, never a secret.' })
  @Column({ type: 'text' })
  data!: string;

  /**
   * Position in commit order, given by the relay after the event's transaction committed; null
   * until then. The feed and webhook deliveries follow it, so a poller that has read up to n has
   * seen every event numbered n or less — an event committed later always gets a higher number.
   */
  @Column({ type: 'bigint', nullable: true })
  seq!: string | number | null;

  /**
   * Set only on sweep events: what makes them once-only, e.g. `user_key.expiring:P14D:<key id>`.
   * The unique index is the guarantee (two instances sweeping at once cannot both insert).
   */
  @TextColumn(120, { nullable: true })
  dedupeKey!: string | null;
}
