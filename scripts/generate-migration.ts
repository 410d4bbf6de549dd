import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import { Database, parseDatabaseUrl } from '../server/src/db/database';

/**
 * `npm run migration:generate -- <Name>`: compares the entities with a MySQL/MariaDB database at
 * MIGRATION_DATABASE_URL (migrated to the latest version) and writes the difference as a new
 * migration under server/src/db/migrations. Add it to the list in migrations/index.ts.
 */
async function main(): Promise<void> {
  const name = process.argv[2];
  const url = process.env.MIGRATION_DATABASE_URL;
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name))
    throw new Error('usage: npm run migration:generate -- <PascalCaseName>');
  if (!url) throw new Error('set MIGRATION_DATABASE_URL=mysql://root@127.0.0.1:3306/<scratch database>');
  const db = new Database(parseDatabaseUrl(url));
  await db.connect();
  try {
    await db.prepareSchema();
    const sql = await db.dataSource.driver.createSchemaBuilder().log();
    if (!sql.upQueries.length) {
      console.log('No changes: the migrations already match the entities.');
      return;
    }
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const q = (s: string) => '`' + s.replace(/`/g, '\\`') + '`';
    const up = sql.upQueries.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const down = sql.downQueries
      .reverse()
      .map((x) => `    await queryRunner.query(${q(x.query)});`)
      .join('\n');
    const file = `server/src/db/migrations/${timestamp}-${name}.ts`;
    writeFileSync(
      file,
      `import type { MigrationInterface, QueryRunner } from 'typeorm';\n\nexport class ${className} implements MigrationInterface {\n  name = '${className}';\n\n  async up(queryRunner: QueryRunner): Promise<void> {\n${up}\n  }\n\n  async down(queryRunner: QueryRunner): Promise<void> {\n${down}\n  }\n}\n`,
    );
    console.log(
      `wrote ${file} (${sql.upQueries.length} statements). Add ${className} to server/src/db/migrations/index.ts.`,
    );
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
