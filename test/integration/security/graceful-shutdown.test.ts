import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testDatabaseKind } from '../../testkit/database';
import { startServerProcess } from '../../testkit/server-process';

const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

onSqlite('SIGTERM lets in-flight requests finish, refuses new ones, and exits 0', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'nokkel-shutdown-'));
  try {
    const { url, child, output } = await startServerProcess(join(dir, 'db.sqlite'));
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
