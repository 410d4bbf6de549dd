import 'reflect-metadata';
import { QueryFailedError } from 'typeorm';
import { Database } from '../../../server/src/db/database';
import { isUniqueViolation } from '../../../server/src/db/errors';
import { inScopeWith } from '../../../server/src/db/work-scope';
import { ENTITIES } from '../../../server/src/modules/entities';
import { testDatabaseKind } from '../../testkit/database';
import { useProbeDatabase } from '../../testkit/probe-database';

// Issue 19 (bulk-link, total-count, tenant-fairness on SQLite): better-sqlite3 runs a statement
// synchronously, so on the event loop a statement of a second stops every other request for that
// second. The statements run in worker threads; these tests hold on SQLite only.
const onSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

/** One statement of CPU work in SQLite (a recursive count), inserted as one row: a long write. */
const LONG_WRITE = `INSERT INTO probe (id, flag)
  SELECT 'long', count(*) FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 3000000) SELECT x FROM c)`;

onSqlite('SQLite: statements run off the event loop', () => {
  const database = useProbeDatabase({
    migrate: true,
    extraSql: ['CREATE TABLE crossing (id INTEGER PRIMARY KEY, data BLOB, big INTEGER, note TEXT)'],
  });

  test('while one request’s long write runs, the event loop turns and another request’s read is answered', async () => {
    const order: string[] = [];
    let dispatched!: () => void;
    const longWriteSent = new Promise<void>((resolve) => (dispatched = resolve));
    const write = database()
      .transaction(async (manager) => {
        await manager.query("INSERT INTO probe (id, flag) VALUES ('first', 0)");
        const long = manager.query(LONG_WRITE);
        dispatched();
        await long;
      })
      .then(() => order.push('write'));
    // another request (outside the transaction) reads once the long statement has been sent
    await longWriteSent;
    await new Promise((resolve) => setImmediate(resolve));
    const read = database()
      .manager.query('SELECT id FROM probe WHERE id = ?', ['committed'])
      .then((rows: { id: string }[]) => order.push(`read ${rows.map((r) => r.id).join()}`));
    // count the event loop's turns until the write is answered
    let turns = 0;
    let writing = true;
    void write.then(() => (writing = false));
    const spin = async () => {
      while (writing) {
        await new Promise((resolve) => setImmediate(resolve));
        turns += 1;
      }
    };
    await Promise.all([write, read, spin()]);
    expect(order).toEqual(['read committed', 'write']);
    expect(turns).toBeGreaterThanOrEqual(10);
    await expect(database().manager.query("SELECT flag FROM probe WHERE id = 'long'")).resolves.toEqual([
      { flag: 3000000 },
    ]);
  });

  test('one tenant’s backlog of heavy reads does not hold another tenant’s read behind all of it', async () => {
    const heavy =
      'SELECT count(*) AS n FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < ?) SELECT x FROM c)';
    const order: string[] = [];
    const read = (tenant: string, sql: string, params: unknown[], name: string) =>
      inScopeWith({ tenant }, () => database().manager.query(sql, params)).then(() => order.push(name));
    const backlog = Array.from({ length: 8 }, (_, i) => read('busy', heavy, [400000], `busy ${i}`));
    const other = read('other', 'SELECT id FROM probe WHERE id = ?', ['committed'], 'other');
    await Promise.all([...backlog, other]);
    // two readers, a tenant on one of them at a time: the other tenant's read finds the second free
    expect(order.indexOf('other')).toBeLessThanOrEqual(1);
  });

  test('values cross the threads intact: Buffer, bigint, null; writes answer affected rows and the row id', async () => {
    const data = Buffer.from([0, 1, 2, 254, 255]);
    const runner = database().dataSource.createQueryRunner();
    const written = await runner.query(
      'INSERT INTO crossing (id, data, big, note) VALUES (?, ?, ?, ?)',
      [7, data, 9007199254740991n, null],
      true,
    );
    expect(written.affected).toBe(1);
    expect(written.raw).toBe(7);
    const rows: { data: Buffer; big: number; note: null }[] = await database().manager.query(
      'SELECT data, big, note FROM crossing WHERE data = ?',
      [data],
    );
    expect(rows).toHaveLength(1);
    expect(Buffer.isBuffer(rows[0].data)).toBe(true);
    expect(rows[0].data.equals(data)).toBe(true);
    expect(rows[0].big).toBe(9007199254740991);
    expect(rows[0].note).toBeNull();
    const read = await runner.query('SELECT id FROM crossing WHERE id = ?', [true], true);
    expect(read.records).toEqual([]);
    expect(read.raw).toEqual([]);
    const updated = await runner.query('UPDATE crossing SET note = ? WHERE id > ?', ['x', 0], true);
    expect(updated.affected).toBe(1);
  });

  test('a failing statement is a QueryFailedError carrying the driver’s code, on the writer and on a reader', async () => {
    const duplicate = database().manager.query("INSERT INTO probe (id, flag) VALUES ('committed', 0)");
    await expect(duplicate).rejects.toBeInstanceOf(QueryFailedError);
    const error = await duplicate.catch((e: unknown) => e);
    expect(isUniqueViolation(error)).toBe(true);
    expect((error as QueryFailedError).driverError).toMatchObject({ name: 'SqliteError' });
    await expect(database().manager.query('SELECT missing FROM no_such_table')).rejects.toThrow(/no such table/);
    await expect(database().manager.query('SELECT ? AS a', [])).rejects.toBeInstanceOf(QueryFailedError);
  });

  test('an in-memory database runs on the main thread, as before', async () => {
    const memory = new Database({ dialect: 'sqlite', path: ':memory:' }, ENTITIES);
    await memory.connect();
    try {
      await memory.manager.query('CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)');
      await memory.transaction((manager) =>
        manager.query('INSERT INTO t (id, data) VALUES (?, ?)', [1, Buffer.from('a')]),
      );
      await expect(memory.manager.query('SELECT id, data FROM t')).resolves.toEqual([
        { id: 1, data: Buffer.from('a') },
      ]);
    } finally {
      await memory.close();
    }
  });
});
