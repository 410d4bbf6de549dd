import type { EntityManager } from 'typeorm';
import type { Database } from '../../db/database';
import { outboxEventRepository, outboxSequenceRepository } from './outbox.repository';

const SEQUENCE = 'access_event';

/**
 * Work done in the relay's transaction for the events it just numbered (`fromSeq` < seq ≤
 * `toSeq`): queueing webhook deliveries. Being in the same transaction, an event is never
 * numbered without its deliveries, nor queued twice.
 */
export type RelaySubscriber = (
  manager: EntityManager,
  range: { fromSeq: number; toSeq: number },
  now: Date,
) => Promise<void>;

/**
 * R35/R38: numbers committed events in the order they become visible, and hands each batch to
 * the subscribers (webhook deliveries). Events get their ids when emitted, inside transactions
 * that may commit in any order, so ids cannot tell a poller which events it has seen; the
 * relay's numbers can, because it gives them out one batch at a time, holding the sequence row.
 */
export class OutboxRelay {
  private sequenceReady = false;

  constructor(
    private readonly db: Database,
    private readonly subscribers: readonly RelaySubscriber[],
    private readonly batchSize = 5_000,
  ) {}

  private async ensureSequence(): Promise<void> {
    if (this.sequenceReady) return;
    await this.db.transaction((manager) => outboxSequenceRepository(manager).ensure(SEQUENCE));
    this.sequenceReady = true;
  }

  /**
   * Numbers one batch of committed events. Returns how many; 0 when there were none or another
   * instance holds the sequence right now (it is relaying them).
   */
  async relayBatch(now: Date): Promise<number> {
    await this.ensureSequence();
    return this.db.transaction(async (manager) => {
      const sequence = outboxSequenceRepository(manager);
      const events = outboxEventRepository(manager);
      // the sequence is claimed first, so nothing the previous relay numbered is seen again and
      // nothing committed is skipped
      const last = await sequence.claim(SEQUENCE);
      if (last === null) return 0;
      const ids = await events.unnumbered(this.batchSize);
      if (!ids.length) return 0;
      await events.number(ids, last);
      const range = { fromSeq: last, toSeq: last + ids.length };
      for (const subscriber of this.subscribers) await subscriber(manager, range, now);
      await sequence.advance(SEQUENCE, range.toSeq);
      return ids.length;
    });
  }

  /** Relays until no committed event is left unnumbered (or another instance is at it). */
  async relayAll(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await this.relayBatch(now);
      total += n;
      if (n < this.batchSize) return total;
    }
  }
}
