import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { testDatabaseKind } from '../../testkit/database';
import type { TestApp } from '../../testkit/app';
import { buildWorld, type World } from '../../testkit/world';
import { createEndpoint, deliveriesOf, driveUntil, emit, keyCreated, startEventsApp } from './helpers';
import { TestClock } from '../../testkit/clock';

/** The receiver the README shows, run as it stands, receiving from the server. */
const ROOT = join(__dirname, '..', '..', '..');
const onSqlite = testDatabaseKind() === 'sqlite' ? test : test.skip;

function readmeReceiver(): string {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Access events and webhooks'));
  const block = /```js\n([\s\S]*?)```/.exec(section);
  if (!block || !block[1].includes("from 'standardwebhooks'")) throw new Error('README: receiver example not found');
  return block[1];
}

onSqlite(
  'R37: the README’s receiver verifies a real delivery with the standardwebhooks package, and refuses a forged one',
  async () => {
    let app: TestApp | null = null;
    let receiver: ChildProcess | null = null;
    let file: string | null = null;
    try {
      app = await startEventsApp(new TestClock());
      const world: World = await buildWorld(app.seed);
      const kari = await app.api.login('kari@regnskap.example');
      const port = 20_000 + Math.floor(Math.random() * 20_000);
      const { id, secret } = await createEndpoint(app, kari, `http://127.0.0.1:${port}/`, ['user_key.created']);
      // in node_modules, so that the example's import of standardwebhooks resolves as in a project
      const dir = join(ROOT, 'node_modules', '.cache', 'nokkel-readme');
      mkdirSync(dir, { recursive: true });
      file = join(dir, `receiver-${process.pid}.mjs`);
      writeFileSync(file, readmeReceiver());
      let output = '';
      receiver = spawn(process.execPath, [file], {
        env: { ...process.env, NOKKEL_WEBHOOK_SECRET: secret, PORT: String(port) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      receiver.stdout!.on('data', (c: Buffer) => (output += c.toString()));
      receiver.stderr!.on('data', (c: Buffer) => (output += c.toString()));
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{}' }).then(
          (r) => r.status,
          () => 0,
        );
        if (up === 400) break; // listening, and refusing an unsigned request
        await new Promise((r) => setTimeout(r, 50));
      }
      const forged = await fetch(`http://127.0.0.1:${port}/`, {
        method: 'POST',
        headers: {
          'webhook-id': 'evt_forged',
          'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
          'webhook-signature': 'v1,bm90IGEgc2lnbmF0dXJl',
        },
        body: '{"type":"user_key.created","timestamp":"2026-01-01T00:00:00.000Z","data":{}}',
      });
      expect(forged.status).toBe(400);

      await emit(app, [keyCreated(world.office.id, 'key_for_the_readme')]);
      await driveUntil(app, async () => (await deliveriesOf(app!, kari, id))[0]?.status === 'DELIVERED');
      const [delivery] = await deliveriesOf(app, kari, id);
      expect(delivery.lastStatusCode).toBe(204);
      expect(output).toContain(`${delivery.event.id} user_key.created`);
      expect(output).toContain('key_for_the_readme');
    } finally {
      receiver?.kill();
      if (file) rmSync(file, { force: true });
      await app?.close();
    }
  },
);
