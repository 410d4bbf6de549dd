import { Writable } from 'node:stream';
import { loadConfig, type Config, type Executor } from '../server/src/config';
import type { DatabaseConfig } from '../server/src/db/database';
import { createServer, type NokkelServer } from '../server/src/server';

/**
 * Our server as production runs it (NODE_ENV=production settings), with the statement
 * count exposed, rate limits out of the way and log level warn. Warnings and errors it logs are
 * kept in memory and counted, not printed (the access log is at info level, so it is off). The
 * bench runs one with each executor, each in a process of its own (servers/child.ts).
 */
export async function createBenchServer(
  database: DatabaseConfig,
  executor: Executor,
): Promise<{ server: NokkelServer; logLines: string[] }> {
  const base = loadConfig({ ...process.env, NODE_ENV: 'production' });
  const config: Config = {
    // the environment's settings apply (e.g. MAX_CONCURRENT_COST), in production mode
    ...base,
    database,
    executor,
    seedDemo: false,
    exposeStatementCount: true,
    logLevel: 'warn',
    rateLimits: {
      requestsPerMinute: 1_000_000_000,
      costPerMinute: 1_000_000_000,
      loginsPerEmail: 100_000,
      loginsPerAccount: 100_000,
      loginsPerIp: 1_000_000,
      prefix: 'nokkel-bench',
    },
    redisUrl: null,
    // every simulated client calls from 127.0.0.1: the per-address edge limits are out of the way too
    edge: {
      ...base.edge,
      maxConnectionsPerAddress: 1_000_000,
      addressBudget: {
        requestsPerMinute: 1_000_000_000,
        authFailuresPer15Minutes: 1_000_000_000,
        badRequestsPerMinute: 1_000_000_000,
      },
    },
  };
  const logLines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (logLines.length < 1000) logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const server = await createServer({ config, logDestination: destination });
  return { server, logLines };
}
