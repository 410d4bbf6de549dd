import { Node } from '../../shared/node';
import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { IdColumn, RefColumn, TextColumn, TimestampColumn } from '../../db/columns';

import { CompanyKind } from '../../shared/domain-enums';

export { CompanyKind };
registerEnumType(CompanyKind, { name: 'CompanyKind' });

/** A company (tenant). An accounting office keeps the books of client companies. */
@ObjectType({ simpleResolvers: true, implements: Node, description: 'A company: a tenant of the accounting system.' })
@Entity()
export class Company {
  @Field(() => ID)
  @IdColumn()
  id!: string;

  @Field()
  @TextColumn(200)
  name!: string;

  @Field(() => String, { nullable: true, description: 'Norwegian organisation number (9 digits).' })
  @TextColumn(9, { nullable: true })
  orgNumber!: string | null;

  @Field(() => CompanyKind)
  @TextColumn(20)
  kind!: CompanyKind;

  @Field(() => Date, { nullable: true, description: 'When the Integrations add-on was activated.' })
  @TimestampColumn({ nullable: true })
  integrationsActivatedAt!: Date | null;

  /** Who activated the add-on (R11); resolved through Company.integrationsActivatedBy. */
  @RefColumn({ nullable: true })
  integrationsActivatedById!: string | null;

  @Field(() => String, { nullable: true, description: 'The version of the terms accepted at activation.' })
  @TextColumn(20, { nullable: true })
  integrationsTermsVersion!: string | null;

  /** Next invoice number; bumped atomically when an invoice is created. */
  @Column({ type: 'int', default: 1 })
  nextInvoiceNumber!: number;

  @Field(() => Date)
  @TimestampColumn()
  createdAt!: Date;

  @Field({ description: 'Whether the Integrations add-on is active: no key can exist without it.' })
  get integrationsActive(): boolean {
    return this.integrationsActivatedAt != null;
  }
}
