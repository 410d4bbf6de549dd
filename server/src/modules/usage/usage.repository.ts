import type { Database } from '../../db/database';
import { hydrate } from '../../db/hydrate';
import type { CursorValue } from '../../db/pagination';
import type { SensitiveReadScope } from '../../rules/usage';
import { KeyUsageDay } from './key-usage-day.entity';
import { SensitiveRead } from './sensitive-read.entity';

/** R34: the reads of the usage days and of the sensitive-read log, outside transactions. */
export class UsageRepository {
  constructor(private readonly db: Database) {}

  /** A key's usage days from `firstDay` to `lastDay` (YYYY-MM-DD), by day and company, at most `limit`: a prepared read. */
  async days(userKeyId: string, firstDay: string, lastDay: string, limit: number): Promise<KeyUsageDay[]> {
    const rows = await this.db.read(
      'SELECT * FROM key_usage_day WHERE user_key_id = ? AND day >= ? AND day <= ? ORDER BY day, company_id LIMIT ?',
      [userKeyId, firstDay, lastDay, limit],
    );
    return hydrate(this.db.manager, KeyUsageDay, rows);
  }

  /**
   * A keyset window (newest first, `first + 1` rows) of the sensitive reads the scope shows, of
   * one key or all, and its total if asked: a log a second behind is as good, so both may go to
   * a replica.
   */
  async sensitiveReads(
    scope: SensitiveReadScope,
    userKeyId: string | null,
    window: { first: number; after: CursorValue | null },
  ): Promise<{ rows: SensitiveRead[]; count: () => Promise<number> }> {
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
    const { first, after } = window;
    const rows = await this.db.readLagTolerant(
      `SELECT * FROM sensitive_read WHERE ${where}${after === null ? '' : ' AND id < ?'} ORDER BY id DESC LIMIT ?`,
      [...params, ...(after === null ? [] : [after]), first + 1],
    );
    return {
      rows: hydrate(this.db.manager, SensitiveRead, rows),
      count: () =>
        this.db
          .readLagTolerant(`SELECT COUNT(*) AS n FROM sensitive_read WHERE ${where}`, params)
          .then((r) => Number(r[0].n)),
    };
  }
}
