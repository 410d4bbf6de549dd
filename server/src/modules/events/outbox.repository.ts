import { claimClause, dialectOf, insertSkippingDuplicates, placeholders } from '../../db/dialect';
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

  /** Numbers `ids` in their order from `last + 1`, in one statement for the whole batch. */
  async number(ids: string[], last: number): Promise<void> {
    const cases = ids.map(() => 'WHEN ? THEN ?').join(' ');
    await this.manager.query(
      `UPDATE access_event SET seq = CASE id ${cases} END WHERE id IN (${placeholders(ids.length)})`,
      [...ids.flatMap((id, i) => [id, last + i + 1]), ...ids],
    );
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
