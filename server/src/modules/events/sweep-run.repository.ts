import { dialectOf, insertSkippingDuplicates, sqlTime } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { SweepRun } from './sweep-run.entity';

/** The record of which instance ran which period of a periodic sweep. */
export const sweepRunRepository = defineRepository(SweepRun, {
  /**
   * Inserts this instance's claim of the period unless one exists, then reads who holds it: the
   * primary key (sweep, period) lets exactly one insert succeed. The row, not the insert's count,
   * says who won: MySQL counts a skipped duplicate as an affected row (mysql2 asks for found rows).
   */
  async claim(sweep: string, period: Date, instance: string, now: Date): Promise<string | null> {
    const sql = insertSkippingDuplicates(
      dialectOf(this.manager),
      'sweep_run',
      ['sweep', 'period_start', 'instance', 'started_at'],
      'SELECT ?, ?, ?, ? FROM (SELECT 1 AS one) AS x WHERE 1 = 1',
    );
    await this.manager.query(sql, [sweep, sqlTime(period), instance, sqlTime(now)]);
    const [winner]: { instance: string }[] = await this.manager.query(
      'SELECT instance FROM sweep_run WHERE sweep = ? AND period_start = ?',
      [sweep, sqlTime(period)],
    );
    return winner?.instance ?? null;
  },

  /** Stamps the period's run finished. */
  async finish(sweep: string, period: Date, now: Date): Promise<void> {
    await this.manager.query('UPDATE sweep_run SET finished_at = ? WHERE sweep = ? AND period_start = ?', [
      sqlTime(now),
      sweep,
      sqlTime(period),
    ]);
  },

  /** Drops the records of periods that started before `before`. */
  async deleteStartedBefore(before: Date): Promise<void> {
    await this.manager.query('DELETE FROM sweep_run WHERE period_start < ?', [sqlTime(before)]);
  },
});
