import type { AuditEventRecord } from '../shared/records';
import type { ActingContext } from '../auth/acting-context';
import { newId } from '../shared/ids';

export interface AuditEntry {
  action: string;
  companyId: string;
  targetType?: string;
  targetId?: string | null;
  details?: Record<string, unknown>;
}

export type AuditRecord = Pick<
  AuditEventRecord,
  'id' | 'at' | 'companyId' | 'actorEmployeeId' | 'actorUserKeyId' | 'action' | 'targetType' | 'targetId' | 'details'
>;

/**
 * R21: the audit record of a change: who (the person, and the key if a key made the request),
 * when, in which company, what and on what. Details are facts, never a secret.
 */
export function auditRecord(acting: ActingContext, entry: AuditEntry, at: Date): AuditRecord {
  return {
    id: newId('auditEvent'),
    at,
    companyId: entry.companyId,
    actorEmployeeId: acting.employee?.id ?? null,
    actorUserKeyId: acting.userKey?.id ?? null,
    action: entry.action,
    targetType: entry.targetType ?? null,
    targetId: entry.targetId ?? null,
    details: entry.details ? JSON.stringify(entry.details) : null,
  };
}
