import { KeyLifecycleResolver, CompanyKeyPolicyResolver } from './key-lifecycle.resolver';
import { KeyLifecycleService } from './key-lifecycle.service';
import { KeyNetworkTracker } from './key-networks';
import { KeyNetworkUse } from './key-network-use.entity';
import { KeyUsageTracker } from './key-usage';
import { UserKey } from './user-key.entity';
import { UserKeyResolver } from './user-key.resolver';
import { UserKeySecret } from './user-key-secret.entity';
import { UserKeyService } from './user-key.service';
import { defineModule } from '../module';

/** User keys: creation, secrets, revocation and restore, policy, networks, last use. */
export const keysModule = defineModule({
  name: 'keys',
  entities: [UserKey, KeyNetworkUse, UserKeySecret],
  resolvers: [UserKeyResolver, KeyLifecycleResolver, CompanyKeyPolicyResolver],
  services: ({ db, log }) => ({
    userKeys: new UserKeyService(db),
    keyUsage: new KeyUsageTracker(db, log),
    keyNetworks: new KeyNetworkTracker(db, log),
    keyLifecycle: new KeyLifecycleService(db),
  }),
  recordsById: { userKey: UserKey },
  background: ({ keyUsage, keyNetworks }) => [keyUsage, keyNetworks],
});
