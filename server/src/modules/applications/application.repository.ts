import { paginate } from '../../db/pagination';
import { defineRepository } from '../../db/repository';
import { likePattern } from '../../shared/like';
import type { Page, PageArgs } from '../../shared/pagination';
import { Application } from './application.entity';

/** The application catalog. */
export const applicationRepository = defineRepository(Application, {
  /** A page of the catalog by name (then id), optionally searched in name and vendor. */
  pageOfCatalog(search: string | null | undefined, page: PageArgs): Promise<Page<Application>> {
    const query = this.manager.createQueryBuilder(Application, 'a');
    if (search?.trim()) {
      query.where("(a.name LIKE :q ESCAPE '!' OR a.vendor LIKE :q ESCAPE '!')", { q: likePattern(search) });
    }
    return paginate(query, page, [
      { expression: 'a.name', value: (a) => a.name },
      { expression: 'a.id', value: (a) => a.id },
    ]);
  },
});
