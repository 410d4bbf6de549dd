import { testExecutor } from './executor';
import { Writable } from 'node:stream';
import { loadConfig, type Config } from '../../server/src/config';
import { SeedBuilder } from '../../server/src/seed/seed-builder';
import { createServer, type NokkelServer } from '../../server/src/server';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from './database';
import { GraphQLClient } from './graphql-client';
import { uniqueRedisPrefix } from './redis';
import { issuedSecrets } from './secrets-seen';

export interface TestApp {
  url: string;
  server: NokkelServer;
  seed: SeedBuilder;
  api: GraphQLClient;
  database: 'sqlite' | 'mariadb';
  /** Every log line the server wrote. */
  logs: string[];
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** MySQL/MariaDB only: the server reaches the database through this proxy (port on 127.0.0.1). */
  proxyPort?: number;
  /** A database made beforehand (e.g. by an earlier release's migrations) instead of a fresh one; close() drops it. */
  database?: TestDatabase;
}

/** A running server on a fresh database of its own (one per test file), listening on a free port. */
export async function startTestApp(overrides: Partial<Config> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  if (options.proxyPort && database.config.dialect === 'mysql') {
    const url = new URL(database.config.url);
    url.hostname = '127.0.0.1';
    url.port = String(options.proxyPort);
    database.config = { ...database.config, url: url.toString() };
  }
  const base = loadConfig({ NODE_ENV: 'test' });
  const config: Config = {
    ...base,
    seedDemo: false,
    executor: testExecutor(),
    exposeStatementCount: true,
    logLevel: 'info',
    // generous limits, so suites that log in or call a lot do not trip them; rate-limit tests override
    rateLimits: {
      requestsPerMinute: 1_000_000,
      costPerMinute: 100_000_000,
      loginsPerEmail: 10_000,
      loginsPerAccount: 10_000,
      loginsPerIp: 100_000,
      // unique to this server: suites sharing one Redis never count each other's requests
      prefix: uniqueRedisPrefix(),
    },
    // likewise at the edge: every test calls from 127.0.0.1; edge tests override
    edge: {
      ...base.edge,
      maxConnectionsPerAddress: 100_000,
      addressBudget: {
        requestsPerMinute: 100_000_000,
        authFailuresPer15Minutes: 10_000_000,
        badRequestsPerMinute: 100_000_000,
      },
      // refusals answered at once: suites that spend a budget on purpose do not wait; edge tests hold them
      refusalHoldMs: 0,
    },
    ...overrides,
    database: database.config,
  };
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const server = await createServer({ config, logDestination: destination });
  const url = await server.listen(0, '127.0.0.1');
  const api = new GraphQLClient(`${url}/graphql`);
  return {
    url,
    server,
    seed: new SeedBuilder(server.db.manager),
    api,
    database: testDatabaseKind(),
    logs,
    async close() {
      await server.close();
      await database.drop();
      const leaked = logs.filter((line) => [...issuedSecrets].some((s) => line.includes(s)));
      if (leaked.length) throw new Error(`a secret appeared in ${leaked.length} log line(s)`);
    },
  };
}
