import type { EntityManager } from 'typeorm';
import type { ActingContext, AuthenticatedActing } from '../../auth/acting-context';
import { dialectOf, jsonRowSource } from '../../db/dialect';
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

/** R21: the audit entry of a change the caller made to an object of its own acting company. */
export async function auditOwnChange(
  manager: EntityManager,
  acting: AuthenticatedActing,
  action: string,
  target: { type: string; id: string },
  details: Record<string, unknown> | undefined,
  at: Date,
): Promise<string> {
  const entry = { action, companyId: acting.company.id, targetType: target.type, targetId: target.id, details };
  const [id] = await appendAudit(manager, acting, entry, at);
  return id;
}

/**
 * R21: one audit entry naming the clients it concerns (audit_event_client), written by one
 * statement over a JSON row source whatever their number: a bulk link call lists thousands.
 */
export async function appendAuditForClients(
  manager: EntityManager,
  acting: ActingContext,
  entry: AuditEntry,
  clientIds: readonly string[],
  at: Date,
): Promise<string> {
  const [auditId] = await appendAudit(manager, acting, entry, at);
  const j = jsonRowSource(dialectOf(manager), ['client_id']);
  await manager.query(
    `INSERT INTO audit_event_client (audit_event_id, client_id) SELECT ?, ${j.col('client_id')} FROM ${j.from}`,
    [auditId, JSON.stringify(clientIds.map((id) => [id]))],
  );
  return auditId;
}
