import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { DatabaseConfig } from '../../server/src/db/database';
import type { BuildReply, BuildRequest } from './child';
import type { BenchData, DataSizes } from './sizes';

/** Builds the schema and the data set in a child process (see child.ts); returns what was built. */
export function buildDataInChild(database: DatabaseConfig, sizes: DataSizes): Promise<BenchData> {
  const child = fork(join(__dirname, 'child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    let reply: BuildReply | null = null;
    child.once('message', (message: BuildReply) => (reply = message));
    child.once('error', reject);
    child.once('exit', (code) => {
      const r = reply as BuildReply | null;
      if (r?.type === 'built') resolve(r.data);
      else reject(new Error(r?.type === 'failed' ? r.message : `the data builder exited with code ${code}`));
    });
    child.send({ database, sizes } satisfies BuildRequest);
  });
}
