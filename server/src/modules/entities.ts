import { AccessTemplate } from './clients/access-template.entity';
import { Application } from './applications/application.entity';
import { AuditEvent } from './audit/audit-event.entity';
import { AuditEventClient } from './audit/audit-event-client.entity';
import { ClientLink } from './clients/client-link.entity';
import { ClientRelation } from './clients/client-relation.entity';
import { Company } from './companies/company.entity';
import { Customer } from './business/customer.entity';
import { Employee } from './employees/employee.entity';
import { Invoice } from './business/invoice.entity';
import { Session } from './sessions/session.entity';
import { TimesheetEntry } from './business/timesheet-entry.entity';
import { KeyNetworkUse } from './keys/key-network-use.entity';
import { UserKey } from './keys/user-key.entity';
import { ClientBlock } from './reach/client-block.entity';
import { KeyUsageDay } from './usage/key-usage-day.entity';
import { SensitiveRead } from './usage/sensitive-read.entity';
import { UserKeySecret } from './keys/user-key-secret.entity';
import { EVENT_ENTITIES } from './events/event-entities';

/** Every entity of the data model. */
export const ENTITIES = [
  Company,
  Employee,
  Application,
  UserKey,
  KeyNetworkUse,
  UserKeySecret,
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
