import { Company } from './company.entity';
import { CompanyResolver } from './company.resolver';
import { CompanyService } from './company.service';
import { defineRecordModule } from '../module';

/** Companies: ordinary ones and accounting offices, and the Integrations switch. */
export const companiesModule = defineRecordModule({
  name: 'companies',
  record: { company: Company },
  resolvers: [CompanyResolver],
  services: ({ db }) => ({ companies: new CompanyService(db) }),
});
