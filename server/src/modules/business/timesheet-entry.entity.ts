import { Node } from '../../shared/node';
import { Field, Float, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';

/** Hours registered by an employee on a date. */
@ObjectType({ simpleResolvers: true, implements: Node })
@Entity()
@Index('idx_timesheet_entry_company_id_id', ['companyId', 'id'])
@Index('idx_timesheet_entry_company_id_employee_id_id', ['companyId', 'employeeId', 'id'])
export class TimesheetEntry {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @RefColumn()
  companyId!: string;

  @RefColumn()
  employeeId!: string;

  @Field({ description: 'The day, as YYYY-MM-DD.' })
  @TextColumn(10)
  date!: string;

  @Field(() => Float)
  @Column({
    type: 'decimal',
    precision: 5,
    scale: 2,
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  hours!: number;

  @Field(() => String, { nullable: true })
  @TextColumn(500, { nullable: true })
  description!: string | null;

  @TimestampColumn()
  createdAt!: Date;
}
