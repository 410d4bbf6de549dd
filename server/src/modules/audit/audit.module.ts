import { AuditEvent } from './audit-event.entity';
import { AuditEventClient } from './audit-event-client.entity';
import { AuditResolver } from './audit.resolver';
import { defineModule } from '../module';

/** The audit log: one event per change, with the clients a bulk call touched. */
export const auditModule = defineModule({
  name: 'audit',
  entities: [AuditEvent, AuditEventClient],
  resolvers: [AuditResolver],
});
