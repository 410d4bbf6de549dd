import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { isForeignKeyViolation } from '../../db/errors';
import { jsonRows, placeholders, sqliteValue } from '../../db/hydrate';
import {
  AccountantKeyNotSupported,
  BulkLinkFailed,
  Conflict,
  ErrorCode,
  InputCheck,
  NotFound,
  NokkelError,
  type ClientFailure,
} from '../../shared/errors';
import { isIdOf, newId } from '../../shared/ids';
import { Employee } from '../employees/employee.entity';
import { mayManageKeysOf } from '../keys/user-key.service';
import { UserKey, UserKeyKind } from '../keys/user-key.entity';
import { AccessTemplate } from './access-template.entity';
import { requireOffice } from './access-template.service';
import { ClientLink } from './client-link.entity';

export const MAX_CLIENTS_PER_CALL = 10_000;

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
  userKeyId: string | null;
  employeeId: string | null;
}

/** The distinct client ids of a call (1–10,000 of them). */
function clientIdsOf(ids: readonly string[]): string[] {
  const unique = [...new Set(ids)];
  new InputCheck()
    .require(
      unique.length > 0 && unique.length <= MAX_CLIENTS_PER_CALL,
      'clientIds',
      `must list 1–${MAX_CLIENTS_PER_CALL} clients`,
    )
    .done();
  return unique;
}

/**
 * R16: client links of an accounting office. Every path (bulk, single, unlink) is set-based: a
 * fixed number of SQL statements in one transaction, whatever the number of clients.
 */
export class ClientLinkService {
  constructor(private readonly db: Database) {}

