import { NodeEntity } from '../../db/node-entity';
import { Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextField, TimestampColumn } from '../../db/columns';

/** A customer in a company's register. */
@NodeEntity()
@Index('idx_customer_company_id_id', ['companyId', 'id'])
export class Customer {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  companyId!: string;

  @TextField(200)
  name!: string;

  @TextField(9, { nullable: true })
  orgNumber!: string | null;

  @TextField(254, { nullable: true })
  email!: string | null;

  @TimestampColumn()
  createdAt!: Date;
}
