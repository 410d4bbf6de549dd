import { NodeEntity } from '../../db/node-entity';
import { Field, Float } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextField, TimestampColumn } from '../../db/columns';

/** Hours registered by an employee on a date. */
@NodeEntity()
@Index('idx_timesheet_entry_company_id_id', ['companyId', 'id'])
@Index('idx_timesheet_entry_company_id_employee_id_id', ['companyId', 'employeeId', 'id'])
export class TimesheetEntry {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  companyId!: string;

  @RefColumn()
  employeeId!: string;

  @TextField(10, { description: 'The day, as YYYY-MM-DD.' })
  date!: string;

  @Field(() => Float)
  @Column({
    type: 'decimal',
    precision: 5,
    scale: 2,
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  hours!: number;

  @TextField(500, { nullable: true })
  description!: string | null;

  @TimestampColumn()
  createdAt!: Date;
}
