import { KeyUsageDay } from './key-usage-day.entity';
import { KeyUsageDayResolver, SensitiveReadResolver, UserKeyUsageResolver } from './usage.resolver';
import { SensitiveRead } from './sensitive-read.entity';
import { UsageRecorder } from './usage-recorder';
import { UsageService } from './usage.service';
import { defineModule } from '../module';

/** What each key did, per day, and the log of sensitive fields read. */
export const usageModule = defineModule({
  name: 'usage',
  entities: [KeyUsageDay, SensitiveRead],
  resolvers: [UserKeyUsageResolver, KeyUsageDayResolver, SensitiveReadResolver],
  services: ({ db, log }) => ({ usageRecorder: new UsageRecorder(db, log), usage: new UsageService(db) }),
  background: ({ usageRecorder }) => [usageRecorder],
});
