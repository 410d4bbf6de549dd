import { Node } from '../../shared/node';
import { Field, ID, ObjectType } from 'type-graphql';
import { Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdColumn, RefColumn, TimestampColumn } from '../../db/columns';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { UserKey } from '../keys/user-key.entity';
import { AccessTemplate } from './access-template.entity';
import type { ClientRelation } from './client-relation.entity';

/**
 * A client link (klienttilgang): a key or an employee of an office may act at a client, under a
 * template. `granteeId` is the key's or employee's ID (their prefixes keep them apart) and is
 * unique per client, so a grantee has at most one link per client (R16).
 */
@ObjectType({
  simpleResolvers: true,
  implements: Node,
  description: 'That a key or an employee may act at a client, under an access template.',
})
@Entity()
@Index('uq_client_link_grantee_id_client_id', ['granteeId', 'clientId'], { unique: true })
@Index('idx_client_link_client_id_grantee_id', ['clientId', 'granteeId'])
@Index('idx_client_link_template_id', ['templateId'])
export class ClientLink {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @RefColumn()
  officeId!: string;

  @ManyToOne(() => Company, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'office_id' })
  office?: Company;

  @RefColumn()
  clientId!: string;

  @ManyToOne(() => Company, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'client_id' })
  client?: Company;

  @RefColumn()
  granteeId!: string;

  @RefColumn({ nullable: true })
  userKeyId!: string | null;

  @ManyToOne(() => UserKey, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'user_key_id' })
  userKey?: UserKey | null;

  @RefColumn({ nullable: true })
  employeeId!: string | null;

  @ManyToOne(() => Employee, { onDelete: 'CASCADE', nullable: true })
  @JoinColumn({ name: 'employee_id' })
  employee?: Employee | null;

  @RefColumn()
  templateId!: string;

  @ManyToOne(() => AccessTemplate, { onDelete: 'RESTRICT' })
  @JoinColumn({ name: 'template_id' })
  template?: AccessTemplate;

  /** Filled by queries that join the office–client relation alongside the link. */
  relation?: ClientRelation;

  @Field(() => Date)
  @TimestampColumn()
  createdAt!: Date;

  @Field(() => Date)
  @TimestampColumn()
  updatedAt!: Date;
}
