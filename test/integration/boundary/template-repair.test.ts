import { Permission, PermissionSet } from '../../../server/src/auth/permission';
import { newId } from '../../../server/src/shared/ids';
import { startTestApp, type TestApp } from '../../testkit/app';
import { ALL_PERMISSIONS, buildWorld, type World } from '../../testkit/world';

/**
 * R22's clean-up of stored templates: on MySQL/MariaDB the AuthorizationCore migration removes the
 * administration permissions from every template; the embedded SQLite database (synchronised from
 * the entities) gets the same repair at every start-up.
 */

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp();
  world = await buildWorld(app.seed);
});
afterAll(() => app.close());

const ADMINISTRATION = PermissionSet.of([Permission.USER_ADMIN, Permission.ACCOUNT_ADMIN, Permission.CLIENT_ADMIN]);

async function bitsOf(id: string): Promise<number> {
  const [row] = await app.server.db.manager.query('SELECT permission_bits AS bits FROM access_template WHERE id = ?', [
    id,
  ]);
  return Number(row.bits);
}

test('R22: templates stored with administration permissions lose them (migration on MariaDB, start-up on SQLite), and keep the rest', async () => {
  const { dataSource } = app.server.db;
  const id = newId('accessTemplate');
  const all = PermissionSet.of(ALL_PERMISSIONS).bits;
  const insert = (columns: string, values: unknown[]) =>
    dataSource.query(`INSERT INTO access_template (${columns}) VALUES (${values.map(() => '?').join(', ')})`, values);
  const now = new Date();
  if (app.database === 'mariadb') {
    // back to the schema before the migration, a template as it could be stored then, migrate again
    await dataSource.undoLastMigration();
    await insert('id, office_id, name, permission_bits, created_at, updated_at', [
      id,
      world.office.id,
      'Gammel mal',
      all,
      now,
      now,
    ]);
    expect(await bitsOf(id)).toBe(all);
    await dataSource.runMigrations();
  } else {
    await insert('id, office_id, name, permission_bits, created_at, updated_at', [
      id,
      world.office.id,
      'Gammel mal',
      all,
      now.toISOString().replace('T', ' ').replace('Z', ''),
      now.toISOString().replace('T', ' ').replace('Z', ''),
    ]);
    expect(await bitsOf(id)).toBe(all);
    // what the server does when it starts on an existing database file
    await app.server.db.prepareSchema();
  }
  expect(await bitsOf(id)).toBe(all & ~ADMINISTRATION.bits);
  // the other templates keep theirs, and the repaired one got its look-alike key for unique names
  expect(await bitsOf(world.bokforing.id)).toBe(world.bokforing.permissionBits);
  const [row] = await dataSource.query('SELECT name_key FROM access_template WHERE id = ?', [id]);
  expect(row.name_key).toMatch(/^[0-9a-f]{64}$/);
});
