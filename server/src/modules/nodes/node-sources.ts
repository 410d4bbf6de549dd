import type { EntityTarget, FindOptionsWhere } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import type { RequestContext } from '../request-context';
import { NotFound } from '../../shared/errors';
import { Permission } from '../../shared/permission';
import { AuditEvent } from '../audit/audit-event.entity';
import { Customer } from '../business/customer.entity';
import { Invoice } from '../business/invoice.entity';
import { TimesheetEntry } from '../business/timesheet-entry.entity';
import { ClientLink } from '../clients/client-link.entity';
import { ClientRelation } from '../clients/client-relation.entity';
import { AccessEvent } from '../events/access-event.entity';
import { requireOwnCompany } from '../events/own-company';

/**
 * How `node(id:)` reaches each type: through the root query that lists or reads it (whose
 * `@requires` applies first, as declared in the schema) and the same scope or service call that
 * query uses, so an object the caller could not reach there is `null` here. Field permissions
 * then apply to the object as anywhere else.
 */
export interface NodeSource {
  /** The root query whose `@requires` and authentication govern this type. */
  root: string;
  /** The object, or null (another company's, not visible to the caller, or no such id). */
  load(context: RequestContext, acting: AuthenticatedActing, id: string): Promise<object | null>;
}

/** A service call that throws NOT_FOUND for what the caller may not see, as null. */
async function orNull<T>(read: Promise<T>): Promise<T | null> {
  try {
    return await read;
  } catch (error) {
    if (error instanceof NotFound) return null;
    throw error;
  }
}

/** One row by id within the scope the type's list query pages through. */
function scoped<T extends { id: string }>(
  entity: EntityTarget<T>,
  scope: (acting: AuthenticatedActing) => FindOptionsWhere<T> | FindOptionsWhere<T>[],
): NodeSource['load'] {
  return async ({ services }, acting, id) => {
    const where = scope(acting);
    const withId = (Array.isArray(where) ? where : [where]).map((w) => ({ ...w, id }) as FindOptionsWhere<T>);
    return services.db.manager.findOne(entity, { where: withId });
  };
}

/** By type name (see NODE_TYPE_BY_PREFIX). */
export const NODE_SOURCES: Readonly<Record<string, NodeSource>> = {
  // the acting company (Query.company); other companies are reached through their relations only
  Company: {
    root: 'company',
    load: async ({ loaders }, acting, id) => (id === acting.company.id ? loaders.byId('company').load(id) : null),
  },
  Employee: { root: 'employee', load: ({ services }, acting, id) => orNull(services.employees.get(acting, id)) },
  // the catalog is open to every caller
  Application: { root: 'applications', load: ({ loaders }, _acting, id) => loaders.byId('application').load(id) },
  // R20: the key overview's visibility
  UserKey: { root: 'userKey', load: ({ services }, acting, id) => orNull(services.userKeys.get(acting, id)) },
  AccessTemplate: {
    root: 'accessTemplates',
    load: ({ services }, acting, id) => orNull(services.accessTemplates.get(acting, id)),
  },
  Client: { root: 'clients', load: scoped(ClientRelation, (acting) => ({ officeId: acting.company.id })) },
  // links are read through the office's clients (Client.links)
  ClientLink: { root: 'clients', load: scoped(ClientLink, (acting) => ({ officeId: acting.company.id })) },
  AuditEvent: { root: 'auditEvents', load: scoped(AuditEvent, (acting) => ({ companyId: acting.company.id })) },
  Customer: { root: 'customers', load: scoped(Customer, (acting) => ({ companyId: acting.company.id })) },
  Invoice: { root: 'invoices', load: scoped(Invoice, (acting) => ({ companyId: acting.company.id })) },
  // one's own hours, or everyone's with HOURS_READ_ALL (as Query.timesheetEntries)
  TimesheetEntry: {
    root: 'timesheetEntries',
    load: scoped(TimesheetEntry, (acting) =>
      acting.permissions.has(Permission.HOURS_READ_ALL)
        ? { companyId: acting.company.id }
        : { companyId: acting.company.id, employeeId: acting.employee.id },
    ),
  },
  // R36: the feed shows events of the company and of its counterpart, once numbered
  AccessEvent: {
    root: 'accessEvents',
    load: async (context, acting, id) => {
      requireOwnCompany(acting);
      const event = await scoped(AccessEvent, (a) => [
        { companyId: a.company.id },
        { counterpartCompanyId: a.company.id },
      ])(context, acting, id);
      return event && (event as AccessEvent).seq !== null ? event : null;
    },
  },
  WebhookEndpoint: {
    root: 'webhookEndpoints',
    load: ({ services }, acting, id) => orNull(services.events.webhooks.endpoint(acting, id)),
  },
  WebhookDelivery: {
    root: 'webhookEndpoints',
    load: ({ services }, acting, id) => orNull(services.events.webhooks.delivery(acting, id)),
  },
  WebhookDeliveryAttempt: {
    root: 'webhookEndpoints',
    load: ({ services }, acting, id) => orNull(services.events.webhooks.attempt(acting, id)),
  },
};
