import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Database } from '../../../server/src/db/database';
import { ENTITIES } from '../../../server/src/modules/entities';
import { emitAccessEvents } from '../../../server/src/modules/events/emit';
import { SeedBuilder } from '../../../server/src/seed/seed-builder';
import { seedDemoStructure } from '../../../server/src/seed/demo';
import { createTestDatabase, testDatabaseKind, type TestDatabase } from '../../testkit/database';
import { GraphQLClient } from '../../testkit/graphql-client';
import { startServerProcess, type ServerProcess } from '../../testkit/server-process';
import { testNeeding } from '../../testkit/needs';
import { issuedSecrets } from '../../testkit/secrets-seen';
import { keyCreated } from './helpers';
import { CREATE_ENDPOINT } from './documents';
import { Receiver } from './receiver';
import { uniqueRedisPrefix } from '../../testkit/redis';

/**
 * R38 with real processes: `node dist/server/src/main.js`, as `npm start` runs it, several at once
 * on one MariaDB database (or one at a time on the embedded SQLite file), one of them killed
 * with SIGKILL while it is delivering.
 */

const ENGINE_ENV = {
  SEED_DEMO: 'off',
  EVENTS_POLL_INTERVAL_MS: '100',
  EVENTS_SWEEP_INTERVAL_MS: '1000',
  WEBHOOK_ALLOW_PRIVATE_NETWORKS: 'on',
  WEBHOOK_BACKOFF_BASE_MS: '50',
  WEBHOOK_TIMEOUT_MS: '3000',
  WEBHOOK_LEASE_MS: '4000',
  WEBHOOK_CONCURRENCY: '2',
};

interface Fixture {
  database: TestDatabase;
  db: Database;
  officeId: string;
}

async function prepare(): Promise<Fixture> {
  const database = await createTestDatabase();
  const db = new Database(database.config, ENTITIES);
  await db.connect();
  await db.prepareSchema();
  const demo = await seedDemoStructure(new SeedBuilder(db.manager), { withAccountant: false });
  return { database, db, officeId: demo.office.id };
}

function databaseEnv(fixture: Fixture): Record<string, string> {
  const config = fixture.database.config;
  return { DATABASE_URL: config.dialect === 'mysql' ? config.url : `sqlite:${config.path}` };
}

async function createEndpoints(url: string, receiver: Receiver, paths: string[]): Promise<void> {
  const api = new GraphQLClient(`${url}/graphql`);
  const token = await api.login('kari@regnskap.example');
  for (const path of paths) {
    const res = await api.request(
      CREATE_ENDPOINT,
      { input: { url: `${receiver.url}${path}`, eventTypes: ['user_key.created'] } },
      { token },
    );
    if (res.errors.length) throw new Error(JSON.stringify(res.errors));
    issuedSecrets.add(res.data.createWebhookEndpoint.secret);
    receiver.trust(path, res.data.createWebhookEndpoint.secret);
  }
}

/** The pid of the instance leasing an endpoint (instance names are host:pid:random). */
async function leaseHolder(db: Database, path: string): Promise<number | null> {
  const rows: { lease_owner: string | null }[] = await db.manager.query(
    'SELECT lease_owner FROM webhook_endpoint WHERE url LIKE ?',
    [`%${path}`],
  );
  const owner = rows[0]?.lease_owner;
  return owner ? Number(owner.split(':')[1]) : null;
}

/** What went wrong in the processes, for a failing test's message. */
function trouble(processes: ServerProcess[]): string {
  return processes
    .flatMap((p) => p.output().split('\n'))
    .filter((line) => /"level":(40|50|60)|Error/.test(line))
    .slice(-20)
    .join('\n');
}

/** Waits for a condition, failing with the processes' warnings if it does not come. */
async function waitFor(
  receiver: Receiver,
  processes: ServerProcess[],
  what: string,
  ms: number,
  predicate: () => boolean,
) {
  try {
    await receiver.until(predicate, ms);
  } catch {
    throw new Error(`${what}: not within ${ms} ms. The processes said:\n${trouble(processes)}`);
  }
}

/** Each (sweep, period) the processes logged as run, with how many times. */
function sweepRuns(processes: ServerProcess[]): Map<string, number> {
  const runs = new Map<string, number>();
  for (const p of processes) {
    for (const line of p.output().split('\n')) {
      if (!line.startsWith('{')) continue;
      const entry = JSON.parse(line) as { msg?: string; sweep?: string; period?: string };
      if (entry.msg !== 'sweep ran') continue;
      const key = `${entry.sweep}@${entry.period}`;
      runs.set(key, (runs.get(key) ?? 0) + 1);
    }
  }
  return runs;
}

const exited = (p: ServerProcess) =>
  p.child.exitCode !== null || p.child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((resolve) => p.child.once('exit', () => resolve()));

/** Stops every server process still running, then the receiver, and drops the test's database and files. */
async function stopCluster(
  processes: ServerProcess[],
  receiver: Receiver,
  fixture: Fixture,
  dir: string,
): Promise<void> {
  for (const p of processes) if (p.child.exitCode === null && p.child.signalCode === null) p.child.kill('SIGTERM');
  await Promise.all(processes.map(exited));
  await receiver.close();
  await fixture.db.close();
  await fixture.database.drop();
  rmSync(dir, { recursive: true, force: true });
}

// deployed as a cluster is: MariaDB and Redis
const onMariaDb = testDatabaseKind() === 'mariadb' ? testNeeding('redis') : test.skip;
const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

