import { In } from 'typeorm';
import { BackgroundWriter } from '../../db/background-writer';
import { UserKey } from './user-key.entity';

const WRITE_INTERVAL_MS = 60_000;
const FLUSH_INTERVAL_MS = 5_000;

/**
 * Keeps `UserKey.lastUsedAt` without touching the request path: uses are noted in memory and
 * written in the background by one UPDATE per flush, at most once a minute per key. The stored
 * time is the last use noted before the flush (accurate to the flush interval, 5 s).
 */
export class KeyUsageTracker extends BackgroundWriter {
  protected readonly flushIntervalMs = FLUSH_INTERVAL_MS;

  private readonly pending = new Map<string, Date>();
  private readonly written = new Map<string, number>();

  /** Notes that a key was used; cheap, never waits for the database. */
  touch(key: Pick<UserKey, 'id' | 'lastUsedAt'>, at: Date): void {
    const last = Math.max(this.written.get(key.id) ?? 0, key.lastUsedAt?.getTime() ?? 0);
    if (at.getTime() - last >= WRITE_INTERVAL_MS) this.pending.set(key.id, at);
  }

  /** Writes the noted uses (called by the timer, on shutdown, and by tests). */
  async flush(): Promise<void> {
    if (!this.pending.size) return;
    const batch = [...this.pending];
    this.pending.clear();
    const latest = Math.max(...batch.map(([, at]) => at.getTime()));
    batch.forEach(([id]) => this.written.set(id, latest));
    try {
      await this.db.manager.update(UserKey, { id: In(batch.map(([id]) => id)) }, { lastUsedAt: new Date(latest) });
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'could not record key usage');
    }
    if (this.written.size > 100_000) this.written.clear();
  }
}
