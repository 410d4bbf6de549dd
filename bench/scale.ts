import { rmSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import autocannon from 'autocannon';
import { Balancer, freePort, startCluster, stopAll } from './cluster';

/**
 * Throughput through HAProxy with 1, 2 and 3 Nøkkel instances (docs/SCALING.md), on a MariaDB
 * primary + GTID replica of its own: `npm run scale -w @nokkel/bench` (needs Redis on
 * 127.0.0.1:6379, mariadbd, mariadb-install-db and haproxy; builds first). SCALE_SECONDS sets the
 * length of each run (default 20), SCALE_CONNECTIONS the concurrent connections (default 8).
 * Prints one line per instance count and the ratio to one instance.
 */

const seconds = Number(process.env.SCALE_SECONDS ?? 20);
const connections = Number(process.env.SCALE_CONNECTIONS ?? 8);

/** A key's read of its own employee and the company's clients: authentication + two reads per request. */
const QUERY = '{ viewer { employee { name } } clients(first: 10) { totalCount edges { node { apiAccess } } } }';

async function login(url: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: 'mutation { login(email: "kari@regnskap.example", password: "demo-password") { token } }',
    }),
  });
  const json = (await res.json()) as { data?: { login?: { token: string } }; errors?: unknown[] };
  if (!json.data?.login) throw new Error(`login failed: ${JSON.stringify(json.errors)}`);
  return json.data.login.token;
}

function run(url: string, token: string, duration: number): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/graphql`,
        method: 'POST',
        connections,
        duration,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query: QUERY }),
      },
      (error, result) => (error ? reject(error) : resolve(result)),
    );
  });
}

async function main(): Promise<void> {
  const cluster = await startCluster({ instances: 3, database: 'nokkel_scale_bench', balanced: 1 });
  try {
    const balancers: Balancer[] = [cluster.balancer];
    for (const n of [2, 3]) {
      const balancer = new Balancer(cluster.dir, await freePort(), await freePort(), cluster.instances.slice(0, n));
      await balancer.start();
      balancers.push(balancer);
    }
    const token = await login(`${balancers[0].url}/graphql`);
    const results: { instances: number; rps: number; errors: number; p99: number }[] = [];
    for (const [i, balancer] of balancers.entries()) {
      await run(balancer.url, token, 3); // warm-up: connections, prepared statements, JIT
      const result = await run(balancer.url, token, seconds);
      results.push({
        instances: i + 1,
        // answered with 2xx only: a refusal (a 503 from the balancer) is fast and would flatter
        rps: result['2xx'] / result.duration,
        errors: result.errors + result.timeouts + result.non2xx,
        p99: result.latency.p99,
      });
    }
    const base = results[0].rps;
    process.stdout.write(
      `scale: ${cpus().length} CPUs (load average ${loadavg()[0].toFixed(1)} at the end), ${connections} connections, ${seconds} s per run, MariaDB primary + replica, Redis, HAProxy round-robin\n`,
    );
    for (const r of results)
      process.stdout.write(
        `  ${r.instances} instance(s): ${r.rps.toFixed(1)} requests/s answered 2xx (${(r.rps / base).toFixed(2)} × one), p99 ${r.p99} ms, ${r.errors} errors or non-2xx\n`,
      );
  } finally {
    await stopAll();
    rmSync(cluster.dir, { recursive: true, force: true });
  }
}

main().catch(async (error: unknown) => {
  process.stderr.write(`scale: ${(error as Error).stack ?? String(error)}\n`);
  await stopAll();
  process.exit(1);
});
