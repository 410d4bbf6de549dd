import { ClientBlock } from './client-block.entity';
import { ClientOfficeAccessResolver, CompanyAccountingOfficesResolver, UserKeyReachResolver } from './reach.resolver';
import { ClientPanelService } from './client-panel.service';
import { ReachService } from './reach.service';
import { defineModule } from '../module';

/** Where a key can act, and a client's view of the offices that act in its books (and its blocks). */
export const reachModule = defineModule({
  name: 'reach',
  entities: [ClientBlock],
  resolvers: [UserKeyReachResolver, CompanyAccountingOfficesResolver, ClientOfficeAccessResolver],
  services: ({ db }) => ({ reach: new ReachService(db), clientPanel: new ClientPanelService(db) }),
});
