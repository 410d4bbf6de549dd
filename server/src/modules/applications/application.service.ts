import type { Database } from '../../db/database';
import type { Page, PageArgs } from '../../shared/pagination';
import type { Application } from './application.entity';
import { applicationRepository } from './application.repository';

/** The application catalog (open to every caller). */
export class ApplicationService {
  constructor(private readonly db: Database) {}

  list(search: string | null | undefined, page: PageArgs): Promise<Page<Application>> {
    return applicationRepository(this.db.manager).pageOfCatalog(search, page);
  }
}
