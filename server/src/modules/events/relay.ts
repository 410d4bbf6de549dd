import type { EntityManager } from 'typeorm';
import { claimClause, dialectOf, insertSkippingDuplicates, jsonRowSource, type Dialect } from '../../db/dialect';
import type { Database } from '../../db/database';

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
 * Gives each listed event its number, in one statement whatever their count: a 5,000-client bulk
 * link emits 10,000 events, which an UPDATE … CASE of 500 ids took twenty transactions to number
 * (docs/PERFORMANCE.md). The ids come from a plain (non-locking) SELECT: an UPDATE that chose
 * them itself would wait for the row locks of events still being emitted in open transactions.
 */
function numbering(dialect: Dialect, ids: string[], last: number): [string, unknown[]] {
  const rows = jsonRowSource(dialect, ['id', { name: 'seq', type: 'BIGINT' }]);
  const sql =
    dialect === 'mysql'
      ? `UPDATE access_event e JOIN ${rows.from} ON e.id = ${rows.col('id')} SET e.seq = ${rows.col('seq')}`
      : `UPDATE access_event SET seq = ${rows.col('seq')} FROM ${rows.from} WHERE access_event.id = ${rows.col('id')}`;
  return [sql, [JSON.stringify(ids.map((id, i) => [id, last + i + 1]))]];
}

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
    await this.db.transaction((manager) =>
      manager.query(
        insertSkippingDuplicates(
          dialectOf(manager),
          'outbox_sequence',
          ['name', 'last_seq'],
          'SELECT ?, 0 FROM (SELECT 1 AS one) AS x WHERE 1 = 1',
        ),
        [SEQUENCE],
      ),
    );
    this.sequenceReady = true;
  }

  /**
   * Numbers one batch of committed events. Returns how many; 0 when there were none or another
   * instance holds the sequence right now (it is relaying them).
   */
  async relayBatch(now: Date): Promise<number> {
    await this.ensureSequence();
    return this.db.transaction(async (manager) => {
      const dialect = dialectOf(manager);
      // the locking read comes first, so the snapshot of the SELECT below is taken after the
      // previous relay committed: nothing it numbered is seen again, nothing committed is skipped
      const sequence: { last_seq: number | string }[] = await manager.query(
        `SELECT last_seq FROM outbox_sequence WHERE name = ?${claimClause(dialect)}`,
        [SEQUENCE],
      );
      if (!sequence.length) return 0;
      const last = Number(sequence[0].last_seq);
      const pending: { id: string }[] = await manager.query(
        'SELECT id FROM access_event WHERE seq IS NULL ORDER BY id LIMIT ?',
        [this.batchSize],
      );
      if (!pending.length) return 0;
      const ids = pending.map((row) => row.id);
      await manager.query(...numbering(dialect, ids, last));
      const range = { fromSeq: last, toSeq: last + ids.length };
      for (const subscriber of this.subscribers) await subscriber(manager, range, now);
      await manager.query('UPDATE outbox_sequence SET last_seq = ? WHERE name = ?', [range.toSeq, SEQUENCE]);
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
