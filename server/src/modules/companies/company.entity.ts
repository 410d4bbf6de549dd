import { NodeEntity } from '../../db/node-entity';
import { Field, registerEnumType } from 'type-graphql';
import { Column } from 'typeorm';
import { NodeIdColumn, RefColumn, TextColumn, TextField, TimestampField } from '../../db/columns';

import { CompanyKind } from '../../shared/domain-enums';

export { CompanyKind };
registerEnumType(CompanyKind, { name: 'CompanyKind' });

/** A company (tenant). An accounting office keeps the books of client companies. */
@NodeEntity({ description: 'A company: a tenant of the accounting system.' })
export class Company {
  @NodeIdColumn()
  id!: string;

  @TextField(200)
  name!: string;

  @TextField(9, { nullable: true, description: 'Norwegian organisation number (9 digits).' })
  orgNumber!: string | null;

  @Field(() => CompanyKind)
  @TextColumn(20)
  kind!: CompanyKind;

  @TimestampField({ nullable: true, description: 'When the Integrations add-on was activated.' })
  integrationsActivatedAt!: Date | null;

  /** Who activated the add-on (R11); resolved through Company.integrationsActivatedBy. */
  @RefColumn({ nullable: true })
  integrationsActivatedById!: string | null;

  @TextField(20, { nullable: true, description: 'The version of the terms accepted at activation.' })
  integrationsTermsVersion!: string | null;

  /** Next invoice number; bumped atomically when an invoice is created. */
  @Column({ type: 'int', default: 1 })
  nextInvoiceNumber!: number;

  @TimestampField()
  createdAt!: Date;

  /** R29: every key must have an expiry date. */
  @Column({ type: 'boolean', default: false })
  keyPolicyRequireExpiry!: boolean;

  /** R29: a key's expiry at most this many days after it is created, restored or changed; null: no limit. */
  @Column({ type: 'int', nullable: true })
  keyPolicyMaxLifetimeDays!: number | null;

  /** R29: keys unused for this many days (never used: since creation) expire; null: never. */
  @Column({ type: 'int', nullable: true })
  keyPolicyExpireUnusedAfterDays!: number | null;

  @Field({ description: 'Whether the Integrations add-on is active: no key can exist without it.' })
  get integrationsActive(): boolean {
    return this.integrationsActivatedAt != null;
  }
}
