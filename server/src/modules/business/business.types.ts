import { Field, Float, ID, InputType, ObjectType } from 'type-graphql';
import { OrgNumberInput } from '../../shared/org-number-input';
import { ConnectionType } from '../../shared/pagination';
import { Customer } from './customer.entity';
import { Invoice } from './invoice.entity';
import { TimesheetEntry } from './timesheet-entry.entity';

@InputType()
export class CreateCustomerInput extends OrgNumberInput {
  @Field({ description: '1–200 characters.' })
  name!: string;

  @Field(() => String, { nullable: true })
  email?: string | null;
}

@InputType()
export class RegisterHoursInput {
  @Field({ description: 'The day, YYYY-MM-DD.' })
  date!: string;

  @Field(() => Float, { description: 'More than 0 and at most 24, in steps of 0.01.' })
  hours!: number;

  @Field(() => String, { nullable: true, description: 'Up to 500 characters.' })
  description?: string | null;
}

@InputType()
export class CreateInvoiceInput {
  @Field(() => ID)
  customerId!: string;

  @Field(() => Float, { description: 'NOK, more than 0, at most two decimals.' })
  amount!: number;
}

@ObjectType({ simpleResolvers: true })
export class CustomerConnection extends ConnectionType(Customer, 'Customer') {}

@ObjectType({ simpleResolvers: true })
export class TimesheetEntryConnection extends ConnectionType(TimesheetEntry, 'TimesheetEntry') {}

@ObjectType({ simpleResolvers: true })
export class InvoiceConnection extends ConnectionType(Invoice, 'Invoice') {}
