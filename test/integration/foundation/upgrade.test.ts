import { DataSource } from 'typeorm';
import { hashPassword } from '../../../server/src/auth/password';
import { Database } from '../../../server/src/db/database';
import { ENTITIES } from '../../../server/src/modules/entities';
import { MIGRATIONS } from '../../../server/src/db/migrations';
import { ADMINISTRATION } from '../../../server/src/rules/client-access';
import { newId } from '../../../server/src/shared/ids';
import { Permission, PermissionSet } from '../../../server/src/shared/permission';
import { startTestApp, type TestApp } from '../../testkit/app';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../testkit/database';

/**
 * An upgrade keeps the data: a database made by an earlier release's migrations, holding data,
 * is opened by the current server, which runs the migrations it lacks and serves the same data.
 */

/** The last migration of the release before this one (the migrations list at that release ended here). */
const PREVIOUS_RELEASE = 'AuthorizationCore1796005743263';
/** The first release: Initial and KeyRestoredBy. */
const FIRST_RELEASE = 'KeyRestoredBy1795647122304';

const at = '2026-01-02 03:04:05.000';
const ALL = PermissionSet.of(Object.values(Permission)).bits;

/** Runs the migrations up to and including `last` on `database`, then `fill`, then closes it. */
async function makeDatabaseOfRelease(
  database: TestDatabase,
  last: string,
  fill: (query: (sql: string, params?: unknown[]) => Promise<unknown>) => Promise<void>,
): Promise<void> {
  const current = new Database(database.config, ENTITIES);
  await current.connect();
  const upTo = MIGRATIONS.slice(0, MIGRATIONS.findIndex((m) => new m().name === last) + 1);
  expect(upTo.length).toBeGreaterThan(0);
  const earlier = new DataSource({ ...current.dataSource.options, migrations: upTo });
  await current.close();
  await earlier.initialize();
  try {
    expect((await earlier.runMigrations({ transaction: 'each' })).map((m) => m.name).at(-1)).toBe(last);
    await fill((sql, params) => earlier.query(sql, params));
  } finally {
    await earlier.destroy();
  }
}

/** A company with one administrator who can log in, an access template and a key, as rows of that release. */
async function insertCompany(query: (sql: string, params?: unknown[]) => Promise<unknown>, ids: Ids): Promise<void> {
  await query(
    `INSERT INTO company (id, name, org_number, kind, next_invoice_number, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [ids.company, 'Gammel Regnskap AS', '912345678', 'ACCOUNTING_OFFICE', 1, at],
  );
  await query(
    `INSERT INTO employee (id, company_id, name, email, password_hash, permission_bits, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    [ids.employee, ids.company, 'Gunn Gammel', 'gunn@gammel.example', await hashPassword('old-password'), ALL, at],
  );
  await query(
    `INSERT INTO access_template (id, office_id, name, permission_bits, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    [ids.template, ids.company, 'Gammel mal', ids.templateBits, at, at],
  );
}

interface Ids {
  company: string;
  employee: string;
  template: string;
  /** The template's permissions as stored by that release (the first one let a template hold administration). */
  templateBits: number;
}

const newIds = (templateBits = ALL & ~ADMINISTRATION.bits): Ids => ({
  company: newId('company'),
  employee: newId('employee'),
  template: newId('accessTemplate'),
  templateBits,
});

/** What every upgraded database must show: the migrations all ran, the schema is the entities', the data is served. */
async function expectUpgraded(app: TestApp, ids: Ids): Promise<void> {
  const { dataSource } = app.server.db;
  expect(await dataSource.showMigrations()).toBe(false);
  const applied: { name: string }[] = await dataSource.query('SELECT name FROM migrations ORDER BY id');
  expect(applied.map((m) => m.name)).toEqual(MIGRATIONS.map((m) => new m().name));
  expect((await dataSource.driver.createSchemaBuilder().log()).upQueries.map((q) => q.query)).toEqual([]);

  const token = await app.api.login('gunn@gammel.example', 'old-password');
  const res = await app.api.request(
    '{ viewer { company { id name orgNumber } employee { id name } } accessTemplates { id name permissions } }',
    {},
    { token },
  );
  expect(res.errors).toEqual([]);
  expect(res.data.viewer).toEqual({
    company: { id: ids.company, name: 'Gammel Regnskap AS', orgNumber: '912345678' },
    employee: { id: ids.employee, name: 'Gunn Gammel' },
  });
  // R22: a template keeps its permissions except administration ones (which the first release let it hold)
  const template = res.data.accessTemplates.find((t: { id: string }) => t.id === ids.template);
  expect(template.name).toBe('Gammel mal');
  expect(PermissionSet.of(template.permissions).bits).toBe(ALL & ~ADMINISTRATION.bits);
}

test('a database made by the previous release opens with the current server, migrates and keeps its data', async () => {
  const database = await createTestDatabase();
  const ids = newIds();
  await makeDatabaseOfRelease(database, PREVIOUS_RELEASE, (query) => insertCompany(query, ids));
  const app = await startTestApp({}, { database });
  try {
    await expectUpgraded(app, ids);
  } finally {
    await app.close();
  }
});

test('a database of the first release keeps a restored key’s provenance through the column’s rename (MariaDB history)', async () => {
  if (testDatabaseKind() !== 'mariadb') return; // SQLite's history starts at the baseline (sqlite-baseline.ts)
  const database = await createTestDatabase();
  const ids = newIds(ALL);
  const [restorer, restored] = [newId('userKey'), newId('userKey')];
  await makeDatabaseOfRelease(database, FIRST_RELEASE, async (query) => {
    await insertCompany(query, ids);
    for (const [id, name, restoredBy] of [
      [restorer, 'Restorer', null],
      [restored, 'Restored', restorer],
    ] as const)
      await query(
        `INSERT INTO user_key (id, company_id, owner_id, name, kind, access_mode, permission_bits, secret_hash, secret_version, token_hint, created_by_employee_id, restored_by_user_key_id, created_at)
         VALUES (?, ?, ?, ?, 'EMPLOYEE', 'COPY_EMPLOYEE', 1, ?, 1, 'nkl_…', ?, ?, ?)`,
        [id, ids.company, ids.employee, name, id.padEnd(64, '0').slice(0, 64), ids.employee, restoredBy, at],
      );
  });
  const app = await startTestApp({}, { database });
  try {
    await expectUpgraded(app, ids);
    const rows: { id: string; secret_issued_by_user_key_id: string | null; secret_holder_id: string }[] =
      await app.server.db.dataSource.query(
        'SELECT id, secret_issued_by_user_key_id, secret_holder_id FROM user_key WHERE company_id = ? ORDER BY name',
        [ids.company],
      );
    expect(rows).toEqual([
      { id: restored, secret_issued_by_user_key_id: restorer, secret_holder_id: restored },
      { id: restorer, secret_issued_by_user_key_id: null, secret_holder_id: restorer },
    ]);
  } finally {
    await app.close();
  }
});

test('a SQLite file synchronised by a release from before SQLite ran migrations is taken over with its data', async () => {
  if (testDatabaseKind() !== 'sqlite') return; // MySQL/MariaDB always ran migrations
  const database = await createTestDatabase();
  const ids = newIds();
  await makeDatabaseOfRelease(database, PREVIOUS_RELEASE, async (query) => {
    await insertCompany(query, ids);
    // such a file has the schema but no record of migrations
    await query('DROP TABLE migrations');
  });
  const app = await startTestApp({}, { database });
  try {
    await expectUpgraded(app, ids);
  } finally {
    await app.close();
  }
});
