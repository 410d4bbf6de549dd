import type { MigrationInterface } from 'typeorm';
import { Initial1795638814712 } from './1795638814712-Initial';
import { KeyRestoredBy1795647122304 } from './1795647122304-KeyRestoredBy';
import { EventsAndWebhooks1796005653714 } from './1796005653714-EventsAndWebhooks';
import { AuthorizationCore1796005743263 } from './1796005743263-AuthorizationCore';
import { ReachAndUsage1796200000000 } from './1796200000000-ReachAndUsage';
import { UserKeyExpiresAtIndex1796301000000 } from './1796301000000-UserKeyExpiresAtIndex';

/** Migrations of both dialects, in order. Generate new ones with `npm run migration:generate -- <Name>` (then make them run on SQLite: see sqlite-baseline.ts). */
export const MIGRATIONS: Array<new () => MigrationInterface> = [
  Initial1795638814712,
  KeyRestoredBy1795647122304,
  EventsAndWebhooks1796005653714,
  AuthorizationCore1796005743263,
  ReachAndUsage1796200000000,
  UserKeyExpiresAtIndex1796301000000,
];