  /** The key or employee to link: an accountant key (manageable by the caller, R6) or an office employee. */
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
    if (hasKey) {
      const key = await manager.findOneBy(UserKey, { id: ref.userKeyId!, companyId: acting.company.id });
      if (!key || !mayManageKeysOf(acting, key.ownerId)) throw new NotFound('UserKey', ref.userKeyId!);
      if (key.kind !== UserKeyKind.ACCOUNTANT) {
        throw new AccountantKeyNotSupported('Only accountant keys can be linked to clients; this is an end-user key.');
      }
      // a revoked key's links can still be removed (so their template can be deleted)
      if (key.revokedAt && purpose === 'link') throw new Conflict('A revoked key cannot be linked.');
      return { id: key.id, userKeyId: key.id, employeeId: null };
    }
    const employee = await manager.findOneBy(Employee, { id: ref.employeeId!, companyId: acting.company.id });
    if (!employee) throw new NotFound('Employee', ref.employeeId!);
    return { id: employee.id, userKeyId: null, employeeId: employee.id };
  }

  /** Which of the ids fail, and why: malformed, or not a client of this office (one answer for both unknown and foreign). */
  private async clientFailures(
    officeId: string,
    clientIds: string[],
    manager: EntityManager,
  ): Promise<ClientFailure[]> {
    const wellFormed = clientIds.filter((id) => isIdOf('company', id));
    const known = new Set<string>();
    if (wellFormed.length) {
      const rows: { client_id: string }[] = await manager.query(
        `SELECT client_id FROM client_relation WHERE office_id = ? AND client_id IN (${placeholders(wellFormed.length)})`,
        [officeId, ...wellFormed],
      );
      rows.forEach((r) => known.add(r.client_id));
    }
    return clientIds
      .filter((id) => !known.has(id))
      .map((clientId) =>
        isIdOf('company', clientId)
          ? { clientId, code: ErrorCode.NOT_FOUND, message: 'not a client of this accounting office' }
          : { clientId, code: ErrorCode.BAD_USER_INPUT, message: 'not a Company.id' },
      );
  }

  /**
   * R16: links the grantee at every listed client under the template, atomically: if any client
   * fails, nothing is linked and the error lists each failing client. Re-linking updates the template.
   * `single` (linkClient) answers a failure with the client's own code instead of the bulk error.
   */
  async link(
    acting: AuthenticatedActing,
    input: GranteeRef & { clientIds: string[]; accessTemplateId: string },
    now: Date,
    single = false,
  ): Promise<LinkResult> {
    requireOffice(acting);
    const clientIds = clientIdsOf(input.clientIds);
    const officeId = acting.company.id;
    return this.db.transaction(async (manager) => {
      const grantee = await this.grantee(acting, input, manager, 'link');
      const template = await manager.findOneBy(AccessTemplate, { id: input.accessTemplateId, officeId });
      if (!template) throw new NotFound('AccessTemplate', input.accessTemplateId);
      const failures = await this.clientFailures(officeId, clientIds, manager);
      if (failures.length) {
        if (single)
          throw new NokkelError(failures[0].code, `Client ${failures[0].clientId}: ${failures[0].message}.`, {
            failures,
          });
        throw new BulkLinkFailed(failures, clientIds.length);
      }

      const rows = JSON.stringify(clientIds.map((clientId) => [clientId, newId('clientLink'), newId('auditEvent')]));
      const j = jsonRows(this.db.dialect, ['client_id', 'link_id', 'audit_id']);
      const upsert =
        this.db.dialect === 'mysql'
          ? 'ON DUPLICATE KEY UPDATE template_id = VALUES(template_id), updated_at = VALUES(updated_at)'
          : 'ON CONFLICT (grantee_id, client_id) DO UPDATE SET template_id = excluded.template_id, updated_at = excluded.updated_at';
      await manager
        .query(
          `INSERT INTO client_link (id, office_id, client_id, grantee_id, user_key_id, employee_id, template_id, created_at, updated_at)
         SELECT ${j.col('link_id')}, ?, ${j.col('client_id')}, ?, ?, ?, ?, ?, ? FROM ${j.from} WHERE 1 = 1 ${upsert}`,
          [officeId, grantee.id, grantee.userKeyId, grantee.employeeId, template.id, now, now]
            .map(this.param)
            .concat(rows),
        )
        .catch((error: unknown) => {
          // the template was deleted by a transaction that committed after we read it
          throw isForeignKeyViolation(error) ? new NotFound('AccessTemplate', template.id) : error;
        });
      await this.auditPerClient(
        manager,
        acting,
        'clientLink.link',
        rows,
        { granteeId: grantee.id, templateId: template.id, templateName: template.name },
        now,
      );

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
      if (single) {
        const links = await load(manager);
        return { linkedCount: clientIds.length, links: () => Promise.resolve(links) };
      }
      return { linkedCount: clientIds.length, links: () => load(this.db.manager) };
    });
  }

  /** Removes the grantee's links at the listed clients; returns how many there were. */
  async unlink(acting: AuthenticatedActing, input: GranteeRef & { clientIds: string[] }, now: Date): Promise<number> {
    requireOffice(acting);
    const clientIds = clientIdsOf(input.clientIds);
    return this.db.transaction(async (manager) => {
      const grantee = await this.grantee(acting, input, manager, 'unlink');
      const existing = await manager
        .createQueryBuilder(ClientLink, 'l')
        .select(['l.id', 'l.clientId'])
        .where('l.granteeId = :granteeId AND l.officeId = :officeId AND l.clientId IN (:...clientIds)', {
          granteeId: grantee.id,
          officeId: acting.company.id,
          clientIds,
        })
        .getMany();
      if (!existing.length) return 0;
      await manager
        .createQueryBuilder()
        .delete()
        .from(ClientLink)
        .where('id IN (:...ids)', { ids: existing.map((l) => l.id) })
        .execute();
      const rows = JSON.stringify(existing.map((l) => [l.clientId, l.id, newId('auditEvent')]));
      await this.auditPerClient(manager, acting, 'clientLink.unlink', rows, { granteeId: grantee.id }, now);
      return existing.length;
    });
  }

  /** Hand-written SQLite statements need dates as TypeORM stores them. */
  private readonly param = (value: unknown): unknown => (this.db.dialect === 'sqlite' ? sqliteValue(value) : value);

  /** R21: one audit row per client, written by one statement. */
  private async auditPerClient(
    manager: EntityManager,
    acting: AuthenticatedActing,
    action: string,
    rows: string,
    details: Record<string, unknown>,
    now: Date,
  ): Promise<void> {
    const j = jsonRows(this.db.dialect, ['client_id', 'link_id', 'audit_id']);
    await manager.query(
      `INSERT INTO audit_event (id, at, company_id, actor_employee_id, actor_user_key_id, action, target_type, target_id, details)
       SELECT ${j.col('audit_id')}, ?, ?, ?, ?, ?, 'Client', ${j.col('client_id')}, ? FROM ${j.from}`,
      [now, acting.company.id, acting.actor.employeeId, acting.actor.userKeyId, action, JSON.stringify(details)]
        .map(this.param)
        .concat(rows),
    );
  }
}
