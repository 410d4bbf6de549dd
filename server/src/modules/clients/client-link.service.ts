import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { isForeignKeyViolation } from '../../db/errors';
import {
  assertLinkableKey,
  clientLinkFailures,
  clientsChangedByLink,
  distinctClientIds,
  MAX_CLIENTS_PER_CALL,
} from '../../rules/client-access';
import { mayManageKeysOf } from '../../rules/delegation';
import { BulkLinkFailed, InputCheck, NotFound, NokkelError } from '../../shared/errors';
import { appendAuditForClients } from '../audit/audit-log';
import { employeeRepository } from '../employees/employee.repository';
import { emitClientLinkChanges } from '../events/client-link-events';
import { emitAccessEvents } from '../events/emit';
import { userKeyRepository } from '../keys/user-key.repository';
import { AccessTemplate } from './access-template.entity';
import { requireOffice } from './access-template.service';
import type { ClientLink } from './client-link.entity';
import { clientLinkRepository } from './client-link.repository';
import { clientRelationRepository } from './client-relation.repository';

export { MAX_CLIENTS_PER_CALL };

/** What a link call did: how many clients are now linked, and the links, loaded on demand. */
export interface LinkResult {
  linkedCount: number;
  links: () => Promise<ClientLink[]>;
}

export interface GranteeRef {
  userKeyId?: string | null;
  employeeId?: string | null;
}

interface Grantee {
  id: string;
  type: 'UserKey' | 'Employee';
  userKeyId: string | null;
  employeeId: string | null;
}

/** The mutation a link call answers: one client (`linkClient`) or a list (`bulkLinkClients`). */
export type LinkCall = 'linkClient' | 'bulkLinkClients';

/**
 * R16: client links of an accounting office. Every path (bulk, single, unlink) is set-based: a
 * fixed number of SQL statements in one transaction, whatever the number of clients. Calls for one
 * grantee run one after the other (its row is locked first), and touch client rows in client-id
 * order, so overlapping calls queue instead of deadlocking; a deadlock that still happens is
 * retried by Database.transaction.
 */
export class ClientLinkService {
  constructor(private readonly db: Database) {}

  /**
   * The key or employee to link, locked for the call: an accountant key (manageable by the
   * caller, R6) or an office employee.
   */
  private async grantee(
    acting: AuthenticatedActing,
    ref: GranteeRef,
    manager: EntityManager,
    purpose: 'link' | 'unlink',
  ): Promise<Grantee> {
    const hasKey = ref.userKeyId != null;
    new InputCheck()
      .require(hasKey !== (ref.employeeId != null), 'userKeyId', 'give exactly one of userKeyId and employeeId')
      .done();
    const companyId = acting.company.id;
    if (hasKey) {
      const key = await userKeyRepository(manager).lockedInCompany(ref.userKeyId!, companyId);
      if (!key || !mayManageKeysOf(acting, key.ownerId)) throw new NotFound('UserKey', ref.userKeyId!);
      assertLinkableKey(key, purpose);
      return { id: key.id, type: 'UserKey', userKeyId: key.id, employeeId: null };
    }
    const employee = await employeeRepository(manager).lockedInCompany(ref.employeeId!, companyId);
    if (!employee) throw new NotFound('Employee', ref.employeeId!);
    return { id: employee.id, type: 'Employee', userKeyId: null, employeeId: employee.id };
  }

