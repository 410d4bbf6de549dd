import { AccessTemplate } from '../modules/clients/access-template.entity';
import { Application } from '../modules/applications/application.entity';
import { AuditEvent } from '../modules/audit/audit-event.entity';
import { AuditEventClient } from '../modules/audit/audit-event-client.entity';
import { ClientLink } from '../modules/clients/client-link.entity';
import { ClientRelation } from '../modules/clients/client-relation.entity';
import { Company } from '../modules/companies/company.entity';
import { Customer } from '../modules/business/customer.entity';
import { Employee } from '../modules/employees/employee.entity';
import { Invoice } from '../modules/business/invoice.entity';
import { Session } from '../modules/sessions/session.entity';
import { TimesheetEntry } from '../modules/business/timesheet-entry.entity';
import { UserKey } from '../modules/keys/user-key.entity';
import { ClientBlock } from '../modules/reach/client-block.entity';
import { KeyUsageDay } from '../modules/usage/key-usage-day.entity';
import { SensitiveRead } from '../modules/usage/sensitive-read.entity';
import { EVENT_ENTITIES } from '../modules/events/event-entities';

/** Every entity of the data model. */
export const ENTITIES = [
  Company,
  Employee,
  Application,
  UserKey,
  AccessTemplate,
  ClientRelation,
  ClientLink,
  Session,
  AuditEvent,
  AuditEventClient,
  Customer,
  TimesheetEntry,
  Invoice,
  ClientBlock,
  KeyUsageDay,
  SensitiveRead,
  ...EVENT_ENTITIES,
];
