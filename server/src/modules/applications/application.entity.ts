import { Node } from '../../shared/node';
import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index } from 'typeorm';
import { IdColumn, TextColumn } from '../../db/columns';

/** An integration application from the catalog. */
@ObjectType({ simpleResolvers: true, implements: Node, description: 'An application in the integration catalog.' })
@Entity()
export class Application {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @Field()
  @Index({ unique: true })
  @TextColumn(100)
  name!: string;

  @Field(() => String, { nullable: true })
  @TextColumn(100, { nullable: true })
  vendor!: string | null;

  @Field(() => String, { nullable: true })
  @TextColumn(500, { nullable: true })
  description!: string | null;

  @Field({ description: 'Whether accounting offices may create accountant keys for it.' })
  @Column({ type: 'boolean', default: false })
  supportsAccountantKeys!: boolean;
}
