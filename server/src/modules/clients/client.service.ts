import type { AuthenticatedActing } from '../../auth/acting-context';
import { placeholders } from '../../db/dialect';
import type { Database } from '../../db/database';
import { isUniqueViolation } from '../../db/errors';
import { hydrate, hydrateShared, prefixedColumns } from '../../db/hydrate';
import { assertMaySetApiAccess } from '../../rules/client-access';
import { Conflict, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import { likePattern } from '../../shared/like';
import { nameKey } from '../../shared/names';
import { encodeCursor, paginate, toPage, type Page, type PageArgs, keysetWindow } from '../../shared/pagination';
import { appendAudit, auditOwnChange } from '../audit/audit-log';
import { Company, CompanyKind } from '../companies/company.entity';
import { Employee } from '../employees/employee.entity';
import { emitAccessEvent } from '../events/emit';
import { AccessTemplate } from './access-template.entity';
import { requireOffice } from './access-template.service';
import { ClientLink } from './client-link.entity';
import { ClientRelation } from './client-relation.entity';
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
    const query = this.db.manager
      .createQueryBuilder(ClientRelation, 'r')
      .innerJoinAndSelect('r.client', 'c')
      .where('r.officeId = :officeId', { officeId: acting.company.id });
    if (filter.search?.trim()) {
      query.andWhere("(c.name LIKE :q ESCAPE '!' OR c.orgNumber LIKE :q ESCAPE '!')", {
        q: likePattern(filter.search),
      });
    }
    if (filter.apiAccess != null) query.andWhere('r.apiAccess = :apiAccess', { apiAccess: filter.apiAccess });
    return paginate(query, page, [
      { expression: 'c.name', value: (r) => r.client!.name },
      { expression: 'r.clientId', value: (r) => r.clientId },
    ]);
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
    check.require(input.orgNumber == null || /^\d{9}$/.test(input.orgNumber), 'orgNumber', 'must be 9 digits').done();
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

  /**
   * Links at several clients of one office, a page each (ordered by grantee), in one query:
   * Client.links for a whole page of clients.
   */
  async linksPerClient(officeId: string, clientIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return this.windowedLinks('client_id', 'grantee_id', clientIds, page, 'office_id = ?', [officeId]);
  }

  /** A page of a grantee's client links each (ordered by client), for a list of keys in one query. */
  async linksPerGrantee(granteeIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return this.windowedLinks('grantee_id', 'client_id', granteeIds, page, '1 = 1', []);
  }

  private async windowedLinks(
    partition: 'client_id' | 'grantee_id',
    order: 'client_id' | 'grantee_id',
    ids: readonly string[],
    page: PageArgs,
    extraWhere: string,
    extraParams: unknown[],
  ): Promise<Page<ClientLink>[]> {
    const { first, after } = keysetWindow(page);
    const manager = this.db.manager;
    // the client company and the template come in the same statement: a key overview shows both
    const rows: Record<string, unknown>[] = await manager.query(
      `SELECT w.*, ${prefixedColumns(manager, Company, 'c', 'c__')}, ${prefixedColumns(manager, AccessTemplate, 't', 't__')}
       FROM (
         SELECT l.*, ROW_NUMBER() OVER (PARTITION BY l.${partition} ORDER BY l.${order}) AS page_row
         FROM client_link l
         WHERE ${extraWhere} AND l.${partition} IN (${placeholders(ids.length)})${after === null ? '' : ` AND l.${order} > ?`}
       ) w
       JOIN company c ON c.id = w.client_id
       JOIN access_template t ON t.id = w.template_id
       WHERE w.page_row <= ? ORDER BY w.${partition}, w.${order}`,
      [...extraParams, ...ids, ...(after === null ? [] : [after]), first + 1],
    );
    const links = hydrate(manager, ClientLink, rows);
    const clients = hydrateShared(manager, Company, rows, 'c__');
    const templates = hydrateShared(manager, AccessTemplate, rows, 't__');
    links.forEach((link, i) => Object.assign(link, { client: clients[i], template: templates[i] }));
    const byPartition = new Map<string, ClientLink[]>();
    for (const link of links) {
      const key = partition === 'client_id' ? link.clientId : link.granteeId;
      byPartition.set(key, [...(byPartition.get(key) ?? []), link]);
    }
    const countLoader = this.countLoader(partition, extraWhere, extraParams, ids);
    return ids.map((id) =>
      toPage(
        byPartition.get(id) ?? [],
        first,
        (l) => encodeCursor([order === 'client_id' ? l.clientId : l.granteeId]),
        () => countLoader().then((counts) => counts.get(id) ?? 0),
      ),
    );
  }

  /** One GROUP BY for all partitions' totals, run once and only if some totalCount is selected. */
  private countLoader(partition: string, extraWhere: string, extraParams: unknown[], ids: readonly string[]) {
    let counts: Promise<Map<string, number>> | null = null;
    return () =>
      (counts ??= this.db.manager
        .query(
          `SELECT ${partition} AS id, COUNT(*) AS n FROM client_link WHERE ${extraWhere} AND ${partition} IN (${placeholders(ids.length)}) GROUP BY ${partition}`,
          [...extraParams, ...ids],
        )
        .then((rows: { id: string; n: number | string }[]) => new Map(rows.map((r) => [r.id, Number(r.n)]))));
  }
}
