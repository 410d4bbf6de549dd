import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseKind } from '../../testkit/database';

const MAIN = join(__dirname, '../../../dist/server/src/main.js');
const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

/** Starts `node dist/server/src/main.js` (built by `npm test`'s pretest) and waits for it to listen. */
function startProcess(dir: string): Promise<{ url: string; child: ReturnType<typeof spawn>; output: () => string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: {
      ...process.env,
      PORT: '0',
      DATABASE_URL: `sqlite:${join(dir, 'db.sqlite')}`,
      SEED_DEMO: 'on',
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 30_000);
    child.stdout!.on('data', () => {
      const m = /running at (http:\/\/[^/\s]+)\/graphql/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ url: m[1], child, output: () => out });
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}:\n${out}`)));
  });
}

onSqlite('SIGTERM lets in-flight requests finish, refuses new ones, and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nokkel-shutdown-'));
  try {
    const { url, child, output } = await startProcess(dir);
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
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
    expect(output()).toMatch(/SIGTERM: finishing in-flight requests/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
