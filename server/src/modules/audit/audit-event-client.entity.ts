import { Entity, PrimaryColumn } from 'typeorm';

/**
 * A client named by an audit event: a bulk link or unlink is one audit event (R21), and its
 * clients are listed here, written by one statement whatever their number.
 */
@Entity()
export class AuditEventClient {
  @PrimaryColumn({ type: 'varchar', length: 32 })
  auditEventId!: string;

  @PrimaryColumn({ type: 'varchar', length: 32 })
  clientId!: string;
}
