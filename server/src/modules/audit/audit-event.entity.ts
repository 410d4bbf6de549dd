import { NodeEntity } from '../../db/node-entity';
import { Field, ID } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextField, TimestampField } from '../../db/columns';

/** One entry of the append-only audit log (R21). There is no code path that updates or deletes one. */
@NodeEntity({ description: 'An entry of the append-only audit log.' })
@Index('idx_audit_event_company_id_id', ['companyId', 'id'])
export class AuditEvent {
  @NodeIdColumn()
  id!: string;

  @TimestampField()
  at!: Date;

  /** The company the change happened in. */
  @RefColumn()
  companyId!: string;

  @RefColumn({ nullable: true })
  actorEmployeeId!: string | null;

  @RefColumn({ nullable: true })
  actorUserKeyId!: string | null;

  @TextField(60, { description: 'What happened, e.g. userKey.create, clientLink.bulkLink.' })
  action!: string;

  @TextField(40, { nullable: true, description: 'The kind of object changed, e.g. UserKey.' })
  targetType!: string | null;

  @Field(() => ID, { nullable: true })
  @RefColumn({ nullable: true })
  targetId!: string | null;

  /** Facts about the change as JSON (never a secret). */
  @Column({ type: 'text', nullable: true })
  details!: string | null;
}
