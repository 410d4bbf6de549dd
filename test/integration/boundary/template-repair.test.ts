import { Permission, PermissionSet } from '../../../server/src/auth/permission';
import { newId } from '../../../server/src/shared/ids';
import { ALL_PERMISSIONS } from '../../testkit/world';
import { useWorld } from '../../testkit/run';

/**
 * R22's clean-up of stored templates: the AuthorizationCore migration removes the administration
 * permissions from every template, on MySQL/MariaDB and on SQLite (where it is the repair alone:
 * the schema is in SQLite's baseline).
 */

const kit = useWorld();

const ADMINISTRATION = PermissionSet.of([Permission.USER_ADMIN, Permission.ACCOUNT_ADMIN, Permission.CLIENT_ADMIN]);

async function bitsOf(id: string): Promise<number> {
  const [row] = await kit.app.server.db.manager.query(
    'SELECT permission_bits AS bits FROM access_template WHERE id = ?',
    [id],
  );
  return Number(row.bits);
}

test('R22: templates stored with administration permissions lose them in the upgrade, and keep the rest', async () => {
  const { dataSource } = kit.app.server.db;
  const id = newId('accessTemplate');
  const all = PermissionSet.of(ALL_PERMISSIONS).bits;
  // back to the schema before the migration (undoing any later ones first)
  const lastApplied = async () =>
    ((await dataSource.query('SELECT name FROM migrations ORDER BY id DESC LIMIT 1')) as { name: string }[])[0]?.name;
  while ((await lastApplied()) !== 'AuthorizationCore1796005743263') await dataSource.undoLastMigration();
  await dataSource.undoLastMigration();
  // a template as it could be stored then, then what the server does when it starts on that database
  const now = kit.app.database === 'mariadb' ? new Date() : new Date().toISOString().replace('T', ' ').replace('Z', '');
  await dataSource.query(
    'INSERT INTO access_template (id, office_id, name, permission_bits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)',
    [id, kit.world.office.id, 'Gammel mal', all, now, now],
  );
  expect(await bitsOf(id)).toBe(all);
  await kit.app.server.db.prepareSchema();
  expect(await bitsOf(id)).toBe(all & ~ADMINISTRATION.bits);
  // the other templates keep theirs, and the repaired one got its look-alike key for unique names
  expect(await bitsOf(kit.world.bokforing.id)).toBe(kit.world.bokforing.permissionBits);
  const [row] = await dataSource.query('SELECT name_key FROM access_template WHERE id = ?', [id]);
  expect(row.name_key).toMatch(/^[0-9a-f]{64}$/);
});
