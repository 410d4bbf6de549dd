import { Database } from '../../server/src/db/database';
import { ENTITIES } from '../../server/src/modules/entities';
import { createTestDatabase, type TestDatabase } from './database';

/**
 * A Database of its own for a file that tests the database layer itself (no server), with a
 * `probe` table holding one committed row ('committed', 1). `extraSql` runs after it (more tables).
 * Returns a getter: the database exists once beforeAll has run.
 */
export function useProbeDatabase(options: { migrate?: boolean; extraSql?: string[] } = {}): () => Database {
  let testDb: TestDatabase;
  let db: Database;
  beforeAll(async () => {
    testDb = await createTestDatabase();
    db = new Database(testDb.config, ENTITIES);
    await db.connect();
    if (options.migrate) await db.prepareSchema();
    await db.manager.query('CREATE TABLE probe (id TEXT PRIMARY KEY, flag INTEGER NOT NULL)');
    await db.manager.query("INSERT INTO probe (id, flag) VALUES ('committed', 1)");
    for (const sql of options.extraSql ?? []) await db.manager.query(sql);
  });
  afterAll(async () => {
    await db.close();
    await testDb.drop();
  });
  return () => db;
}
