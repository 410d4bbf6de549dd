import { Application } from './application.entity';
import { ApplicationService } from './application.service';
import { CatalogResolver } from './application.resolver';
import { defineRecordModule } from '../module';

/** The application catalog (Tripletex's and partners' integrations) a key is made for. */
export const applicationsModule = defineRecordModule({
  name: 'applications',
  record: { application: Application },
  resolvers: [CatalogResolver],
  services: ({ db }) => ({ applications: new ApplicationService(db) }),
});
