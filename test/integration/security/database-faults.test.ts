import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { TcpProxy } from '../../testkit/tcp-proxy';
import { buildWorld, type World } from '../../testkit/world';
import { expectCode } from '../../testkit/expect';

/** Faults need a database that can go away: these run on MariaDB, reached through a TCP proxy. */
const onMariaDb = testDatabaseKind() === 'mariadb' ? describe : describe.skip;

async function eventually<T>(probe: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last = await probe();
  while (!ok(last) && Date.now() < until) {
    await new Promise((r) => setTimeout(r, 200));
    last = await probe();
  }
  return last;
}

onMariaDb('database faults (MariaDB behind a proxy)', () => {
  let proxy: TcpProxy;
  let app: TestApp;
  let world: World;
  let kari: string;

  beforeAll(async () => {
    proxy = new TcpProxy('127.0.0.1', 3306);
    await proxy.start();
    app = await startTestApp({}, { proxyPort: proxy.port });
    world = await buildWorld(app.seed);
    kari = await app.api.login('kari@regnskap.example');
  });
  afterAll(async () => {
    proxy.bringUp();
    await app.close();
    await proxy.stop();
  });

  test('while the database is down: /readyz is 503, /graphql answers a clean retryable error; both recover by themselves', async () => {
    expect((await fetch(`${app.url}/readyz`)).status).toBe(200);
    proxy.takeDown();
    const ready = await fetch(`${app.url}/readyz`);
    expect(ready.status).toBe(503);
    const res = await app.api.request('{ customers { totalCount } }', {}, { token: kari });
    expectCode(res, 'SERVICE_UNAVAILABLE');
    expect(res.status).toBe(503);
    expect(res.errors[0].extensions?.retryable).toBe(true);
    expect(JSON.stringify(res.errors)).not.toMatch(/ECONNREFUSED|stack|mysql/i);
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);

    proxy.bringUp();
    expect(
      await eventually(
        () => fetch(`${app.url}/readyz`).then((r) => r.status),
        (s) => s === 200,
      ),
    ).toBe(200);
    const after = await eventually(
      () => app.api.request('{ company { name } }', {}, { token: kari }),
      (r) => r.errors.length === 0,
    );
    expect(after.data.company.name).toBe('Regnskap AS');
  });

  test('the database going away in the middle of bulkLinkClients writes nothing, and a retry succeeds', async () => {
    const office = world.office;
    const clients = [];
    for (let i = 0; i < 20; i++) {
      const client = await app.seed.company({ name: `Fault Client ${i}` });
      await app.seed.clientRelation(office, client);
      clients.push(client.id);
    }
    const { userKey } = await app.seed.userKey(world.kari, {
      permissions: [Permission.CUSTOMER_READ],
      kind: UserKeyKind.ACCOUNTANT,
      application: world.apps.fiken,
    });
    const link = 'mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount } }';
    const input = { clientIds: clients, userKeyId: userKey.id, accessTemplateId: world.bokforing.id };

    const cut = proxy.cutWhenSent('INSERT INTO client_link');
    const res = await app.api.request(link, { input }, { token: kari });
    await cut;
    expectCode(res, 'SERVICE_UNAVAILABLE');
    expect(res.errors[0].extensions?.retryable).toBe(true);

    const count = async () =>
      (await app.server.db.manager.query('SELECT COUNT(*) AS n FROM client_link WHERE grantee_id = ?', [userKey.id]))[0]
        .n;
    expect(Number(await eventually(count, () => true))).toBe(0);
    const audit = await app.server.db.manager.query(
      "SELECT COUNT(*) AS n FROM audit_event WHERE action = 'clientLink.link'",
    );
    expect(Number(audit[0].n)).toBe(0);

    const retry = await eventually(
      () => app.api.request(link, { input }, { token: kari }),
      (r) => r.errors.length === 0,
    );
    expect(retry.data.bulkLinkClients.linkedCount).toBe(20);
    expect(Number(await count())).toBe(20);
  });
});
