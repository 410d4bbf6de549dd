import { BackgroundWriter } from '../../db/background-writer';
import { dialectOf, greatestSql, onDuplicateUpdate, sqlTime } from '../../db/dialect';
import type { Database } from '../../db/database';
import { usageNetwork } from '../../shared/networks';

const FLUSH_INTERVAL_MS = 5_000;
const ROWS_PER_STATEMENT = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
/** R30: how far back `UserKey.recentNetworks` looks; older rows are pruned. */
export const RECENT_NETWORKS_DAYS = 30;

interface Use {
  userKeyId: string;
  network: string;
  day: string;
  requests: number;
  lastSeenAt: Date;
}

/** One row of `UserKey.recentNetworks`. */
export interface NetworkUse {
  network: string;
  requests: number;
  lastSeenAt: Date;
}

/**
 * R30: counts the networks (/24, /64) each key is used from without touching the request path —
 * as `KeyUsageTracker` does for lastUsedAt: uses are counted in memory and added to the per-day
 * rows in the background, one upsert per 500 rows per flush.
 */
export class KeyNetworkTracker extends BackgroundWriter {
  protected readonly flushIntervalMs = FLUSH_INTERVAL_MS;

  private pending = new Map<string, Use>();
  private prunedDay = '';
  private readonly networks = new Map<string, string | null>();

  /** Notes one request of a key from an address; cheap, never waits for the database. */
  note(userKeyId: string, address: string, at: Date): void {
    const network = this.networkOf(address);
    if (network === null) return;
    const day = at.toISOString().slice(0, 10);
    const id = `${userKeyId} ${network} ${day}`;
    const use = this.pending.get(id);
    if (use) {
      use.requests++;
      if (at > use.lastSeenAt) use.lastSeenAt = at;
    } else this.pending.set(id, { userKeyId, network, day, requests: 1, lastSeenAt: at });
  }

  /** The /24 or /64 of an address, remembered: it is asked on every request of a key. */
  private networkOf(address: string): string | null {
    let network = this.networks.get(address);
    if (network === undefined) {
      network = usageNetwork(address);
      if (this.networks.size >= 10_000) this.networks.clear();
      this.networks.set(address, network);
    }
    return network;
  }

  /** Adds the counted uses to the database (called by the timer, on shutdown, and by tests). */
  async flush(now: Date = new Date()): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending = new Map();
    try {
      for (let i = 0; i < batch.length; i += ROWS_PER_STATEMENT) {
        await this.write(batch.slice(i, i + ROWS_PER_STATEMENT));
      }
      await this.prune(now);
    } catch (error) {
      this.log.warn({ err: (error as Error).message }, 'could not record the networks keys were used from');
    }
  }

  private async write(rows: Use[]): Promise<void> {
    if (!rows.length) return;
    const dialect = dialectOf(this.db.manager);
    const values = rows.map(() => '(?, ?, ?, ?, ?)').join(', ');
    const upsert = onDuplicateUpdate(dialect, ['user_key_id', 'network', 'day'], {
      requests: (current, incoming) => `${current} + ${incoming}`,
      last_seen_at: (current, incoming) => greatestSql(dialect, current, incoming),
    });
    await this.db.manager.query(
      `INSERT INTO key_network_use (user_key_id, network, day, requests, last_seen_at) VALUES ${values} ${upsert}`,
      rows.flatMap((r) => [r.userKeyId, r.network, r.day, r.requests, sqlTime(r.lastSeenAt)]),
    );
  }

  /** Drops the days no query looks at any more, once a day per process. */
  private async prune(now: Date): Promise<void> {
    const today = now.toISOString().slice(0, 10);
    if (this.prunedDay === today) return;
    this.prunedDay = today;
    await this.db.manager.query('DELETE FROM key_network_use WHERE day < ?', [firstRecentDay(now)]);
  }
}

function firstRecentDay(now: Date): string {
  return new Date(now.getTime() - (RECENT_NETWORKS_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The most networks `UserKey.recentNetworks` lists. */
export const MAX_RECENT_NETWORKS = 100;

/** R30: the networks a key was used from in the last 30 days, most recently seen first (at most 100). */
export async function recentNetworks(db: Database, userKeyId: string, now: Date): Promise<NetworkUse[]> {
  const rows: { network: string; requests: number | string; last_seen_at: Date | string }[] = await db.manager.query(
    `SELECT network, SUM(requests) AS requests, MAX(last_seen_at) AS last_seen_at FROM key_network_use
     WHERE user_key_id = ? AND day >= ? GROUP BY network ORDER BY MAX(last_seen_at) DESC, network LIMIT ?`,
    [userKeyId, firstRecentDay(now), MAX_RECENT_NETWORKS],
  );
  return rows.map((r) => ({
    network: r.network,
    requests: Number(r.requests),
    lastSeenAt: r.last_seen_at instanceof Date ? r.last_seen_at : new Date(`${r.last_seen_at.replace(' ', 'T')}Z`),
  }));
}
