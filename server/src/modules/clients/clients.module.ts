import { AccessTemplate } from './access-template.entity';
import { AccessTemplateResolver, ClientLinkResolver, ClientResolver, UserKeyClientsResolver } from './client.resolver';
import { AccessTemplateService } from './access-template.service';
import { ClientLink } from './client-link.entity';
import { ClientLinkService } from './client-link.service';
import { ClientRelation } from './client-relation.entity';
import { ClientService } from './client.service';
import { defineModule } from '../module';

/** An accounting office's clients, its access templates and the links of its keys and people to clients. */
export const clientsModule = defineModule({
  name: 'clients',
  entities: [AccessTemplate, ClientRelation, ClientLink],
  resolvers: [UserKeyClientsResolver, AccessTemplateResolver, ClientResolver, ClientLinkResolver],
  services: ({ db }) => ({
    accessTemplates: new AccessTemplateService(db),
    clients: new ClientService(db),
    clientLinks: new ClientLinkService(db),
  }),
  recordsById: { accessTemplate: AccessTemplate },
});
