import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { IdColumn, RefColumn, TimestampColumn } from '../../db/columns';
import { Company } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';

/** That an accounting office keeps a client's books, and whether the client lets its keys in (R18). */
@ObjectType('Client', {
  simpleResolvers: true,
  description: 'A client company of an accounting office, with the client’s API switch.',
})
@Entity()
@Index('uq_client_relation_office_id_client_id', ['officeId', 'clientId'], { unique: true })
@Index('idx_client_relation_client_id', ['clientId'])
export class ClientRelation {
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

  /** The responsible accountant, an employee of the office (optional). */
  @RefColumn({ nullable: true })
  accountantEmployeeId!: string | null;

  @ManyToOne(() => Employee, { onDelete: 'SET NULL', nullable: true })
  @JoinColumn({ name: 'accountant_employee_id' })
  accountant?: Employee | null;

  @Field({ description: 'The client’s switch allowing this office’s keys to call the API (on by default).' })
  @Column({ type: 'boolean', default: true })
  apiAccess!: boolean;

  @Field(() => Date, { nullable: true })
  @TimestampColumn({ nullable: true })
  apiAccessChangedAt!: Date | null;

  @Field(() => Date)
  @TimestampColumn()
  createdAt!: Date;
}
