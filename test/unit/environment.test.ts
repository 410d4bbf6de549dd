import { createServer, type Server } from 'node:net';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain CommonJS, loaded by jest.config.js too
const { describeMissing, probeEnvironment } = require('../testkit/environment') as {
  probeEnvironment(env: Record<string, string | undefined>): Promise<Record<string, { found: boolean }>>;
  describeMissing(environment: Record<string, { found: boolean }>, mandatory?: boolean): string | null;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the jest configuration itself
const jestConfig = require('../../jest.config') as () => Promise<{ projects: { displayName: string }[] }>;

/** A port nothing listens on: bind one, note it, close it. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test('what is missing is said in one line, with what it skips', async () => {
  const port = await closedPort();
  const environment = await probeEnvironment({
    REDIS_URL: `redis://127.0.0.1:${port}`,
    TEST_DATABASE_URL: `mysql://root@127.0.0.1:${port}/x`,
  });
  expect(environment.redis?.found).toBe(false);
  expect(environment.mariadb?.found).toBe(false);
  const line = describeMissing(environment);
  expect(line).not.toContain('\n');
  expect(line).toContain(`Redis on 127.0.0.1:${port} — skipping the rate-limit tests against Redis`);
  expect(line).toContain(`MariaDB at 127.0.0.1:${port} (TEST_DATABASE_URL) — skipping every test on MariaDB`);
  expect(describeMissing({ redis: { found: true } })).toBeNull();
});

test('with CI=true a missing service fails the run instead of skipping; without, its project is left out', async () => {
  const port = await closedPort();
  const saved = { ...process.env };
  try {
    Object.assign(process.env, { TEST_DATABASE_URL: `mysql://root@127.0.0.1:${port}/x`, CI: 'true' });
    await expect(jestConfig()).rejects.toThrow(
      /^CI=true requires Chromium, Redis and MariaDB\. Not found: .*MariaDB at 127\.0\.0\.1/,
    );
    process.env.CI = 'false';
    const config = await jestConfig();
    expect(config.projects.map((p) => p.displayName)).toEqual(['unit', 'sqlite']);
  } finally {
    process.env = saved;
  }
});
