import { NodeEntity } from '../../db/node-entity';
import { Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';
import { AccessTemplate } from './access-template.entity';
import type { ClientRelation } from './client-relation.entity';
import { OfficeClientColumns } from './office-client-columns';

/**
 * A client link (klienttilgang): a key or an employee of an office may act at a client, under a
 * template. `granteeId` is the key's or employee's ID (their prefixes keep them apart) and is
 * unique per client, so a grantee has at most one link per client (R16).
 */
@NodeEntity({ description: 'That a key or an employee may act at a client, under an access template.' })
@Index('uq_client_link_grantee_id_client_id', ['granteeId', 'clientId'], { unique: true })
@Index('idx_client_link_client_id_grantee_id', ['clientId', 'granteeId'])
@Index('idx_client_link_template_id', ['templateId'])
export class ClientLink extends OfficeClientColumns {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  granteeId!: string;

  @RefColumn({ nullable: true })
  userKeyId!: string | null;

  @BelongsTo(() => UserKey, { onDelete: 'CASCADE', nullable: true })
  userKey?: UserKey | null;

  @RefColumn({ nullable: true })
  employeeId!: string | null;

  @BelongsTo(() => Employee, { onDelete: 'CASCADE', nullable: true })
  employee?: Employee | null;

  @RefColumn()
  templateId!: string;

  @BelongsTo(() => AccessTemplate, { onDelete: 'RESTRICT' })
  template?: AccessTemplate;

  /** Filled by queries that join the office–client relation alongside the link. */
  relation?: ClientRelation;

  @TimestampField()
  createdAt!: Date;

  @TimestampField()
  updatedAt!: Date;
}
