import { dialectOf, inJsonIds } from '../../db/dialect';
import { paginate } from '../../db/pagination';
import { defineRepository } from '../../db/repository';
import { isIdOf } from '../../shared/ids';
import { likePattern } from '../../shared/like';
import type { Page, PageArgs } from '../../shared/pagination';
import { ClientRelation } from './client-relation.entity';

/** An office's relations to its clients. */
export const clientRelationRepository = defineRepository(ClientRelation, {
  /**
   * A page of the office's clients by name (then id), with the client company joined, filtered by
   * a search in name or organisation number and by the API switch (R18).
   */
  pageOfOffice(
    officeId: string,
    filter: { search?: string | null; apiAccess?: boolean | null },
    page: PageArgs,
  ): Promise<Page<ClientRelation>> {
    const query = this.createQueryBuilder('r')
      .innerJoinAndSelect('r.client', 'c')
      .where('r.officeId = :officeId', { officeId });
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
  },

  /**
   * R16: the office's clients among the ids, in one statement for any number of ids; malformed ids
   * are never looked up.
   */
  async clientsOfOffice(officeId: string, clientIds: string[]): Promise<Set<string>> {
    const wellFormed = clientIds.filter((id) => isIdOf('company', id));
    if (!wellFormed.length) return new Set();
    const among = inJsonIds(dialectOf(this.manager), 'client_id', wellFormed);
    const rows: { client_id: string }[] = await this.manager.query(
      `SELECT client_id FROM client_relation WHERE office_id = ? AND ${among.sql}`,
      [officeId, among.param],
    );
    return new Set(rows.map((r) => r.client_id));
  },
});
