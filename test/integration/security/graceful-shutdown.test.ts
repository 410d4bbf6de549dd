import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseKind } from '../../testkit/database';
import { startServerProcess, type ServerProcess } from '../../testkit/server-process';

const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

// outside NODE_ENV=test Apollo Server would add SIGTERM/SIGINT handlers of its own, and the two
// stops together left the server's graceful stop waiting until the forced exit (code 1)
const nodeEnvs = ['test', 'development'];

/** Runs `fn` with `npm start`'s server on a SQLite file of its own, and its exit code to come. */
async function withServerProcess(
  nodeEnv: string,
  fn: (server: ServerProcess, exited: Promise<number | null>) => Promise<void>,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'nokkel-shutdown-'));
  try {
    const server = await startServerProcess(join(dir, 'db.sqlite'), { NODE_ENV: nodeEnv });
    const exited = new Promise<number | null>((resolve) => server.child.on('exit', resolve));
    await fn(server, exited);
    expect(server.output()).toMatch(/SIGTERM: finishing in-flight requests/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

onSqlite.each(nodeEnvs)(
  'SIGTERM lets in-flight requests finish, refuses new ones, and exits 0 (NODE_ENV=%s)',
  (nodeEnv) =>
    withServerProcess(nodeEnv, async ({ url, child }, exited) => {
      // a login takes a scrypt hash (tens of ms): still running when the signal arrives
      const inFlight = fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: 'mutation { login(email: "kari@regnskap.example", password: "demo-password") { employee { name } } }',
        }),
      });
      await new Promise((r) => setTimeout(r, 5));
      child.kill('SIGTERM');
      const res = await inFlight;
      expect(res.status).toBe(200);
      expect((await res.json()).data.login.employee.name).toBe('Kari Nordmann');
      expect(await exited).toBe(0);
      await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    }),
);

onSqlite.each(nodeEnvs)('SIGTERM stops an idle server with exit code 0, not the forced exit (NODE_ENV=%s)', (nodeEnv) =>
  withServerProcess(nodeEnv, async ({ url, child }, exited) => {
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  }),
);
