import '../production-env';
import { performance } from 'node:perf_hooks';
import { Database, type DatabaseConfig } from '../../server/src/db/database';
import { ENTITIES } from '../../server/src/modules/entities';
import { BulkInsertManager } from '../../server/src/seed/bulk-insert-manager';
import { SeedBuilder } from '../../server/src/seed/seed-builder';
import { buildData } from './build';
import type { BenchData, DataSizes } from './sizes';

/**
 * Builds the data set in a short-lived child process, so the memory the build uses never counts
 * in the RSS of the server process that is measured. The schema comes from the server's own code
 * (migrations on MySQL/MariaDB, synchronisation on SQLite), the rows from its SeedBuilder in bulk
 * mode (multi-row INSERTs).
 */

export type BuildRequest = { database: DatabaseConfig; sizes: DataSizes };
export type BuildReply = { type: 'built'; data: BenchData } | { type: 'failed'; message: string };

const seconds = (ms: number): string => (ms / 1000).toFixed(2);

async function build({ database, sizes }: BuildRequest): Promise<BenchData> {
  const db = new Database(database, ENTITIES, (message) => console.error(message));
  await db.connect();
  try {
    let started = performance.now();
    const migrations = await db.prepareSchema();
    console.log(
      `schema by the server's own ${database.dialect === 'mysql' ? `migrations (${migrations.length} run)` : 'synchronisation'}: ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    started = performance.now();
    const bulk = new BulkInsertManager(db.dataSource, sizes.chunkRows);
    const data = await buildData(new SeedBuilder(bulk), sizes);
    await bulk.flush();
    console.log(
      `data set (SeedBuilder in bulk mode, up to ${sizes.chunkRows} rows per INSERT): ${seconds(performance.now() - started)} s`,
    );
    for (const t of bulk.tables())
      console.log(
        `  ${t.table.padEnd(16)} ${String(t.rows).padStart(7)} rows  ${String(t.statements).padStart(3)} statements  ${seconds(t.ms).padStart(6)} s`,
      );
    return data;
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
