import { NodeEntity } from '../../db/node-entity';
import { Field } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextColumn, TimestampField } from '../../db/columns';
import { BelongsTo } from '../../db/relations';
import { Employee } from '../employees/employee.entity';
import { OfficeClientColumns } from './office-client-columns';

/** That an accounting office keeps a client's books, and whether the client lets its keys in (R18). */
@NodeEntity({ name: 'Client', description: 'A client company of an accounting office, with the client’s API switch.' })
@Index('uq_client_relation_office_id_client_id', ['officeId', 'clientId'], { unique: true })
@Index('idx_client_relation_client_id', ['clientId'])
@Index('uq_client_relation_office_id_client_org_number', ['officeId', 'clientOrgNumber'], { unique: true })
@Index('uq_client_relation_office_id_client_name_key', ['officeId', 'clientNameKey'], { unique: true })
export class ClientRelation extends OfficeClientColumns {
  @NodeIdColumn('The client relation’s own id (the client company is `company`).')
  id!: string;

  /**
   * The client's organisation number as this office registered it: unique among the office's
   * clients only, so registering a client tells nothing about other offices' clients.
   */
  @TextColumn(9, { nullable: true })
  clientOrgNumber!: string | null;

  /** The client's name's look-alike key (see shared/names): client names are unique per office by it. */
  @TextColumn(64, { nullable: true })
  clientNameKey!: string | null;

  /** The responsible accountant, an employee of the office (optional). */
  @RefColumn({ nullable: true })
  accountantEmployeeId!: string | null;

  @BelongsTo(() => Employee, { onDelete: 'SET NULL', nullable: true, column: 'accountant_employee_id' })
  accountant?: Employee | null;

  @Field({ description: 'The client’s switch allowing this office’s keys to call the API (on by default).' })
  @Column({ type: 'boolean', default: true })
  apiAccess!: boolean;

  @TimestampField({ nullable: true })
  apiAccessChangedAt!: Date | null;

  @TimestampField()
  createdAt!: Date;
}
