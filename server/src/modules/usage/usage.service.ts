import type { Database } from '../../db/database';
import { encodeCursor, keysetWindow, toPage } from '../../db/pagination';
import type { SensitiveReadScope } from '../../rules/usage';
import { usageRange } from '../../rules/usage';
import type { Page, PageArgs } from '../../shared/pagination';
import type { KeyUsageDay } from './key-usage-day.entity';
import type { SensitiveRead } from './sensitive-read.entity';
import { UsageRepository } from './usage.repository';

/** The most rows `UserKey.usage` returns (days × companies); a narrower range shows the rest. */
export const MAX_USAGE_ROWS = 1000;

/** R34: reads of the usage days and of the sensitive-read log (written by UsageRecorder). */
export class UsageService {
  private readonly reads: UsageRepository;

  constructor(db: Database) {
    this.reads = new UsageRepository(db);
  }

  /** A key's usage days from `from` to `to` (inclusive days, UTC), by day and company. */
  async days(userKeyId: string, from: Date, to: Date): Promise<KeyUsageDay[]> {
    const { firstDay, lastDay } = usageRange(from, to);
    return this.reads.days(userKeyId, firstDay, lastDay, MAX_USAGE_ROWS);
  }

  /** A keyset page (newest first) of the sensitive reads a scope shows, of one key or all. */
  async sensitiveReads(
    scope: SensitiveReadScope,
    userKeyId: string | null,
    page: PageArgs,
  ): Promise<Page<SensitiveRead>> {
    const window = keysetWindow(page);
    const { rows, count } = await this.reads.sensitiveReads(scope, userKeyId, window);
    return toPage(rows, window.first, (read) => encodeCursor([read.id]), count);
  }
}
