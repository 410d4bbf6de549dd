import { readFileSync } from 'node:fs';
import { printNokkelSchema, SCHEMA_FILE } from '../../../server/src/schema/print-schema';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ seed: false });

test(`the database schema matches the entities exactly (no pending changes)`, async () => {
  const pending = await kit.app.server.db.dataSource.driver.createSchemaBuilder().log();
  expect(pending.upQueries.map((q) => q.query)).toEqual([]);
});

test('every migration ran (SQLite too: nothing is synchronised), and they can be undone and re-applied', async () => {
  const { dataSource } = kit.app.server.db;
  expect(dataSource.options.synchronize).toBe(false);
  expect(await dataSource.showMigrations()).toBe(false);
  const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  expect(applied.map((m) => m.name)).toEqual(dataSource.migrations.map((m) => m.name));
  for (let i = 0; i < dataSource.migrations.length; i++) await dataSource.undoLastMigration();
  const tables: unknown[] = await dataSource.query(
    kit.app.database === 'mariadb'
      ? "SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name <> 'migrations'"
      : "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT IN ('migrations', 'sqlite_sequence')",
  );
  expect(tables).toEqual([]);
  await dataSource.runMigrations();
  expect((await dataSource.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
});

test('the committed schema/schema.graphql is what the server emits, with @requires visible', () => {
  const committed = readFileSync(SCHEMA_FILE, 'utf8');
  expect(committed).toBe(printNokkelSchema());
  expect(committed).toContain('annualSalary: Int @requires(permission: PAYROLL_READ)');
});

test('the database the file runs on is the one its project names', () => {
  expect(['sqlite', 'mariadb']).toContain(kit.app.database);
  expect(kit.app.server.db.dialect).toBe(kit.app.database === 'mariadb' ? 'mysql' : 'sqlite');
});
