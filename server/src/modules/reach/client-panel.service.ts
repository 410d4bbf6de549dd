import type { EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { isDeactivated } from '../../rules/people';
import {
  assertClientOwnAdministrator,
  blockSubject,
  personAtClient,
  reachAtClient,
  type BlockSubject,
} from '../../rules/reach';
import { keyStatusAt } from '../../rules/keys';
import { UserKeyStatus } from '../../shared/domain-enums';
import { NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { type Page, type PageArgs } from '../../shared/pagination';
import { encodeCursor, toPage, keysetWindow } from '../../db/pagination';
import { Application } from '../applications/application.entity';
import { appendAudit } from '../audit/audit-log';
import { ClientRelation } from '../clients/client-relation.entity';
import { Employee } from '../employees/employee.entity';
import { emitAccessEvent } from '../events/emit';
import { UserKey } from '../keys/user-key.entity';
import { ClientBlock } from './client-block.entity';
import { ClientPanelRepository } from './client-panel.repository';
import { ClientOfficeAccess, type ClientAccess, type SetClientBlockInput } from './reach.types';

/** The most accounting offices `Company.accountingOffices` lists (a company has one or two in life). */
export const MAX_LISTED_OFFICES = 10;

/**
 * R33: the client's view of its accounting offices — every key and person of each office that can
 * act in its books, and why — and its blocks on one key, application or person.
 */
export class ClientPanelService {
  private readonly reads: ClientPanelRepository;

  constructor(private readonly db: Database) {
    this.reads = new ClientPanelRepository(db);
  }

  /** The offices keeping the client's books, with the client's switch for each (one statement). */
  async offices(acting: AuthenticatedActing): Promise<ClientOfficeAccess[]> {
    assertClientOwnAdministrator(acting);
    const offices = await this.reads.officesOfClient(acting.company.id, MAX_LISTED_OFFICES);
    return offices.map(({ relation, office }) => new ClientOfficeAccess(relation, office));
  }

  /**
   * A page of each office's links at the client (ordered by link), for several offices in one
   * statement: the link, its template, the key and its application, the person (the linked
   * employee or the key's owner) and the client's block.
   */
  async accessPerOffice(
    clientId: string,
    offices: readonly ClientOfficeAccess[],
    page: PageArgs,
    now: Date,
  ): Promise<Page<ClientAccess>[]> {
    const { first, after } = keysetWindow(page);
    if (!offices.length) return [];
    const links = await this.reads.linksPerOffice(
      clientId,
      offices.map((o) => o.office.id),
      { first, after },
    );
    const byOffice = new Map(offices.map((o) => [o.office.id, o]));
    const nodes = links.map((link): ClientAccess => {
      const office = byOffice.get(link.officeId) as ClientOfficeAccess;
      const { userKey: key, person, blockedByClient } = link;
      const ownerActive = !isDeactivated(person.permissionSet);
      const template = link.template.permissionSet;
      const effective = key
        ? reachAtClient(
            {
              keyActive: keyStatusAt(key, now) === UserKeyStatus.ACTIVE,
              ownerActive,
              officeIntegrationsActive: office.office.integrationsActivatedAt != null,
              linked: true,
              apiAccess: office.apiAccess,
              blockedByClient,
            },
            key.permissionSet,
            person.permissionSet,
            template,
          ).effectivePermissions
        : personAtClient({ ownerActive, blockedByClient }, person.permissionSet, template);
      if (key) key.owner = person;
      return {
        linkId: link.linkId,
        officeId: office.office.id,
        userKey: key,
        employee: person,
        application: link.application,
        template: link.template,
        effectivePermissions: effective.toArray(),
        lastUsedAt: key?.lastUsedAt ?? null,
        blockedByClient,
      };
    });
    return this.pagePerOffice(clientId, offices, nodes, first);
  }

  /** Each office's page of the links read at once, counting an office's links only if asked. */
  private pagePerOffice(
    clientId: string,
    offices: readonly ClientOfficeAccess[],
    nodes: ClientAccess[],
    first: number,
  ): Page<ClientAccess>[] {
    return offices.map((office) => {
      const own = nodes.filter((n) => n.officeId === office.office.id);
      return toPage(
        own,
        first,
        (n) => encodeCursor([n.linkId]),
        () => this.reads.countLinks(clientId, office.office.id),
      );
    });
  }

  /**
   * R33: the client blocks (or unblocks) one key, application or person of one of its offices.
   * Audited in both books and announced (`client.block_changed`, to both) in the same transaction;
   * setting what already holds changes nothing and records nothing.
   */
  async setBlock(acting: AuthenticatedActing, input: SetClientBlockInput, now: Date): Promise<boolean> {
    assertClientOwnAdministrator(acting);
    const subject = blockSubject(input);
    const clientId = acting.company.id;
    try {
      return await this.changeBlock(acting, input, subject, clientId, now);
    } catch (error) {
      // a concurrent request set the same block first: what was asked for holds, recorded once
      if (isUniqueViolation(error)) return true;
      throw error;
    }
  }

  private changeBlock(
    acting: AuthenticatedActing,
    input: SetClientBlockInput,
    subject: BlockSubject,
    clientId: string,
    now: Date,
  ): Promise<boolean> {
    return this.db.transaction(async (manager) => {
      const relation = await manager.findOneBy(ClientRelation, { officeId: input.officeId, clientId });
      if (!relation) throw new NotFound('Accounting office of this client', input.officeId);
      await this.assertSubjectOfOffice(manager, subject, relation.officeId);
      const where = { clientId, officeId: relation.officeId, subjectId: subject.id };
      const existing = await manager.findOneBy(ClientBlock, where);
      if ((existing !== null) === input.blocked) return true;
      if (input.blocked) {
        await manager.insert(ClientBlock, {
          id: newId('clientBlock'),
          ...where,
          subjectKind: subject.kind,
          createdByEmployeeId: acting.employee.id,
          createdAt: now,
        });
      } else if (!(await manager.delete(ClientBlock, where)).affected) {
        return true; // a concurrent request lifted it first
      }
      const data = {
        officeId: relation.officeId,
        clientId,
        userKeyId: subject.kind === 'userKey' ? subject.id : null,
        applicationId: subject.kind === 'application' ? subject.id : null,
        employeeId: subject.kind === 'employee' ? subject.id : null,
        blocked: input.blocked,
      };
      // recorded in both books: the client made the change, the office is affected by it
      const entry = { action: 'client.setBlock', targetType: subject.kind, targetId: subject.id, details: data };
      await appendAudit(
        manager,
        acting,
        [
          { ...entry, companyId: clientId },
          { ...entry, companyId: relation.officeId },
        ],
        now,
      );
      await emitAccessEvent(
        manager,
        { type: 'client.block_changed', companyId: clientId, counterpartCompanyId: relation.officeId, data },
        now,
      );
      return true;
    });
  }

  /** R33: a block names a key or person of that office, or a catalog application (NOT_FOUND otherwise). */
  private async assertSubjectOfOffice(manager: EntityManager, subject: BlockSubject, officeId: string): Promise<void> {
    const found =
      subject.kind === 'userKey'
        ? await manager.existsBy(UserKey, { id: subject.id, companyId: officeId })
        : subject.kind === 'employee'
          ? await manager.existsBy(Employee, { id: subject.id, companyId: officeId })
          : await manager.existsBy(Application, { id: subject.id });
    if (!found) {
      const what = {
        userKey: 'Key of this accounting office',
        employee: 'Employee of this accounting office',
        application: 'Application',
      };
      throw new NotFound(what[subject.kind], subject.id);
    }
  }
}
