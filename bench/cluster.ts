import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { createConnection, type Connection } from 'mysql2/promise';

/**
 * The pieces of a scaled-out deployment, as real processes (test/integration/scale and
 * bench/scale.ts): MariaDB servers (a primary with a
 * binary log and a GTID replica), Nøkkel instances (`node dist/server/src/main.js`) and HAProxy.
 * Everything lives in one temporary directory and is stopped by `stopAll`.
 */

/** `dist/server/src/main.js` of this checkout (built by `npm run build`), from the source or the compiled file. */
function findMain(): string {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const main = join(dir, 'dist/server/src/main.js');
    if (existsSync(main)) return main;
  }
  throw new Error('dist/server/src/main.js not found: run npm run build');
}

export const MARIADBD = '/usr/sbin/mariadbd';
export const INSTALL_DB = '/usr/bin/mariadb-install-db';
export const HAPROXY = '/usr/sbin/haproxy';

export function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A free TCP port on 127.0.0.1 (bound and released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function waitFor<T>(what: string, probe: () => Promise<T | null | false>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown = null;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await sleep(100);
  }
}

/** Processes started here, stopped (and awaited) by `stopAll`, even when a test failed. */
const running = new Set<ChildProcess>();

function track(child: ChildProcess): ChildProcess {
  running.add(child);
  child.once('exit', () => running.delete(child));
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function stopAll(): Promise<void> {
  await Promise.all(
    [...running].map(async (child) => {
      child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited(child);
      clearTimeout(killed);
    }),
  );
}

export class MariaDbServer {
  child: ChildProcess | null = null;
  private log = '';

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly serverId: number,
    private readonly extra: string[],
  ) {}

  /** Creates the data directory with mariadb-install-db (root without a password, no test database). */
  install(): void {
    mkdirSync(this.dir, { recursive: true });
    const result = spawnSync(
      INSTALL_DB,
      [
        '--no-defaults',
        `--datadir=${join(this.dir, 'data')}`,
        '--auth-root-authentication-method=normal',
        '--skip-test-db',
        ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (result.status !== 0) throw new Error(`mariadb-install-db failed: ${result.stderr || result.stdout}`);
  }

  get socket(): string {
    return join(this.dir, 'mysqld.sock');
  }

  async start(): Promise<void> {
    const args = [
      '--no-defaults',
      `--datadir=${join(this.dir, 'data')}`,
      `--port=${this.port}`,
      '--bind-address=127.0.0.1',
      `--socket=${this.socket}`,
      `--pid-file=${join(this.dir, 'mysqld.pid')}`,
      `--server-id=${this.serverId}`,
      '--skip-name-resolve',
      '--innodb-buffer-pool-size=64M',
      '--innodb-log-file-size=16M',
      '--performance-schema=off',
      '--max-connections=500',
      '--character-set-server=utf8mb4',
      '--collation-server=utf8mb4_unicode_ci',
      ...(process.getuid?.() === 0 ? ['--user=root'] : []),
      ...this.extra,
    ];
    this.child = track(spawn(MARIADBD, args, { stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    this.child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    const child = this.child;
    await waitFor(`mariadbd on port ${this.port}`, async () => {
      if (child.exitCode !== null) throw new Error(`mariadbd exited:\n${this.log.slice(-2000)}`);
      const c = await this.admin();
      await c.end();
      return true;
    });
  }

  /** An administrative connection over the socket (root has no password there). */
  admin(): Promise<Connection> {
    return createConnection({ socketPath: this.socket, user: 'root', multipleStatements: true });
  }

  async sql(statements: string): Promise<unknown> {
    const c = await this.admin();
    try {
      const [rows] = await c.query(statements);
      return rows;
    } finally {
      await c.end();
    }
  }

  async count(statement: string): Promise<number> {
    const rows = (await this.sql(statement)) as { n: number | string }[];
    return Number(rows[0]?.n);
  }

  async stop(): Promise<void> {
    if (!this.child) return;
    this.child.kill('SIGTERM');
    await exited(this.child);
    this.child = null;
  }

  output(): string {
    return this.log.slice(-3000);
  }
}

export interface InstanceEnv {
  [name: string]: string;
}

/** One Nøkkel instance on a fixed port (so HAProxy finds it after a restart). */
export class Instance {
  child: ChildProcess | null = null;
  private log = '';

  constructor(
    readonly name: string,
    readonly port: number,
    private readonly env: InstanceEnv,
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    this.log = '';
    const child = track(
      spawn(process.execPath, [findMain()], {
        env: { ...process.env, ...this.env, PORT: String(this.port), HOST: '127.0.0.1' },
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    await waitFor(
      `${this.name} ready`,
      async () => {
        if (child.exitCode !== null) throw new Error(`${this.name} exited:\n${this.log.slice(-2000)}`);
        const res = await fetch(`${this.url}/readyz`);
        return res.status === 200;
      },
      90_000,
    ).catch((error: Error) => {
      throw new Error(`${error.message}\n${this.name} said:\n${this.log.slice(-2000)}`);
    });
  }

  /** SIGTERM (or SIGKILL) and wait for the process to exit; the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    const child = this.child;
    if (!child) return null;
    child.kill(signal);
    await exited(child);
    this.child = null;
    return child.exitCode;
  }

  output(): string {
    return this.log.slice(-3000);
  }
}

/** HAProxy, round-robin over the instances, health-checking `/readyz`; `x-served-by` names the instance. */
export class Balancer {
  child: ChildProcess | null = null;
  private log = '';

  constructor(
    readonly dir: string,
    readonly port: number,
    readonly statsPort: number,
    private readonly instances: Instance[],
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  config(): string {
    return [
      'global',
      '  maxconn 1000',
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 30s',
      '  timeout server 30s',
      // a connection that could not be made is tried again on another instance (nothing was sent)
      '  retries 3',
      '  option redispatch',
      'frontend api',
      `  bind 127.0.0.1:${this.port}`,
      '  default_backend nokkel',
      'frontend stats',
      `  bind 127.0.0.1:${this.statsPort}`,
      '  http-request return status 200 content-type text/plain lf-string "%[nbsrv(nokkel)]"',
      'backend nokkel',
      '  balance roundrobin',
      '  option httpchk GET /readyz',
      '  http-check expect status 200',
      '  http-response set-header x-served-by %s',
      '  timeout check 3s',
      '  default-server inter 500ms fastinter 500ms downinter 500ms fall 2 rise 2',
      ...this.instances.map((i) => `  server ${i.name} 127.0.0.1:${i.port} check`),
      '',
    ].join('\n');
  }

  async start(): Promise<void> {
    const file = join(this.dir, `haproxy-${this.port}.cfg`);
    writeFileSync(file, this.config());
    const check = spawnSync(HAPROXY, ['-c', '-f', file], { encoding: 'utf8' });
    if (check.status !== 0) throw new Error(`haproxy config refused: ${check.stdout}${check.stderr}`);
    const child = track(spawn(HAPROXY, ['-db', '-f', file], { stdio: ['ignore', 'pipe', 'pipe'] }));
    this.child = child;
    child.stdout!.on('data', (c: Buffer) => (this.log += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (this.log += c.toString()));
    await this.waitUp(this.instances.length);
  }

  /** How many instances HAProxy counts as up. */
  async up(): Promise<number> {
    const res = await fetch(`http://127.0.0.1:${this.statsPort}/`);
    return Number(await res.text());
  }

  async waitUp(n: number): Promise<void> {
    await waitFor(`HAProxy to see ${n} instances up`, async () => {
      if (this.child?.exitCode !== null) throw new Error(`haproxy exited:\n${this.log}`);
      return (await this.up()) === n;
    });
  }

  output(): string {
    return this.log.slice(-3000);
  }
}

export interface Cluster {
  dir: string;
  primary: MariaDbServer;
  replica: MariaDbServer;
  instances: Instance[];
  balancer: Balancer;
}

export interface ClusterOptions {
  instances: number;
  database: string;
  /** More environment for the instances (the defaults lift the per-person and per-address budgets). */
  env?: InstanceEnv;
  /** How many instances HAProxy balances over (the first n; default all). */
  balanced?: number;
}

/**
 * A MariaDB primary with a binary log and a GTID replica of it (two mariadbd of their own, in a
 * temporary directory: the machine's server may run without a binary log), `instances` Nøkkel
 * instances on primary + replica + Redis (the first migrates and loads the demo data), and HAProxy
 * in front. `stopAll` and removing `dir` clean it all up.
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const dir = mkdtempSync(join(tmpdir(), 'nokkel-scale-'));
  try {
    return await startIn(dir, options);
  } catch (error) {
    // nothing is left behind when the start fails half-way
    await stopAll();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

async function startIn(dir: string, options: ClusterOptions): Promise<Cluster> {
  const [primaryPort, replicaPort, balancerPort, statsPort, ...instancePorts] = await Promise.all(
    Array.from({ length: 4 + options.instances }, () => freePort()),
  );
  const primary = new MariaDbServer(join(dir, 'primary'), primaryPort, 1, [
    '--log-bin=primary-bin',
    '--binlog-format=ROW',
    '--gtid-strict-mode=1',
  ]);
  const replica = new MariaDbServer(join(dir, 'replica'), replicaPort, 2, [
    '--relay-log=replica-relay',
    '--gtid-strict-mode=1',
    '--read-only=1',
  ]);
  // one fresh data directory, copied for the replica (mariadb-install-db is the slow part)
  primary.install();
  mkdirSync(replica.dir, { recursive: true });
  cpSync(join(primary.dir, 'data'), join(replica.dir, 'data'), { recursive: true });
  await Promise.all([primary.start(), replica.start()]);
  // accounts of each server itself, not replicated: TCP root for the instances, repl for the replica
  const local = `CREATE USER IF NOT EXISTS 'root'@'127.0.0.1'; GRANT ALL ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;`;
  const replPassword = randomBytes(12).toString('hex');
  await primary.sql(
    `SET sql_log_bin = 0; ${local} CREATE USER 'repl'@'127.0.0.1' IDENTIFIED BY '${replPassword}';` +
      ` GRANT REPLICATION SLAVE ON *.* TO 'repl'@'127.0.0.1'; SET sql_log_bin = 1;`,
  );
  await replica.sql(
    `${local} CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = ${primaryPort}, MASTER_USER = 'repl',` +
      ` MASTER_PASSWORD = '${replPassword}', MASTER_CONNECT_RETRY = 1, MASTER_USE_GTID = slave_pos; START SLAVE;`,
  );
  const db = options.database;
  await primary.sql(`CREATE DATABASE ${db} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  await waitFor('the database on the replica', async () =>
    replica.count(`SELECT COUNT(*) AS n FROM information_schema.schemata WHERE schema_name = '${db}'`),
  );

  const env: InstanceEnv = {
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATABASE_URL: `mysql://root@127.0.0.1:${primaryPort}/${db}`,
    DATABASE_REPLICA_URLS: `mysql://root@127.0.0.1:${replicaPort}/${db}`,
    REDIS_URL: process.env.REDIS_URL || 'redis://127.0.0.1:6379',
    RATE_LIMIT_PREFIX: `nokkel-scale-${randomBytes(4).toString('hex')}`,
    SEED_DEMO: 'on',
    WEB_UI: 'off',
    EXPLORER: 'off',
    // longer than HAProxy needs to see /readyz turn 503 (2 checks 500 ms apart)
    SHUTDOWN_DRAIN_MS: '3000',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '1000000',
    RATE_LIMIT_COST_PER_MINUTE: '1000000000',
    ADDRESS_REQUESTS_PER_MINUTE: '100000000',
    MAX_CONNECTIONS_PER_ADDRESS: '10000',
    ...options.env,
  };
  const instances = instancePorts.map((port, i) => new Instance(`n${i + 1}`, port, env));
  await instances[0].start(); // migrates and loads the demo data; the others find them there
  await Promise.all(instances.slice(1).map((instance) => instance.start()));
  const balancer = new Balancer(dir, balancerPort, statsPort, instances.slice(0, options.balanced ?? instances.length));
  await balancer.start();
  return { dir, primary, replica, instances, balancer };
}
