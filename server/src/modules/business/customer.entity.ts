import { Node } from '../../shared/node';
import { Field, ID, ObjectType } from 'type-graphql';
import { Entity, Index } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';

/** A customer in a company's register. */
@ObjectType({ simpleResolvers: true, implements: Node })
@Entity()
@Index('idx_customer_company_id_id', ['companyId', 'id'])
export class Customer {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @RefColumn()
  companyId!: string;

  @Field()
  @TextColumn(200)
  name!: string;

  @Field(() => String, { nullable: true })
  @TextColumn(9, { nullable: true })
  orgNumber!: string | null;

  @Field(() => String, { nullable: true })
  @TextColumn(254, { nullable: true })
  email!: string | null;

  @TimestampColumn()
  createdAt!: Date;
}
