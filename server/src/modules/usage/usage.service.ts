import type { Database } from '../../db/database';
import { hydrate } from '../../db/hydrate';
import type { SensitiveReadScope } from '../../rules/usage';
import { usageRange } from '../../rules/usage';
import { type Page, type PageArgs } from '../../shared/pagination';
import { encodeCursor, toPage, keysetWindow } from '../../db/pagination';
import { KeyUsageDay } from './key-usage-day.entity';
import { SensitiveRead } from './sensitive-read.entity';

/** The most rows `UserKey.usage` returns (days × companies); a narrower range shows the rest. */
export const MAX_USAGE_ROWS = 1000;

/** R34: reads of the usage days and of the sensitive-read log (written by UsageRecorder). */
export class UsageService {
  constructor(private readonly db: Database) {}

  /** A key's usage days from `from` to `to` (inclusive days, UTC), by day and company. */
  async days(userKeyId: string, from: Date, to: Date): Promise<KeyUsageDay[]> {
    const { firstDay, lastDay } = usageRange(from, to);
    const rows = await this.db.read(
      'SELECT * FROM key_usage_day WHERE user_key_id = ? AND day >= ? AND day <= ? ORDER BY day, company_id LIMIT ?',
      [userKeyId, firstDay, lastDay, MAX_USAGE_ROWS],
    );
    return hydrate(this.db.manager, KeyUsageDay, rows);
  }

  /** A keyset page (newest first) of the sensitive reads a scope shows, of one key or all. */
  async sensitiveReads(
    scope: SensitiveReadScope,
    userKeyId: string | null,
    page: PageArgs,
  ): Promise<Page<SensitiveRead>> {
    const { first, after } = keysetWindow(page);
    const whose: string[] = [];
    const params: unknown[] = [];
    if (scope.inBooksOf) {
      whose.push('company_id = ?');
      params.push(scope.inBooksOf);
    }
    if (scope.byKeysOf) {
      whose.push('key_company_id = ?');
      params.push(scope.byKeysOf);
    }
    let where = `(${whose.join(' OR ')})`;
    if (userKeyId) {
      where += ' AND user_key_id = ?';
      params.push(userKeyId);
    }
    const rows = await this.db.readLagTolerant(
      `SELECT * FROM sensitive_read WHERE ${where}${after === null ? '' : ' AND id < ?'} ORDER BY id DESC LIMIT ?`,
      [...params, ...(after === null ? [] : [after]), first + 1],
    );
    return toPage(
      hydrate(this.db.manager, SensitiveRead, rows),
      first,
      (read) => encodeCursor([read.id]),
      () =>
        this.db
          .readLagTolerant(`SELECT COUNT(*) AS n FROM sensitive_read WHERE ${where}`, params)
          .then((r) => Number(r[0].n)),
    );
  }
}
