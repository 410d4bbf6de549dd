import type { EntityManager } from 'typeorm';
import {
  concatSql,
  dialectOf,
  insertSkippingDuplicates,
  isoTimestampSql,
  rowIdSql,
  sqlTime,
  type Dialect,
} from '../../db/dialect';
import { rowIdBase } from '../../db/row-ids';
import { affectedRows } from './affected-rows';
import type { AccessEventType } from './event-types';

const DAY = 24 * 60 * 60 * 1000;

/** How far back a key's expiry still earns a `user_key.expired` event (a server down longer misses it). */
export const EXPIRED_LOOKBACK_MS = 30 * DAY;

interface ExpiryNotice {
  type: AccessEventType;
  /** Once-only key prefix; the key's id completes it. */
  dedupe: string;
  daysBefore: 14 | 1 | null;
  /** The window of `expires_at` that earns the notice, relative to now. */
  from: number;
  to: number;
}

/**
 * R35: the expiry notices. A key expiring within 14 days (but not within 1) gets the 14-day
 * notice, within 1 day the 1-day notice, and after its expiry `user_key.expired` — each once per
 * key. A key created with 12 hours to live gets the 1-day notice only.
 */
const NOTICES: readonly ExpiryNotice[] = [
  { type: 'user_key.expiring', dedupe: 'user_key.expiring:P14D:', daysBefore: 14, from: DAY, to: 14 * DAY },
  { type: 'user_key.expiring', dedupe: 'user_key.expiring:P1D:', daysBefore: 1, from: 0, to: DAY },
  { type: 'user_key.expired', dedupe: 'user_key.expired:', daysBefore: null, from: -EXPIRED_LOOKBACK_MS, to: 0 },
];

const COLUMNS = ['id', 'type', 'at', 'company_id', 'counterpart_company_id', 'data', 'dedupe_key'];

function noticeSql(dialect: Dialect, notice: ExpiryNotice): string {
  const dedupe = concatSql(dialect, '?', 'k.id');
  const data = [
    "'userKeyId', k.id",
    "'ownerId', k.owner_id",
    `'expiresAt', ${isoTimestampSql(dialect, 'k.expires_at')}`,
    ...(notice.daysBefore === null ? [] : [`'daysBefore', ${notice.daysBefore}`]),
  ];
  return insertSkippingDuplicates(
    dialect,
    'access_event',
    COLUMNS,
    `SELECT ${rowIdSql(dialect, 'k.id')}, ?, ?, k.company_id, NULL, JSON_OBJECT(${data.join(', ')}), ${dedupe}
     FROM user_key k
     WHERE k.revoked_at IS NULL AND k.expires_at > ? AND k.expires_at <= ?
       AND NOT EXISTS (SELECT 1 FROM access_event e WHERE e.dedupe_key = ${dedupe})`,
  );
}

/**
 * R35: the expiry sweep — one set-based `INSERT … SELECT` per notice over `user_key`, in the
 * caller's transaction. The unique `dedupe_key` makes each notice once-only even when two
 * instances sweep at once; the NOT EXISTS only spares the statement rewriting notices already
 * sent. Returns the number of notices written (for the log).
 */
export async function sweepKeyExpiry(manager: EntityManager, now: Date): Promise<number> {
  const dialect = dialectOf(manager);
  let written = 0;
  for (const notice of NOTICES) {
    const from = sqlTime(new Date(now.getTime() + notice.from));
    const to = sqlTime(new Date(now.getTime() + notice.to));
    written += await affectedRows(manager, noticeSql(dialect, notice), [
      rowIdBase('accessEvent'),
      notice.type,
      sqlTime(now),
      notice.dedupe,
      from,
      to,
      notice.dedupe,
    ]);
  }
  return written;
}
