import { BusinessResolver, InvoiceFieldsResolver, TimesheetEntryFieldsResolver } from './business.resolver';
import { BusinessService } from './business.service';
import { Customer } from './customer.entity';
import { Invoice } from './invoice.entity';
import { TimesheetEntry } from './timesheet-entry.entity';
import { defineModule } from '../module';

/** The accounting data keys are for: customers, invoices, timesheet entries. */
export const businessModule = defineModule({
  name: 'business',
  entities: [Customer, TimesheetEntry, Invoice],
  resolvers: [BusinessResolver, InvoiceFieldsResolver, TimesheetEntryFieldsResolver],
  services: ({ db }) => ({ business: new BusinessService(db) }),
  recordsById: { customer: Customer },
});
