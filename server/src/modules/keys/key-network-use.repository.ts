import { dialectOf, greatestSql, onDuplicateUpdate, sqlTime } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { KeyNetworkUse } from './key-network-use.entity';

/** Requests of a key from a network on a day, counted in memory, to add to the day's row. */
export interface NetworkUseCount {
  userKeyId: string;
  network: string;
  day: string;
  requests: number;
  lastSeenAt: Date;
}

/** One network a key was used from, summed over the days asked for: a row of `UserKey.recentNetworks`. */
export interface NetworkUse {
  network: string;
  requests: number;
  lastSeenAt: Date;
}

/** R30: the per-day counts of the networks each key is used from. */
export const keyNetworkUseRepository = defineRepository(KeyNetworkUse, {
  /** Adds the counts to their days' rows (created if new), in one upsert for all of them. */
  async add(counts: NetworkUseCount[]): Promise<void> {
    const dialect = dialectOf(this.manager);
    const values = counts.map(() => '(?, ?, ?, ?, ?)').join(', ');
    const upsert = onDuplicateUpdate(dialect, ['user_key_id', 'network', 'day'], {
      requests: (current, incoming) => `${current} + ${incoming}`,
      last_seen_at: (current, incoming) => greatestSql(dialect, current, incoming),
    });
    await this.manager.query(
      `INSERT INTO key_network_use (user_key_id, network, day, requests, last_seen_at) VALUES ${values} ${upsert}`,
      counts.flatMap((r) => [r.userKeyId, r.network, r.day, r.requests, sqlTime(r.lastSeenAt)]),
    );
  },

  /** Drops the rows of days before `day` (YYYY-MM-DD). */
  async deleteBefore(day: string): Promise<void> {
    await this.manager.query('DELETE FROM key_network_use WHERE day < ?', [day]);
  },

  /** The key's networks since `day`, most recently seen first, at most `limit`, in one GROUP BY. */
  async recent(userKeyId: string, day: string, limit: number): Promise<NetworkUse[]> {
    const rows: { network: string; requests: number | string; last_seen_at: Date | string }[] =
      await this.manager.query(
        `SELECT network, SUM(requests) AS requests, MAX(last_seen_at) AS last_seen_at FROM key_network_use
     WHERE user_key_id = ? AND day >= ? GROUP BY network ORDER BY MAX(last_seen_at) DESC, network LIMIT ?`,
        [userKeyId, day, limit],
      );
    return rows.map((r) => ({
      network: r.network,
      requests: Number(r.requests),
      // SQLite gives the aggregate back as text, in UTC
      lastSeenAt: r.last_seen_at instanceof Date ? r.last_seen_at : new Date(`${r.last_seen_at.replace(' ', 'T')}Z`),
    }));
  },
});
