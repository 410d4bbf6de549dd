import { Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Permission } from '../../auth/permission';
import { Requires } from '../../auth/requires';
import { Caller, type CallerScope } from '../acting';
import type { RequestContext } from '../request-context';
import { Input } from '../../shared/input-arg';
import { Pagination } from '../../shared/page-args';
import type { PageArgs } from '../../shared/pagination';
import { Employee } from '../employees/employee.entity';
import {
  CreateCustomerInput,
  CreateInvoiceInput,
  CustomerConnection,
  InvoiceConnection,
  RegisterHoursInput,
  TimesheetEntryConnection,
} from './business.types';
import { Customer } from './customer.entity';
import { Invoice } from './invoice.entity';
import { TimesheetEntry } from './timesheet-entry.entity';

@Resolver()
export class BusinessResolver {
  @Query(() => CustomerConnection)
  @Requires(Permission.CUSTOMER_READ)
  customers(@Pagination() page: PageArgs, @Caller() { acting, services }: CallerScope) {
    return services.business.customers(acting, page);
  }

  @Mutation(() => Customer)
  @Requires(Permission.CUSTOMER_WRITE)
  createCustomer(
    @Input(CreateCustomerInput) input: CreateCustomerInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.business.createCustomer(acting, input, now);
  }

  @Query(() => TimesheetEntryConnection, { description: 'Your own hours, or everyone’s with HOURS_READ_ALL.' })
  @Requires(Permission.HOURS_REGISTER, Permission.HOURS_READ_ALL)
  timesheetEntries(@Pagination() page: PageArgs, @Caller() { acting, services }: CallerScope) {
    return services.business.timesheetEntries(acting, page);
  }

  @Mutation(() => TimesheetEntry)
  @Requires(Permission.HOURS_REGISTER)
  registerHours(
    @Input(RegisterHoursInput) input: RegisterHoursInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.business.registerHours(acting, input, now);
  }

  @Query(() => InvoiceConnection)
  @Requires(Permission.INVOICE_READ)
  invoices(@Pagination() page: PageArgs, @Caller() { acting, services }: CallerScope) {
    return services.business.invoices(acting, page);
  }

  @Mutation(() => Invoice)
  @Requires(Permission.INVOICE_WRITE)
  createInvoice(
    @Input(CreateInvoiceInput) input: CreateInvoiceInput,
    @Caller() { acting, services, now }: CallerScope,
  ) {
    return services.business.createInvoice(acting, input, now);
  }
}

@Resolver(() => Invoice)
export class InvoiceFieldsResolver {
  @FieldResolver(() => Customer, { nullable: true })
  @Requires(Permission.CUSTOMER_READ)
  customer(@Root() invoice: Invoice, @Ctx() { loaders }: RequestContext) {
    return loaders.byId('customer').load(invoice.customerId);
  }
}

@Resolver(() => TimesheetEntry)
export class TimesheetEntryFieldsResolver {
  @FieldResolver(() => Employee, { nullable: true })
  employee(@Root() entry: TimesheetEntry, @Ctx() { loaders }: RequestContext) {
    return loaders.byId('employee').load(entry.employeeId);
  }
}
