import type { EntityManager } from 'typeorm';
import { jsonRowSource, locked, onDuplicateUpdate, placeholders, sqlParam } from '../../db/dialect';
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
import { isIdOf, newId } from '../../shared/ids';
import { appendAuditForClients } from '../audit/audit-log';
import { Employee } from '../employees/employee.entity';
import { emitClientLinkChanges } from '../events/client-link-events';
import { emitAccessEvents } from '../events/emit';
import { UserKey } from '../keys/user-key.entity';
import { AccessTemplate } from './access-template.entity';
import { requireOffice } from './access-template.service';
import { ClientLink } from './client-link.entity';

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
      const key = await lockedInCompany(manager, UserKey, ref.userKeyId!, companyId);
      if (!key || !mayManageKeysOf(acting, key.ownerId)) throw new NotFound('UserKey', ref.userKeyId!);
      assertLinkableKey(key, purpose);
      return { id: key.id, type: 'UserKey', userKeyId: key.id, employeeId: null };
    }
    const employee = await lockedInCompany(manager, Employee, ref.employeeId!, companyId);
    if (!employee) throw new NotFound('Employee', ref.employeeId!);
    return { id: employee.id, type: 'Employee', userKeyId: null, employeeId: employee.id };
  }

  /** R16: the office's clients among the ids (malformed ids are never looked up). */
  private async officeClients(officeId: string, clientIds: string[], manager: EntityManager): Promise<Set<string>> {
    const wellFormed = clientIds.filter((id) => isIdOf('company', id));
    if (!wellFormed.length) return new Set();
    const rows: { client_id: string }[] = await manager.query(
      `SELECT client_id FROM client_relation WHERE office_id = ? AND client_id IN (${placeholders(wellFormed.length)})`,
      [officeId, ...wellFormed],
    );
    return new Set(rows.map((r) => r.client_id));
  }

  /** The grantee's current links at these clients: client id → template id. */
  private async currentLinks(
    granteeId: string,
    clientIds: string[],
    manager: EntityManager,
  ): Promise<Map<string, { linkId: string; templateId: string }>> {
    const rows: { id: string; client_id: string; template_id: string }[] = await manager.query(
      `SELECT id, client_id, template_id FROM client_link WHERE grantee_id = ? AND client_id IN (${placeholders(clientIds.length)}) ORDER BY client_id`,
      [granteeId, ...clientIds],
    );
    return new Map(rows.map((r) => [r.client_id, { linkId: r.id, templateId: r.template_id }]));
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
      const failures = clientLinkFailures(clientIds, await this.officeClients(officeId, clientIds, manager));
      if (failures.length) {
        if (call === 'linkClient')
          throw new NokkelError(failures[0].code, `Client ${failures[0].clientId}: ${failures[0].message}.`, {
            failures,
          });
        throw new BulkLinkFailed(failures, clientIds.length);
      }

      const current = await this.currentLinks(grantee.id, clientIds, manager);
      const templates = new Map([...current].map(([clientId, l]) => [clientId, l.templateId]));
      const changed = clientsChangedByLink(clientIds, templates, template.id);
      if (changed.length) {
        // R35: created / template_changed (and the key's reductions), read from the links as they are
        await emitClientLinkChanges(
          manager,
          {
            officeId,
            granteeId: grantee.id,
            userKeyId: grantee.userKeyId,
            employeeId: grantee.employeeId,
            clientIds: changed,
            templateId: template.id,
          },
          now,
        );
        await this.writeLinks(manager, officeId, grantee, template.id, changed, now);
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
        const links = await reader
          .createQueryBuilder(ClientLink, 'l')
          .where(`l.granteeId = :granteeId AND l.clientId IN (:...clientIds)`, { granteeId: grantee.id, clientIds })
          .orderBy('l.clientId')
          .getMany();
        links.forEach((l) => (l.template = template));
        return links;
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

  /** R16: inserts the links at `clientIds`, or moves existing ones to the template, in one statement. */
  private async writeLinks(
    manager: EntityManager,
    officeId: string,
    grantee: Grantee,
    templateId: string,
    clientIds: string[],
    now: Date,
  ): Promise<void> {
    const pairsJson = JSON.stringify(clientIds.map((clientId) => [clientId, newId('clientLink')]));
    const j = jsonRowSource(this.db.dialect, ['client_id', 'link_id']);
    const upsert = onDuplicateUpdate(this.db.dialect, ['grantee_id', 'client_id'], {
      template_id: (_, incoming) => incoming,
      updated_at: (_, incoming) => incoming,
    });
    await manager
      .query(
        `INSERT INTO client_link (id, office_id, client_id, grantee_id, user_key_id, employee_id, template_id, created_at, updated_at)
       SELECT ${j.col('link_id')}, ?, ${j.col('client_id')}, ?, ?, ?, ?, ?, ? FROM ${j.from} WHERE 1 = 1 ${upsert}`,
        [officeId, grantee.id, grantee.userKeyId, grantee.employeeId, templateId, now, now]
          .map(this.param)
          .concat(pairsJson),
      )
      .catch((error: unknown) => {
        // the template was deleted by a transaction that committed after we read it
        throw isForeignKeyViolation(error) ? new NotFound('AccessTemplate', templateId) : error;
      });
  }

  /** Removes the grantee's links at the listed clients; returns how many there were (R16, R21). */
  async unlink(acting: AuthenticatedActing, input: GranteeRef & { clientIds: string[] }, now: Date): Promise<number> {
    requireOffice(acting);
    const clientIds = distinctClientIds(input.clientIds);
    return this.db.transaction(async (manager) => {
      const grantee = await this.grantee(acting, input, manager, 'unlink');
      const existing = await this.currentLinks(grantee.id, clientIds, manager);
      if (!existing.size) return 0;
      const linkIds = [...existing.values()].map((l) => l.linkId);
      await manager.query(`DELETE FROM client_link WHERE id IN (${placeholders(linkIds.length)})`, linkIds);
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

  /** Hand-written SQLite statements need dates as TypeORM stores them. */
  private readonly param = (value: unknown): unknown => sqlParam(this.db.dialect, value);

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

/** A row of the company by id, write-locked so that a concurrent revoke or delete waits for the link. */
function lockedInCompany<T extends UserKey | Employee>(
  manager: EntityManager,
  entity: new () => T,
  id: string,
  companyId: string,
): Promise<T | null> {
  const query = manager.createQueryBuilder(entity, 'row').where('row.id = :id AND row.companyId = :companyId', {
    id,
    companyId,
  });
  return locked(query, 'pessimistic_write').getOne();
}
