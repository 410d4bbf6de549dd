import { BackgroundWriter } from '../../db/background-writer';
import type { Database } from '../../db/database';
import { usageDay } from '../../rules/usage';
import { usageNetwork } from '../../shared/networks';
import { keyNetworkUseRepository, type NetworkUseCount, type NetworkUse } from './key-network-use.repository';

const FLUSH_INTERVAL_MS = 5_000;
const ROWS_PER_STATEMENT = 500;
const DAY_MS = 24 * 60 * 60 * 1000;
/** R30: how far back `UserKey.recentNetworks` looks; older rows are pruned. */
export const RECENT_NETWORKS_DAYS = 30;

/**
 * R30: counts the networks (/24, /64) each key is used from without touching the request path —
 * as `KeyUsageTracker` does for lastUsedAt: uses are counted in memory and added to the per-day
 * rows in the background, one upsert per 500 rows per flush.
 */
export class KeyNetworkTracker extends BackgroundWriter {
  protected readonly flushIntervalMs = FLUSH_INTERVAL_MS;

  private pending = new Map<string, NetworkUseCount>();
  private prunedDay = '';
  private readonly networks = new Map<string, string | null>();

  /** Notes one request of a key from an address; cheap, never waits for the database. */
  note(userKeyId: string, address: string, at: Date): void {
    const network = this.networkOf(address);
    if (network === null) return;
    const day = usageDay(at);
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

  private async write(rows: NetworkUseCount[]): Promise<void> {
    if (!rows.length) return;
    await keyNetworkUseRepository(this.db.manager).add(rows);
  }

  /** Drops the days no query looks at any more, once a day per process. */
  private async prune(now: Date): Promise<void> {
    const today = now.toISOString().slice(0, 10);
    if (this.prunedDay === today) return;
    this.prunedDay = today;
    await keyNetworkUseRepository(this.db.manager).deleteBefore(firstRecentDay(now));
  }
}

function firstRecentDay(now: Date): string {
  return new Date(now.getTime() - (RECENT_NETWORKS_DAYS - 1) * DAY_MS).toISOString().slice(0, 10);
}

/** The most networks `UserKey.recentNetworks` lists. */
export const MAX_RECENT_NETWORKS = 100;

/** R30: the networks a key was used from in the last 30 days, most recently seen first (at most 100). */
export function recentNetworks(db: Database, userKeyId: string, now: Date): Promise<NetworkUse[]> {
  return keyNetworkUseRepository(db.manager).recent(userKeyId, firstRecentDay(now), MAX_RECENT_NETWORKS);
}
