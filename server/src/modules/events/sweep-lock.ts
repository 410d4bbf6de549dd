import type { Database } from '../../db/database';
import { dialectOf, insertSkippingDuplicates, sqlTime } from '../../db/dialect';

/** The start of the period `now` falls in, for a sweep run every `intervalMs`. */
export function periodStart(now: Date, intervalMs: number): Date {
  return new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
}

/**
 * R38: claims one period of a periodic sweep for this instance. Every instance tries; the
 * primary key (sweep, period) lets exactly one insert succeed, whatever the timing — a lock, not
 * luck. Returns whether this instance should run the sweep.
 */
export async function claimSweepPeriod(
  db: Database,
  sweep: string,
  period: Date,
  instance: string,
  now: Date,
): Promise<boolean> {
  return db.transaction(async (manager) => {
    const sql = insertSkippingDuplicates(
      dialectOf(manager),
      'sweep_run',
      ['sweep', 'period_start', 'instance', 'started_at'],
      'SELECT ?, ?, ?, ? FROM (SELECT 1 AS one) AS x WHERE 1 = 1',
    );
    await manager.query(sql, [sweep, sqlTime(period), instance, sqlTime(now)]);
    // the row says who won: MySQL counts a skipped duplicate as an affected row (mysql2 asks for
    // found rows), so the insert's count cannot tell; the instance names are unique per process
    const [winner]: { instance: string }[] = await manager.query(
      'SELECT instance FROM sweep_run WHERE sweep = ? AND period_start = ?',
      [sweep, sqlTime(period)],
    );
    return winner?.instance === instance;
  });
}

/** Records that the sweep of a period finished (operators read it; nothing depends on it). */
export async function finishSweepPeriod(db: Database, sweep: string, period: Date, now: Date): Promise<void> {
  await db.manager.query('UPDATE sweep_run SET finished_at = ? WHERE sweep = ? AND period_start = ?', [
    sqlTime(now),
    sweep,
    sqlTime(period),
  ]);
}
