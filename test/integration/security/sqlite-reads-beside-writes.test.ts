import 'reflect-metadata';
import { testDatabaseKind } from '../../testkit/database';
import { useProbeDatabase } from '../../testkit/probe-database';

// Issue 19 (finding 7 on SQLite): a long write transaction (a bulk link of thousands of clients)
// must not hold every other tenant's reads for its whole length. SQLite only: on MariaDB reads
// never waited for another connection's transaction.
const onSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

onSqlite('SQLite: plain reads beside a write transaction', () => {
  const database = useProbeDatabase();

  /** A transaction that inserts a row and then holds the connection until `release` is called. */
  function holdingTransaction(id: string) {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let inside!: () => void;
    const entered = new Promise<void>((resolve) => (inside = resolve));
    const done = database().transaction(async (manager) => {
      await manager.query('INSERT INTO probe (id, flag) VALUES (?, ?)', [id, true]);
      // the transaction's own reads see its row
      const own = await manager.query('SELECT id FROM probe WHERE id = ?', [id]);
      expect(own).toEqual([{ id }]);
      inside();
      await held;
    });
    return { entered, release, done };
  }

  test('a read does not wait for another request’s transaction, and does not see its uncommitted rows', async () => {
    const tx = holdingTransaction('uncommitted');
    await tx.entered;
    let finished = false;
    const read = database()
      .manager.query('SELECT id FROM probe WHERE flag = ? ORDER BY id', [true])
      .then((rows: { id: string }[]) => {
        finished = true;
        return rows;
      });
    // the read is answered while the transaction still holds the connection
    await expect(read).resolves.toEqual([{ id: 'committed' }]);
    expect(finished).toBe(true);
    tx.release();
    await tx.done;
    // once committed, the row is there for every reader
    await expect(database().manager.query('SELECT id FROM probe ORDER BY id')).resolves.toEqual([
      { id: 'committed' },
      { id: 'uncommitted' },
    ]);
  });

  test('a write outside a transaction still waits its turn', async () => {
    const tx = holdingTransaction('first');
    await tx.entered;
    let written = false;
    const write = database()
      .manager.query("INSERT INTO probe (id, flag) VALUES ('second', 0)")
      .then(() => (written = true));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(written).toBe(false);
    tx.release();
    await Promise.all([tx.done, write]);
    expect(written).toBe(true);
    const rows: { id: string }[] = await database().manager.query(
      "SELECT id FROM probe WHERE id IN ('first', 'second') ORDER BY id",
    );
    expect(rows.map((r) => r.id)).toEqual(['first', 'second']);
  });

  test('a failing read beside a transaction is a query error, not a hang', async () => {
    const tx = holdingTransaction('third');
    await tx.entered;
    await expect(database().manager.query('SELECT missing_column FROM no_such_table')).rejects.toThrow(/no such table/);
    tx.release();
    await tx.done;
  });
});
