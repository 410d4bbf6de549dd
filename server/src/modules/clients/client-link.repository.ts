import type { EntityManager } from 'typeorm';
import { dialectOf, inJsonIds, jsonRowSource, onDuplicateUpdate, placeholders, sqlParam } from '../../db/dialect';
import { hydrate, hydrateShared, prefixedColumns } from '../../db/hydrate';
import { keysetWindow, windowedPages, windowedRows, type Windows } from '../../db/pagination';
import { defineRepository } from '../../db/repository';
import { newId } from '../../shared/ids';
import type { Page, PageArgs } from '../../shared/pagination';
import { Company } from '../companies/company.entity';
import { AccessTemplate } from './access-template.entity';
import { ClientLink } from './client-link.entity';

/** The grantee of the links a statement writes: its id, and which of a key or an employee it is. */
export interface LinkGrantee {
  id: string;
  userKeyId: string | null;
  employeeId: string | null;
}

type Partition = 'client_id' | 'grantee_id';

/** The client links' statements; every write path is set-based (a fixed number of statements per call). */
export const clientLinkRepository = defineRepository(ClientLink, {
  /**
   * Client.links for a whole page of clients of one office: a page of each client's links (by
   * grantee) in one statement, not one per client.
   */
  pagesPerClient(officeId: string, clientIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return windowedLinks(this.manager, 'client_id', 'grantee_id', clientIds, page, 'office_id = ?', [officeId]);
  },

  /** UserKey.links for a page of keys: a page of each key's links (by client) in one statement. */
  pagesPerGrantee(granteeIds: readonly string[], page: PageArgs): Promise<Page<ClientLink>[]> {
    return windowedLinks(this.manager, 'grantee_id', 'client_id', granteeIds, page, '1 = 1', []);
  },

  /** The grantee's current links at these clients: client id → link and template (R16). */
  async currentAt(
    granteeId: string,
    clientIds: string[],
  ): Promise<Map<string, { linkId: string; templateId: string }>> {
    const among = inJsonIds(dialectOf(this.manager), 'client_id', clientIds);
    const rows: { id: string; client_id: string; template_id: string }[] = await this.manager.query(
      `SELECT id, client_id, template_id FROM client_link WHERE grantee_id = ? AND ${among.sql} ORDER BY client_id`,
      [granteeId, among.param],
    );
    return new Map(rows.map((r) => [r.client_id, { linkId: r.id, templateId: r.template_id }]));
  },

  /** The grantee's links at these clients, by client, for the answer of a link call. */
  ofGranteeAt(granteeId: string, clientIds: string[]): Promise<ClientLink[]> {
    return this.createQueryBuilder('l')
      .where(`l.granteeId = :granteeId AND l.clientId IN (:...clientIds)`, { granteeId, clientIds })
      .orderBy('l.clientId')
      .getMany();
  },

  /**
   * Inserts the grantee's links at `clientIds`, or moves existing ones to the template, in one
   * statement whatever the number of clients (the clients travel as one JSON parameter).
   */
  async upsert(officeId: string, grantee: LinkGrantee, templateId: string, clientIds: string[], now: Date) {
    const dialect = dialectOf(this.manager);
    const pairsJson = JSON.stringify(clientIds.map((clientId) => [clientId, newId('clientLink')]));
    const j = jsonRowSource(dialect, ['client_id', 'link_id']);
    const upsert = onDuplicateUpdate(dialect, ['grantee_id', 'client_id'], {
      template_id: (_, incoming) => incoming,
      updated_at: (_, incoming) => incoming,
    });
    // hand-written SQLite statements need dates as TypeORM stores them
    await this.manager.query(
      `INSERT INTO client_link (id, office_id, client_id, grantee_id, user_key_id, employee_id, template_id, created_at, updated_at)
       SELECT ${j.col('link_id')}, ?, ${j.col('client_id')}, ?, ?, ?, ?, ?, ? FROM ${j.from} WHERE 1 = 1 ${upsert}`,
      [officeId, grantee.id, grantee.userKeyId, grantee.employeeId, templateId, now, now]
        .map((value) => sqlParam(dialect, value))
        .concat(pairsJson),
    );
  },

  /** Removes links by id, in one statement. */
  async deleteIds(linkIds: string[]): Promise<void> {
    await this.manager.query(`DELETE FROM client_link WHERE id IN (${placeholders(linkIds.length)})`, linkIds);
  },
});

/**
 * A page of links for each of `ids` (grouped by `partition`, ordered by `order`), with their client
 * and template, in one statement (windowed pagination, db/pagination/windowed.ts).
 */
async function windowedLinks(
  manager: EntityManager,
  partition: Partition,
  order: Partition,
  ids: readonly string[],
  page: PageArgs,
  where: string,
  params: unknown[],
): Promise<Page<ClientLink>[]> {
  const windows: Windows = { partition, order, ids, ...keysetWindow(page) };
  // the client company and the template come in the same statement: a key overview shows both
  const rows: Record<string, unknown>[] = await manager.query(
    `SELECT w.*, ${prefixedColumns(manager, Company, 'c', 'c__')}, ${prefixedColumns(manager, AccessTemplate, 't', 't__')}
       FROM (
         ${windowedRows('client_link', 'l', windows, where)}
       ) w
       JOIN company c ON c.id = w.client_id
       JOIN access_template t ON t.id = w.template_id
       WHERE w.page_row <= ? ORDER BY w.${partition}, w.${order}`,
    [...params, ...ids, ...(windows.after === null ? [] : [windows.after]), windows.first + 1],
  );
  const links = hydrate(manager, ClientLink, rows);
  const clients = hydrateShared(manager, Company, rows, 'c__');
  const templates = hydrateShared(manager, AccessTemplate, rows, 't__');
  links.forEach((link, i) => Object.assign(link, { client: clients[i], template: templates[i] }));
  const column = (link: ClientLink, name: Partition) => (name === 'client_id' ? link.clientId : link.granteeId);
  // every partition's total in one GROUP BY, run only if some totalCount is selected
  const counts = () =>
    manager
      .query(
        `SELECT ${partition} AS id, COUNT(*) AS n FROM client_link WHERE ${where} AND ${partition} IN (${placeholders(ids.length)}) GROUP BY ${partition}`,
        [...params, ...ids],
      )
      .then((r: { id: string; n: number | string }[]) => new Map(r.map((c) => [c.id, Number(c.n)])));
  return windowedPages(
    windows,
    links,
    (l) => column(l, partition),
    (l) => column(l, order),
    counts,
  );
}
