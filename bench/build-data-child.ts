import './production-env';
import { performance } from 'node:perf_hooks';
import { Database, type DatabaseConfig } from '../server/src/db/database';
import { buildData, type BenchData, type DataSizes } from './data-builder';

/**
 * Builds the data set in a short-lived child process, so the memory the build uses never counts
 * in the RSS of the server process that is measured. The schema comes from the server's own code
 * (migrations on MySQL/MariaDB, synchronisation on SQLite).
 */

export type BuildRequest = { database: DatabaseConfig; sizes: DataSizes };
export type BuildReply = { type: 'built'; data: BenchData } | { type: 'failed'; message: string };

async function build({ database, sizes }: BuildRequest): Promise<BenchData> {
  const db = new Database(database, (message) => console.error(message));
  await db.connect();
  try {
    const started = performance.now();
    const migrations = await db.prepareSchema();
    console.log(
      `schema by the server's own ${database.dialect === 'mysql' ? `migrations (${migrations.length} run)` : 'synchronisation'}: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    console.log('data set (multi-row INSERTs):');
    return await buildData(db.manager, database.dialect, sizes);
  } finally {
    await db.close();
  }
}

process.once('message', (request: BuildRequest) => {
  build(request).then(
    (data) => process.send?.({ type: 'built', data } satisfies BuildReply, () => process.disconnect?.()),
    (error: unknown) =>
      process.send?.(
        {
          type: 'failed',
          message: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies BuildReply,
        () => process.disconnect?.(),
      ),
  );
});
