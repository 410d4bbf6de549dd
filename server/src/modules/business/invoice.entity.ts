import { NodeEntity } from '../../db/node-entity';
import { Field, Float } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, RefColumn, TextField, TimestampColumn } from '../../db/columns';

/** An outgoing invoice. */
@NodeEntity()
@Index('idx_invoice_company_id_id', ['companyId', 'id'])
@Index('uq_invoice_company_id_number', ['companyId', 'number'], { unique: true })
export class Invoice {
  @NodeIdColumn()
  id!: string;

  @RefColumn()
  companyId!: string;

  @TextField(20)
  number!: string;

  @RefColumn()
  customerId!: string;

  @Field(() => Float, { nullable: true, description: 'Amount in NOK, two decimals.' })
  @Column({
    type: 'decimal',
    precision: 14,
    scale: 2,
    transformer: { to: (v: number) => v, from: (v: string | number) => Number(v) },
  })
  amount!: number;

  @TimestampColumn()
  createdAt!: Date;
}
