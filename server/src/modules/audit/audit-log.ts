import type { EntityManager } from 'typeorm';
import type { ActingContext } from '../../auth/acting-context';
import { auditRecord, type AuditEntry } from '../../rules/audit';
import { AuditEvent } from './audit-event.entity';

export type { AuditEntry };

/**
 * R21: appends entries to the audit log inside the caller's transaction, so a change and its
 * audit entry commit or roll back together. Appending is the only write the log has. Returns the
 * new events' ids, in order.
 */
export async function appendAudit(
  manager: EntityManager,
  acting: ActingContext,
  entries: AuditEntry | AuditEntry[],
  at = new Date(),
): Promise<string[]> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) return [];
  const rows = list.map((entry) => Object.assign(new AuditEvent(), auditRecord(acting, entry, at)));
  for (let i = 0; i < rows.length; i += 500) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEvent)
      .values(rows.slice(i, i + 500))
      .execute();
  }
  return rows.map((r) => r.id);
}
