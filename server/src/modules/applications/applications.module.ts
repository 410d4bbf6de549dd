import { Application } from './application.entity';
import { ApplicationService } from './application.service';
import { CatalogResolver } from './application.resolver';
import { defineModule } from '../module';

/** The application catalog (Tripletex's and partners' integrations) a key is made for. */
export const applicationsModule = defineModule({
  name: 'applications',
  entities: [Application],
  resolvers: [CatalogResolver],
  services: ({ db }) => ({ applications: new ApplicationService(db) }),
  recordsById: { application: Application },
});
