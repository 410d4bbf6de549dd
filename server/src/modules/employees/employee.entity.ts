import { NodeEntity } from '../../db/node-entity';
import { Field, Int } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { Permission, PermissionSet } from '../../auth/permission';
import { Requires, RequiresOrSelf } from '../../auth/requires';
import { NodeIdColumn, PermissionBitsColumn, TextColumn, TextField, TimestampField } from '../../db/columns';

import { CompanyOwnedColumns } from '../companies/company-owned-columns';
/** A person employed by a company; keys act on behalf of one (R1). */
@NodeEntity({ description: 'An employee of a company.' })
@Index('idx_employee_company_id_id', ['companyId', 'id'])
export class Employee extends CompanyOwnedColumns {
  @NodeIdColumn()
  id!: string;

  @TextField(200)
  name!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The employee’s email address.',
  })
  @RequiresOrSelf(Permission.EMPLOYEE_READ)
  @Index({ unique: true })
  @TextColumn(254, { nullable: true })
  email!: string | null;

  /** scrypt hash with its parameters and salt; never exposed. */
  @TextColumn(200, { nullable: true })
  passwordHash!: string | null;

  @PermissionBitsColumn('permission_bits')
  permissionBits!: number;

  @Field(() => Int, { nullable: true, description: 'Yearly salary in NOK.' })
  @Requires(Permission.PAYROLL_READ)
  @Column({ type: 'int', nullable: true })
  annualSalary!: number | null;

  @TimestampField()
  createdAt!: Date;

  get permissionSet(): PermissionSet {
    return PermissionSet.fromBits(this.permissionBits);
  }

  @Field(() => [Permission], {
    nullable: true,
    description: 'The employee’s permissions in their own company: the ceiling of every key they own.',
  })
  @Requires(Permission.EMPLOYEE_READ)
  get permissions(): Permission[] {
    return this.permissionSet.toArray();
  }
}
