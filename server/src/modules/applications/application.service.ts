import type { Database } from '../../db/database';
import { likePattern } from '../../shared/like';
import { type Page, type PageArgs } from '../../shared/pagination';
import { paginate } from '../../db/pagination';
import { Application } from './application.entity';

/** The application catalog (open to every caller). */
export class ApplicationService {
  constructor(private readonly db: Database) {}

  list(search: string | null | undefined, page: PageArgs): Promise<Page<Application>> {
    const query = this.db.manager.createQueryBuilder(Application, 'a');
    if (search?.trim()) {
      query.where("(a.name LIKE :q ESCAPE '!' OR a.vendor LIKE :q ESCAPE '!')", { q: likePattern(search) });
    }
    return paginate(query, page, [
      { expression: 'a.name', value: (a) => a.name },
      { expression: 'a.id', value: (a) => a.id },
    ]);
  }
}
