import { Company } from './company.entity';
import { CompanyResolver } from './company.resolver';
import { CompanyService } from './company.service';
import { defineModule } from '../module';

/** Companies: ordinary ones and accounting offices, and the Integrations switch. */
export const companiesModule = defineModule({
  name: 'companies',
  entities: [Company],
  resolvers: [CompanyResolver],
  services: ({ db }) => ({ companies: new CompanyService(db) }),
  recordsById: { company: Company },
});
