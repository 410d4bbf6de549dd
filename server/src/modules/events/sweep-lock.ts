import type { Database } from '../../db/database';
import { sweepRunRepository } from './sweep-run.repository';

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
  const winner = await db.transaction((manager) => sweepRunRepository(manager).claim(sweep, period, instance, now));
  // the instance names are unique per process
  return winner === instance;
}

/** Records that the sweep of a period finished (operators read it; nothing depends on it). */
export async function finishSweepPeriod(db: Database, sweep: string, period: Date, now: Date): Promise<void> {
  await sweepRunRepository(db.manager).finish(sweep, period, now);
}