onMariaDb(
  'R38: three processes on one database, 200 events, one killed mid-delivery — every event delivered, never two in flight per endpoint, each sweep once per period',
  async () => {
    const fixture = await prepare();
    const receiver = await new Receiver().start();
    const processes: ServerProcess[] = [];
    const dir = mkdtempSync(join(tmpdir(), 'nokkel-many-'));
    try {
      // deployed as a cluster is: one database, and Redis for the shared rate limits (the engine needs none)
      const cluster = {
        ...ENGINE_ENV,
        ...databaseEnv(fixture),
        REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
        RATE_LIMIT_PREFIX: uniqueRedisPrefix('nokkel-events-test'),
      };
      for (let i = 0; i < 3; i++) processes.push(await startServerProcess(join(dir, 'unused.sqlite'), cluster));
      const paths = ['/victim', '/b', '/c', '/d'];
      await createEndpoints(processes[0].url, receiver, paths);
      for (const path of paths) receiver.delay(path, 2);
      receiver.hold('/victim');

      const expected: string[] = [];
      for (let batch = 0; batch < 50; batch++) {
        const ids = Array.from({ length: 4 }, (_, i) => `key_many_${String(batch * 4 + i).padStart(3, '0')}`);
        expected.push(...ids);
        await fixture.db.transaction((m) =>
          emitAccessEvents(
            m,
            ids.map((id) => keyCreated(fixture.officeId, id)),
          ),
        );
      }

      // the victim endpoint's first delivery is held open by the receiver: kill whoever sends it
      await waitFor(
        receiver,
        processes,
        'the first delivery to /victim',
        60_000,
        () => receiver.for('/victim').length === 1,
      );
      const pid = await leaseHolder(fixture.db, '/victim');
      const victim = processes.find((p) => p.child.pid === pid);
      expect(victim).toBeDefined();
      victim!.child.kill('SIGKILL');
      await exited(victim!);
      const inFlight = receiver.for('/victim')[0].id;
      receiver.release('/victim');

      const deliveredTo = (path: string) => new Set(receiver.for(path).map((r) => r.payload.data.userKeyId));
      await waitFor(receiver, processes, 'every event at every endpoint', 120_000, () =>
        paths.every((path) => deliveredTo(path).size === 200),
      );

      for (const path of paths) {
        const order = receiver.for(path).map((r) => String(r.payload.data.userKeyId));
        expect(order.filter((id, i) => order.indexOf(id) === i)).toEqual(expected);
        expect(receiver.for(path).every((r) => r.verifiedWith.length === 1)).toBe(true);
      }
      // what was in flight when its sender died was sent again by a survivor
      expect(receiver.for('/victim').filter((r) => r.id === inFlight).length).toBeGreaterThanOrEqual(2);
      expect(receiver.overlaps).toEqual([]);
      // the receiver has answered the last one; its sender records it a moment later
      const undelivered = async () =>
        Number(
          (
            await fixture.db.manager.query<{ n: number | string }[]>(
              "SELECT COUNT(*) AS n FROM webhook_delivery WHERE status <> 'DELIVERED'",
            )
          )[0].n,
        );
      for (let i = 0; i < 100 && (await undelivered()) > 0; i++) await new Promise((r) => setTimeout(r, 100));
      expect(await undelivered()).toBe(0);

      const runs = sweepRuns(processes);
      expect(runs.size).toBeGreaterThanOrEqual(3);
      expect([...runs.values()].every((n) => n === 1)).toBe(true);
      const recorded: { n: number | string }[] = await fixture.db.manager.query(
        "SELECT COUNT(*) AS n FROM sweep_run WHERE sweep = 'user_key.expiry'",
      );
      expect(Number(recorded[0].n)).toBeGreaterThanOrEqual(
        [...runs.keys()].filter((k) => k.startsWith('user_key.expiry')).length,
      );
    } finally {
      await stopCluster(processes, receiver, fixture, dir);
    }
  },
  300_000,
);

onSqlite(
  'R38: on the embedded SQLite file, a process killed mid-delivery loses nothing: the next process sends it',
  async () => {
    const fixture = await prepare();
    const receiver = await new Receiver().start();
    const dir = mkdtempSync(join(tmpdir(), 'nokkel-crash-'));
    const processes: ServerProcess[] = [];
    try {
      const env = { ...ENGINE_ENV, ...databaseEnv(fixture) };
      processes.push(await startServerProcess(join(dir, 'unused.sqlite'), env));
      await createEndpoints(processes[0].url, receiver, ['/crash']);
      receiver.hold('/crash');
      await fixture.db.transaction((m) =>
        emitAccessEvents(m, [keyCreated(fixture.officeId, 'key_crash_1'), keyCreated(fixture.officeId, 'key_crash_2')]),
      );
      await waitFor(receiver, processes, 'the first delivery', 30_000, () => receiver.for('/crash').length === 1);
      processes[0].child.kill('SIGKILL');
      await exited(processes[0]);
      receiver.release('/crash');

      processes.push(await startServerProcess(join(dir, 'unused.sqlite'), env));
      await waitFor(receiver, processes, 'both deliveries after the restart', 30_000, () => {
        const delivered = receiver.for('/crash').filter((r) => r.answered === 200);
        return new Set(delivered.map((r) => r.id)).size === 2;
      });
      const order = receiver.for('/crash').map((r) => String(r.payload.data.userKeyId));
      expect(order).toEqual(['key_crash_1', 'key_crash_1', 'key_crash_2']);
      expect(receiver.overlaps).toEqual([]);
    } finally {
      await stopCluster(processes, receiver, fixture, dir);
    }
  },
  60_000,
);
