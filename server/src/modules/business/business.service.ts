import type { AuthenticatedActing } from '../../auth/acting-context';
import { Permission } from '../../auth/permission';
import type { Database } from '../../db/database';
import { InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Page, PageArgs } from '../../shared/pagination';
import { pageById } from '../../db/pagination';
import { Company } from '../companies/company.entity';
import type { CreateCustomerInput, CreateInvoiceInput, RegisterHoursInput } from './business.types';
import { Customer } from './customer.entity';
import { Invoice } from './invoice.entity';
import { TimesheetEntry } from './timesheet-entry.entity';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

function hasAtMostTwoDecimals(n: number): boolean {
  return Math.abs(Math.round(n * 100) - n * 100) < 1e-6;
}

/** The business data keys exist to reach: customers, hours and invoices of the acting company. */
export class BusinessService {
  constructor(private readonly db: Database) {}

  customers(acting: AuthenticatedActing, page: PageArgs): Promise<Page<Customer>> {
    return pageById(this.db, Customer, { companyId: acting.company.id }, page);
  }

  async createCustomer(acting: AuthenticatedActing, input: CreateCustomerInput, now: Date): Promise<Customer> {
    const check = new InputCheck();
    const name = check.name(input.name, 'name', { max: 200 });
    check
      .orgNumber(input.orgNumber)
      .require(
        input.email == null || (input.email.length <= 254 && EMAIL.test(input.email)),
        'email',
        'is not an email address',
      )
      .done();
    const customer = Object.assign(new Customer(), {
      id: newId('customer'),
      companyId: acting.company.id,
      name,
      orgNumber: input.orgNumber ?? null,
      email: input.email ?? null,
      createdAt: now,
    });
    await this.db.manager.insert(Customer, customer);
    return customer;
  }

  /** One's own hours, or everyone's with HOURS_READ_ALL. */
  timesheetEntries(acting: AuthenticatedActing, page: PageArgs): Promise<Page<TimesheetEntry>> {
    const own = !acting.permissions.has(Permission.HOURS_READ_ALL);
    return pageById(
      this.db,
      TimesheetEntry,
      own ? { companyId: acting.company.id, employeeId: acting.employee.id } : { companyId: acting.company.id },
      page,
    );
  }

  async registerHours(acting: AuthenticatedActing, input: RegisterHoursInput, now: Date): Promise<TimesheetEntry> {
    new InputCheck()
      .require(isCalendarDate(input.date), 'date', 'must be a date as YYYY-MM-DD')
      .require(
        input.hours > 0 && input.hours <= 24 && hasAtMostTwoDecimals(input.hours),
        'hours',
        'must be more than 0 and at most 24, in steps of 0.01',
      )
      .require(
        input.description == null || input.description.length <= 500,
        'description',
        'must be at most 500 characters',
      )
      .done();
    const entry = Object.assign(new TimesheetEntry(), {
      id: newId('timesheetEntry'),
      companyId: acting.company.id,
      employeeId: acting.employee.id,
      date: input.date,
      hours: input.hours,
      description: input.description ?? null,
      createdAt: now,
    });
    await this.db.manager.insert(TimesheetEntry, entry);
    return entry;
  }

  invoices(acting: AuthenticatedActing, page: PageArgs): Promise<Page<Invoice>> {
    return pageById(this.db, Invoice, { companyId: acting.company.id }, page);
  }

  /** Creates an invoice with the company's next number (taken atomically). */
  async createInvoice(acting: AuthenticatedActing, input: CreateInvoiceInput, now: Date): Promise<Invoice> {
    new InputCheck()
      .require(
        Number.isFinite(input.amount) && input.amount > 0 && input.amount < 1e12 && hasAtMostTwoDecimals(input.amount),
        'amount',
        'must be more than 0 with at most two decimals',
      )
      .done();
    return this.db.transaction(async (manager) => {
      const customer = await manager.findOneBy(Customer, { id: input.customerId, companyId: acting.company.id });
      if (!customer) throw new NotFound('Customer', input.customerId);
      await manager.increment(Company, { id: acting.company.id }, 'nextInvoiceNumber', 1);
      const { nextInvoiceNumber } = await manager.findOneByOrFail(Company, { id: acting.company.id });
      const invoice = Object.assign(new Invoice(), {
        id: newId('invoice'),
        companyId: acting.company.id,
        number: String(nextInvoiceNumber - 1),
        customerId: customer.id,
        amount: Math.round(input.amount * 100) / 100,
        createdAt: now,
      });
      await manager.insert(Invoice, invoice);
      return invoice;
    });
  }
}
