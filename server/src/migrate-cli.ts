import 'reflect-metadata';
import { loadConfig } from './config';
import { Database, describeDatabase } from './db/database';
import { ENTITIES } from './modules/entities';

/** `npm run migrate`: applies the pending migrations (MySQL/MariaDB or the SQLite file). */
async function main(): Promise<void> {
  const config = loadConfig();
  const db = new Database(config.database, ENTITIES, (m) => process.stderr.write(m + '\n'));
  const started = Date.now();
  await db.connect();
  try {
    const ran = await db.prepareSchema();
    const what = `${ran.length} migration(s) applied${ran.length ? ': ' + ran.join(', ') : ''}`;
    console.log(`${describeDatabase(config.database)}: ${what} in ${Date.now() - started} ms`);
  } finally {
    await db.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`migrate failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