  /**
   * R16: links the grantee at every listed client under the template, atomically: if any client
   * fails, nothing is linked and the error lists each failing client. Re-linking updates the
   * template; linking again under the same template changes nothing. One audit event per call
   * names the clients that changed, and none is written when nothing did (R21).
   * `call` names the mutation answered: `linkClient` answers a failure with the client's own code
   * instead of the bulk error, and reads its one link back in the transaction.
   */
  async link(
    acting: AuthenticatedActing,
    input: GranteeRef & { clientIds: string[]; accessTemplateId: string },
    now: Date,
    call: LinkCall = 'bulkLinkClients',
  ): Promise<LinkResult> {
    requireOffice(acting);
    const clientIds = distinctClientIds(input.clientIds);
    const officeId = acting.company.id;
    return this.db.transaction(async (manager) => {
      const grantee = await this.grantee(acting, input, manager, 'link');
      const template = await manager.findOneBy(AccessTemplate, { id: input.accessTemplateId, officeId });
      if (!template) throw new NotFound('AccessTemplate', input.accessTemplateId);
      const failures = clientLinkFailures(
        clientIds,
        await clientRelationRepository(manager).clientsOfOffice(officeId, clientIds),
      );
      if (failures.length) {
        if (call === 'linkClient')
          throw new NokkelError(failures[0].code, `Client ${failures[0].clientId}: ${failures[0].message}.`, {
            failures,
          });
        throw new BulkLinkFailed(failures, clientIds.length);
      }

      const links = clientLinkRepository(manager);
      const current = await links.currentAt(grantee.id, clientIds);
      const templates = new Map([...current].map(([clientId, l]) => [clientId, l.templateId]));
      const changed = clientsChangedByLink(clientIds, templates, template.id);
      if (changed.length) {
        // R35: created / template_changed from the links just read, and the key's reductions
        await emitClientLinkChanges(
          manager,
          {
            officeId,
            userKeyId: grantee.userKeyId,
            employeeId: grantee.employeeId,
            clients: changed.map((clientId) => ({ clientId, previousTemplateId: templates.get(clientId) ?? null })),
            templateId: template.id,
          },
          now,
        );
        await links.upsert(officeId, grantee, template.id, changed, now).catch((error: unknown) => {
          // the template was deleted by a transaction that committed after we read it
          throw isForeignKeyViolation(error) ? new NotFound('AccessTemplate', template.id) : error;
        });
        await this.auditCall(
          manager,
          acting,
          'clientLink.link',
          grantee,
          changed,
          {
            templateId: template.id,
            templateName: template.name,
            relinked: changed.filter((c) => current.has(c)).length,
          },
          now,
        );
      }

      const load = async (reader: EntityManager) => {
        const written = await clientLinkRepository(reader).ofGranteeAt(grantee.id, clientIds);
        written.forEach((l) => (l.template = template));
        return written;
      };
      // one link (linkClient) is read in the transaction, so the answer is the link as written even
      // if it is unlinked the next moment; a bulk call reads its links back only if they are
      // selected (5,000 rows are costly to load), after the commit
      if (call === 'linkClient') {
        const links = await load(manager);
        return { linkedCount: clientIds.length, links: () => Promise.resolve(links) };
      }
      return { linkedCount: clientIds.length, links: () => load(this.db.manager) };
    });
  }

  /** Removes the grantee's links at the listed clients; returns how many there were (R16, R21). */
  async unlink(acting: AuthenticatedActing, input: GranteeRef & { clientIds: string[] }, now: Date): Promise<number> {
    requireOffice(acting);
    const clientIds = distinctClientIds(input.clientIds);
    return this.db.transaction(async (manager) => {
      const grantee = await this.grantee(acting, input, manager, 'unlink');
      const links = clientLinkRepository(manager);
      const existing = await links.currentAt(grantee.id, clientIds);
      if (!existing.size) return 0;
      await links.deleteIds([...existing.values()].map((l) => l.linkId));
      // R35, R36: one event per removed link, each belonging to the office and its client
      await emitAccessEvents(
        manager,
        [...existing.keys()].map((clientId) => ({
          type: 'client_link.removed' as const,
          companyId: acting.company.id,
          counterpartCompanyId: clientId,
          data: { officeId: acting.company.id, clientId, userKeyId: grantee.userKeyId, employeeId: grantee.employeeId },
        })),
        now,
      );
      await this.auditCall(manager, acting, 'clientLink.unlink', grantee, [...existing.keys()], {}, now);
      return existing.size;
    });
  }

  /**
   * R21: one audit event for the whole call, naming the grantee, with the clients it changed listed
   * beside it (audit_event_client) by one statement, whatever their number.
   */
  private async auditCall(
    manager: EntityManager,
    acting: AuthenticatedActing,
    action: string,
    grantee: Grantee,
    clientIds: string[],
    details: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    await appendAuditForClients(
      manager,
      acting,
      {
        action,
        companyId: acting.company.id,
        targetType: grantee.type,
        targetId: grantee.id,
        details: { granteeId: grantee.id, ...details, clientCount: clientIds.length },
      },
      clientIds,
      now,
    );
  }
}
