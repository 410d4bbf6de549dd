import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { assertMaySetApiAccess } from '../../rules/client-access';
import { Conflict, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { nameKey } from '../../shared/names';
import { type Page, type PageArgs } from '../../shared/pagination';
import { appendAudit, auditOwnChange } from '../audit/audit-log';
import { Company, CompanyKind } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { emitAccessEvent } from '../events/emit';
import { requireOffice } from './access-template.service';
import type { ClientLink } from './client-link.entity';
import { clientLinkRepository } from './client-link.repository';
import { ClientRelation } from './client-relation.entity';
import { clientRelationRepository } from './client-relation.repository';
import type { AddClientInput, SetAccountantApiAccessInput } from './client.types';

/** An accounting office's clients, and the client's API switch (R18). */
export class ClientService {
  constructor(private readonly db: Database) {}

  /** The office's clients by name, filtered by name/org number and API access state. */
  list(
    acting: AuthenticatedActing,
    filter: { search?: string | null; apiAccess?: boolean | null },
    page: PageArgs,
  ): Promise<Page<ClientRelation>> {
    requireOffice(acting);
    return clientRelationRepository(this.db.manager).pageOfOffice(acting.company.id, filter, page);
  }

  /**
   * Creates a client company for the office, with API access on (R18). Its organisation number and
   * its name (by look-alike key) are unique among this office's clients only: registering a client
   * tells nothing about other offices' clients, and no office can take a number from another.
   */
  async add(acting: AuthenticatedActing, input: AddClientInput, now: Date): Promise<ClientRelation> {
    requireOffice(acting);
    const check = new InputCheck();
    const name = check.name(input.name, 'name', { max: 200 });
    check.orgNumber(input.orgNumber).done();
    const orgNumber = input.orgNumber ?? null;
    const client = Object.assign(new Company(), {
      id: newId('company'),
      name,
      orgNumber,
      kind: CompanyKind.REGULAR,
      integrationsActivatedAt: null,
      integrationsActivatedById: null,
      integrationsTermsVersion: null,
      nextInvoiceNumber: 1,
      createdAt: now,
    });
    const relation = Object.assign(new ClientRelation(), {
      id: newId('clientRelation'),
      officeId: acting.company.id,
      clientId: client.id,
      clientOrgNumber: orgNumber,
      clientNameKey: nameKey(name),
      accountantEmployeeId: null,
      apiAccess: true,
      apiAccessChangedAt: null,
      createdAt: now,
    });
    const taken = (which: 'orgNumber' | 'name') =>
      new Conflict(
        which === 'orgNumber'
          ? `This office already has a client with organisation number ${orgNumber}.`
          : `This office already has a client named “${name}” (or a name that looks the same).`,
        { field: which },
      );
    await this.db.transaction(async (manager) => {
      const clash = await manager.findOne(ClientRelation, {
        where: [
          { officeId: relation.officeId, clientNameKey: relation.clientNameKey! },
          ...(orgNumber ? [{ officeId: relation.officeId, clientOrgNumber: orgNumber }] : []),
        ],
      });
      if (clash) throw taken(orgNumber && clash.clientOrgNumber === orgNumber ? 'orgNumber' : 'name');
      await manager.insert(Company, client);
      await manager.insert(ClientRelation, relation).catch((error: unknown) => {
        if (!isUniqueViolation(error)) throw error;
        throw taken(/client_org_number/.test(String((error as Error).message)) ? 'orgNumber' : 'name');
      });
      await auditOwnChange(
        manager,
        acting,
        'client.add',
        { type: 'Company', id: client.id },
        { name: client.name, orgNumber: client.orgNumber },
        now,
      );
    });
    relation.client = client;
    return relation;
  }

  /**
   * R18: the client turns its accounting office's API access on or off, acting in its own company
   * with ACCOUNT_ADMIN there (never through an office's link); optionally names the responsible
   * accountant. Takes effect on the office's keys at their next request.
   */
  async setApiAccess(
    acting: AuthenticatedActing,
    input: SetAccountantApiAccessInput,
    now: Date,
  ): Promise<ClientRelation> {
    assertMaySetApiAccess(acting);
    const notFound = new NotFound('Accounting office of this client', input.accountingOfficeId);
    return this.db.transaction(async (manager) => {
      const relation = await manager.findOneBy(ClientRelation, {
        officeId: input.accountingOfficeId,
        clientId: acting.company.id,
      });
      if (!relation) throw notFound;
      if (input.accountantEmployeeId != null) {
        const accountant = await manager.findOneBy(Employee, {
          id: input.accountantEmployeeId,
          companyId: relation.officeId,
        });
        new InputCheck()
          .require(accountant !== null, 'accountantEmployeeId', 'is not an employee of the accounting office')
          .done();
        relation.accountantEmployeeId = input.accountantEmployeeId;
      }
      const switched = relation.apiAccess !== input.enabled;
      relation.apiAccess = input.enabled;
      relation.apiAccessChangedAt = now;
      await manager.update(
        ClientRelation,
        { id: relation.id },
        { apiAccess: relation.apiAccess, apiAccessChangedAt: now, accountantEmployeeId: relation.accountantEmployeeId },
      );
      // R35, R36: the client's change, which the office's keys feel: it belongs to both
      if (switched) {
        await emitAccessEvent(
          manager,
          {
            type: 'client.api_access_changed',
            companyId: relation.clientId,
            counterpartCompanyId: relation.officeId,
            data: { officeId: relation.officeId, clientId: relation.clientId, enabled: input.enabled },
          },
          now,
        );
      }
      const details = {
        enabled: input.enabled,
        officeId: relation.officeId,
        clientId: relation.clientId,
        accountantEmployeeId: relation.accountantEmployeeId,
      };
      // recorded in both books: the client made the change, the office is affected by it
      await appendAudit(
        manager,
        acting,
        [
          {
            action: 'client.setApiAccess',
            companyId: relation.clientId,
            targetType: 'Company',
            targetId: relation.officeId,
            details,
          },
          {
            action: 'client.setApiAccess',
            companyId: relation.officeId,
            targetType: 'Company',
            targetId: relation.clientId,
            details,
          },
        ],
        now,
      );
      return relation;
    });
  }

  /** Client.links for a whole page of the office's clients: a page of each, by grantee, in one query. */
  linksPerClient(officeId: string, clientIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return clientLinkRepository(this.db.manager).pagesPerClient(officeId, clientIds, page);
  }

  /** A page of each grantee's client links (ordered by client), for a list of keys in one query. */
  linksPerGrantee(granteeIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return clientLinkRepository(this.db.manager).pagesPerGrantee(granteeIds, page);
  }
}
