import { Entity } from 'typeorm';
import { PrimaryRefColumn } from '../../db/columns';

/**
 * A client named by an audit event: a bulk link or unlink is one audit event (R21), and its
 * clients are listed here, written by one statement whatever their number.
 */
@Entity()
export class AuditEventClient {
  @PrimaryRefColumn()
  auditEventId!: string;

  @PrimaryRefColumn()
  clientId!: string;
}
