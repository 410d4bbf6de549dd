import { NodeEntity } from '../../db/node-entity';
import { Field } from 'type-graphql';
import { Column, Index } from 'typeorm';
import { NodeIdColumn, TextColumn, TextField } from '../../db/columns';

/** An integration application from the catalog. */
@NodeEntity({ description: 'An application in the integration catalog.' })
export class Application {
  @NodeIdColumn()
  id!: string;

  @Field()
  @Index({ unique: true })
  @TextColumn(100)
  name!: string;

  @TextField(100, { nullable: true })
  vendor!: string | null;

  @TextField(500, { nullable: true })
  description!: string | null;

  @Field({ description: 'Whether accounting offices may create accountant keys for it.' })
  @Column({ type: 'boolean', default: false })
  supportsAccountantKeys!: boolean;
}
