import { claimClause, dialectOf, insertSkippingDuplicates, jsonRowSource } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { AccessEvent } from './access-event.entity';
import { OutboxSequence } from './outbox-sequence.entity';

/** The relay's sequence rows: the last number given to an event, per sequence. */
export const outboxSequenceRepository = defineRepository(OutboxSequence, {
  /** Creates the sequence at 0 unless it exists: instances starting together all ask, one inserts. */
  async ensure(name: string): Promise<void> {
    await this.manager.query(
      insertSkippingDuplicates(
        dialectOf(this.manager),
        'outbox_sequence',
        ['name', 'last_seq'],
        'SELECT ?, 0 FROM (SELECT 1 AS one) AS x WHERE 1 = 1',
      ),
      [name],
    );
  },

  /**
   * The sequence's last number, its row locked until the transaction ends; null when another
   * instance holds it (it skips the locked row instead of queueing: that instance is relaying). The
   * locking read comes first in the transaction, so the snapshot of later reads is taken after the
   * previous relay committed.
   */
  async claim(name: string): Promise<number | null> {
    const rows: { last_seq: number | string }[] = await this.manager.query(
      `SELECT last_seq FROM outbox_sequence WHERE name = ?${claimClause(dialectOf(this.manager))}`,
      [name],
    );
    return rows.length ? Number(rows[0].last_seq) : null;
  },

  /** Moves the sequence to `lastSeq`, in the claiming transaction. */
  async advance(name: string, lastSeq: number): Promise<void> {
    await this.manager.query('UPDATE outbox_sequence SET last_seq = ? WHERE name = ?', [lastSeq, name]);
  },
});

/** The access events as the outbox sees them: numbered by the relay, dropped after retention. */
export const outboxEventRepository = defineRepository(AccessEvent, {
  /** The ids of committed events without a number yet, oldest id first, at most `limit`. */
  async unnumbered(limit: number): Promise<string[]> {
    const rows: { id: string }[] = await this.manager.query(
      'SELECT id FROM access_event WHERE seq IS NULL ORDER BY id LIMIT ?',
      [limit],
    );
    return rows.map((row) => row.id);
  },

  /**
   * Numbers `ids` in their order from `last + 1`, in one statement whatever their count: a
   * 5,000-client bulk link emits 10,000 events, which an UPDATE … CASE of 500 ids took twenty
   * transactions to number (docs/PERFORMANCE.md). The ids come from `unnumbered`, a plain
   * (non-locking) SELECT: an UPDATE that chose them itself would wait for the row locks of events
   * still being emitted in open transactions. MySQL updates through a join, SQLite with FROM.
   */
  async number(ids: string[], last: number): Promise<void> {
    const dialect = dialectOf(this.manager);
    const rows = jsonRowSource(dialect, ['id', { name: 'seq', type: 'BIGINT' }]);
    const sql =
      dialect === 'mysql'
        ? `UPDATE access_event e JOIN ${rows.from} ON e.id = ${rows.col('id')} SET e.seq = ${rows.col('seq')}`
        : `UPDATE access_event SET seq = ${rows.col('seq')} FROM ${rows.from} WHERE access_event.id = ${rows.col('id')}`;
    await this.manager.query(sql, [JSON.stringify(ids.map((id, i) => [id, last + i + 1]))]);
  },

  /**
   * Drops relayed events from before `before` (an SQL time) that no delivery refers to any more:
   * a pending delivery keeps its event.
   */
  async deleteRelayedBefore(before: string): Promise<void> {
    await this.manager.query(
      `DELETE FROM access_event WHERE at < ? AND seq IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM webhook_delivery d WHERE d.event_id = access_event.id)`,
      [before],
    );
  },
});
