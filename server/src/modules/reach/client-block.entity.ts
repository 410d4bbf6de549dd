import { Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';

/**
 * R33: a client's block on one key, one application or one person of an accounting office: the
 * blocked one is refused at that client only (BLOCKED_BY_CLIENT). `subjectId` is the key's,
 * application's or employee's id (their prefixes keep them apart). The credential lookup finds a
 * block through the unique index (client, office, subject).
 */
@Entity()
@Index('uq_client_block_client_id_office_id_subject_id', ['clientId', 'officeId', 'subjectId'], { unique: true })
export class ClientBlock {
  @IdColumn()
  id!: string;

  @RefColumn()
  clientId!: string;

  @RefColumn()
  officeId!: string;

  @RefColumn()
  subjectId!: string;

  /** `userKey`, `application` or `employee`. */
  @TextColumn(20)
  subjectKind!: string;

  @RefColumn({ nullable: true })
  createdByEmployeeId!: string | null;

  @TimestampColumn()
  createdAt!: Date;
}
