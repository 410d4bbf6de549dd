import { ObjectType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TextField, TimestampField } from '../../db/columns';

/**
 * R34: a key read a field protected by PAYROLL_READ or EMPLOYEE_READ: when, which key (and its
 * company, the office for an accountant key), in which company, which field (`Type.field`).
 * Written in batches, never on a request's path.
 */
@ObjectType({ simpleResolvers: true, description: 'A key read a field protected by PAYROLL_READ or EMPLOYEE_READ.' })
@Entity()
@Index('idx_sensitive_read_company_id_id', ['companyId', 'id'])
@Index('idx_sensitive_read_key_company_id_id', ['keyCompanyId', 'id'])
@Index('idx_sensitive_read_user_key_id_id', ['userKeyId', 'id'])
export class SensitiveRead {
  @IdColumn()
  id!: string;

  @TimestampField()
  at!: Date;

  @RefColumn()
  userKeyId!: string;

  @RefColumn()
  keyCompanyId!: string;

  /** The acting company: whose books were read. */
  @RefColumn()
  companyId!: string;

  @TextField(120, { description: 'The field read, as Type.field (e.g. Employee.annualSalary).' })
  field!: string;
}
