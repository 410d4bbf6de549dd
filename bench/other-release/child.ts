import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { ownUsage } from '../child-process';
import type { FromChild, OtherCredentials, ToChild } from './protocol';

/**
 * Runs in a child process of the bench (BENCH_OTHER_RELEASE): serves another release of Nøkkel —
 * a built checkout of an earlier commit — with that release's own bench server, data builder and
 * database, so the bench can measure it in the same turns as this one. Its modules are loaded from
 * the other checkout's `dist/bench` (each release's type-graphql keeps its metadata in a global,
 * so two releases cannot share one process). Its CPU time is reported on request.
 *
 * The other release's bench modules are used through the few functions every release's bench has
 * had since the first one (d7451ff): createBenchServer, buildDataInChild, BENCH_SIZES, loginAs,
 * benchDatabase, recreateDatabase, dropDatabase.
 */

interface OtherData {
  mainClientId: string;
  admin: { email: string; password: string };
  /** Later releases' data sets mark the partner keys with a network allowlist. */
  partners: { token: string; allowlisted?: boolean }[];
}
interface OtherServer {
  listen(port: number, host: string): Promise<string>;
  close(): Promise<void>;
  setStatementCounting(on: boolean): void;
}
interface OtherDatabase {
  config: unknown;
}

/** The first module of the other release's bench that exists under one of `names`. */
function load<T>(dir: string, ...names: string[]): T {
  for (const name of names) {
    const path = join(dir, 'dist', 'bench', name);
    try {
      require.resolve(path);
    } catch {
      continue;
    }
    return require(path) as T; // eslint-disable-line @typescript-eslint/no-require-imports
  }
  throw new Error(
    `the other release has no built bench module ${names.join(' or ')} (run its npm ci and npm run build)`,
  );
}

function send(message: FromChild): void {
  process.send?.(message);
}

let stop: (() => Promise<void>) | null = null;

async function start(dir: string, databaseUrl: string): Promise<void> {
  const begun = performance.now();
  process.env.NODE_ENV = 'production';
  process.env.BENCH_OTHER_DATABASE_URL = databaseUrl;
  load(dir, 'production-env.js');
  const { benchDatabase } = load<{ benchDatabase(v: string, fallback: string): OtherDatabase }>(dir, 'settings.js');
  const admin = load<{ recreateDatabase(c: unknown): Promise<void>; dropDatabase(c: unknown): Promise<void> }>(
    dir,
    'database-admin.js',
  );
  const { buildDataInChild } = load<{ buildDataInChild(c: unknown, sizes: unknown): Promise<OtherData> }>(
    dir,
    'build-data.js',
    'data-set/build-in-child.js',
  );
  const { BENCH_SIZES } = load<{ BENCH_SIZES: unknown }>(dir, 'data-builder.js', 'data-set/sizes.js');
  const { createBenchServer } = load<{
    createBenchServer(c: unknown, executor: string): Promise<{ server: OtherServer }>;
  }>(dir, 'nokkel.js');
  const { loginAs } = load<{ loginAs(url: string, email: string, password: string): Promise<OtherCredentials> }>(
    dir,
    'graphql.js',
  );
  const { config } = benchDatabase('BENCH_OTHER_DATABASE_URL', databaseUrl);
  await admin.recreateDatabase(config);
  const data = await buildDataInChild(config, BENCH_SIZES);
  // its default executor (later releases ask for it by name; the first one takes no second argument)
  const { server } = await createBenchServer(config, 'jit');
  const url = await server.listen(0, '127.0.0.1');
  stop = async () => {
    await server.close();
    await admin.dropDatabase(config);
  };
  const session = await loginAs(url, data.admin.email, data.admin.password);
  // measured as production runs, as this release's servers are: without counting statements
  server.setStatementCounting(false);
  send({
    type: 'ready',
    url,
    // a key without a network allowlist: the first release had none, so every release is measured alike
    partner: {
      token: (data.partners.find((p) => !p.allowlisted) ?? data.partners[0]).token,
      companyId: data.mainClientId,
    },
    session,
    seconds: (performance.now() - begun) / 1000,
  });
}

const dir = process.env.BENCH_OTHER_RELEASE ?? '';
process.on('message', (message: ToChild) => {
  if (message.type === 'cpu') {
    const { cpu, maxRssMb } = ownUsage();
    send({ type: 'cpu', usage: cpu, maxRssMb });
  } else if (message.type === 'start')
    start(dir, message.databaseUrl).catch((error: unknown) => {
      send({ type: 'failed', message: error instanceof Error ? error.message : String(error) });
      process.exitCode = 1;
      process.disconnect?.();
    });
  else
    void (stop ? stop() : Promise.resolve())
      .catch(() => undefined)
      .finally(() => {
        send({ type: 'stopped' });
        process.disconnect?.();
      });
});
