import type { EntityManager } from 'typeorm';
import type { ActingContext } from '../../auth/acting-context';
import { newId } from '../../shared/ids';
import { AuditEvent } from './audit-event.entity';

export interface AuditEntry {
  action: string;
  companyId: string;
  targetType?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

/** Builds audit rows for the acting caller. */
function toRows(acting: ActingContext, entries: AuditEntry[], at: Date): AuditEvent[] {
  const actor = acting.actor;
  return entries.map((e) =>
    Object.assign(new AuditEvent(), {
      id: newId('auditEvent'),
      at,
      companyId: e.companyId,
      actorEmployeeId: actor.employeeId,
      actorUserKeyId: actor.userKeyId,
      action: e.action,
      targetType: e.targetType ?? null,
      targetId: e.targetId ?? null,
      details: e.details ? JSON.stringify(e.details) : null,
    }),
  );
}

/**
 * R21: appends entries to the audit log inside the caller's transaction, so a change and its
 * audit entry commit or roll back together. Appending is the only write the log has.
 */
export async function appendAudit(
  manager: EntityManager,
  acting: ActingContext,
  entries: AuditEntry | AuditEntry[],
  at = new Date(),
): Promise<void> {
  const list = Array.isArray(entries) ? entries : [entries];
  if (!list.length) return;
  const rows = toRows(acting, list, at);
  for (let i = 0; i < rows.length; i += 500) {
    await manager
      .createQueryBuilder()
      .insert()
      .into(AuditEvent)
      .values(rows.slice(i, i + 500))
      .execute();
  }
}
