import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Database, parseDatabaseUrl, type DatabaseConfig } from '../server/src/db/database';
import { ENTITIES } from '../server/src/modules/entities';

type Statements = { up: string[]; down: string[] };

/** The statements that bring a database, migrated to the latest migration, to the entities. */
async function pendingChanges(config: DatabaseConfig): Promise<Statements> {
  const db = new Database(config, ENTITIES);
  await db.connect();
  try {
    await db.prepareSchema();
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    return { up: sql.upQueries.map((x) => x.query), down: sql.downQueries.reverse().map((x) => x.query) };
  } finally {
    await db.close();
  }
}

const quote = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
const body = (statements: string[], indent: string) =>
  statements.map((x) => `${indent}await queryRunner.query(${quote(x)});`).join('\n');

/** A method that runs the SQLite statements on SQLite and the MySQL/MariaDB ones elsewhere. */
function method(name: keyof Statements, mysql: Statements, sqlite: Statements): string {
  const signature = `  async ${name}(queryRunner: QueryRunner): Promise<void> {`;
  return [
    signature,
    '    if (onSqlite(queryRunner)) {',
    body(sqlite[name], '      '),
    '      return;',
    '    }',
    body(mysql[name], '    '),
    '  }',
  ].join('\n');
}

/**
 * `npm run migration:generate -- <Name>`: compares the entities with a MySQL/MariaDB database at
 * MIGRATION_DATABASE_URL and with a SQLite database in memory, both migrated to the latest
 * version, and writes the two differences as one new migration under server/src/db/migrations.
 * Add it to the list in migrations/index.ts.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const url = process.env.MIGRATION_DATABASE_URL;
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  if (!url) throw new Error('set MIGRATION_DATABASE_URL=mysql://root@127.0.0.1:3306/<scratch database>');
  const mysql = await pendingChanges(parseDatabaseUrl(url));
  const sqlite = await pendingChanges({ dialect: 'sqlite', path: ':memory:' });
  if (!mysql.up.length && !sqlite.up.length) {
    console.log('No changes: the migrations already match the entities.');
    return;
  }
  const timestamp = Date.now();
  const className = `${name}${timestamp}`;
  const file = `server/src/db/migrations/${timestamp}-${name}.ts`;
  writeFileSync(
    file,
    [
      `import type { MigrationInterface, QueryRunner } from 'typeorm';`,
      `import { onSqlite } from './dialect';`,
      '',
      `export class ${className} implements MigrationInterface {`,
      `  name = '${className}';`,
      '',
      method('up', mysql, sqlite),
      '',
      method('down', mysql, sqlite),
      '}',
      '',
    ].join('\n'),
  );
  console.log(
    `wrote ${file} (${mysql.up.length} MySQL/MariaDB and ${sqlite.up.length} SQLite statements). Add ${className} to server/src/db/migrations/index.ts.`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
