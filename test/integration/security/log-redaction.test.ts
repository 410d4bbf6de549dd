import { startTestApp, type TestApp } from '../../testkit/app';
import { buildWorld, PASSWORD, type World } from '../../testkit/world';

let app: TestApp;
let world: World;

beforeAll(async () => {
  app = await startTestApp({ logLevel: 'debug' });
  world = await buildWorld(app.seed);
});
afterAll(() => app.close());

test('the whole key flow at debug level leaves no secret, session token or password in any log line', async () => {
  const secrets: string[] = [PASSWORD];
  const kari = await app.api.login('kari@regnskap.example');
  secrets.push(kari);
  const created = await app.api.request(
    'mutation ($i: CreateUserKeyInput!) { createUserKey(input: $i) { token userKey { id } } }',
    {
      i: {
        employeeId: world.kari.id,
        applicationId: world.apps.fiken.id,
        name: 'Sync',
        accessMode: 'ALL_ACCESS',
        accountantKey: true,
      },
    },
    { token: kari },
  );
  const key = created.data.createUserKey;
  secrets.push(key.token);
  await app.api.request(
    'mutation ($i: BulkLinkClientsInput!) { bulkLinkClients(input: $i) { linkedCount } }',
    { i: { clientIds: [world.bakeri.id], userKeyId: key.userKey.id, accessTemplateId: world.bokforing.id } },
    { token: kari },
  );
  await app.api.request('{ customers { totalCount } }', {}, { token: key.token, companyId: world.bakeri.id });
  const restored = await app.api.request(
    'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
    { id: key.userKey.id },
    { token: kari },
  );
  secrets.push(restored.data.restoreUserKey.token);
  // refused credentials are logged too (as failures), never with the credential itself
  await app.api.request('{ viewer { company { name } } }', {}, { token: key.token, companyId: world.bakeri.id });
  await app.api.request(
    '{ viewer { company { name } } }',
    {},
    { headers: { authorization: 'Bearer nkl_not-a-real-secret-but-still-private' } },
  );
  await app.api.request(
    'mutation { login(email: "kari@regnskap.example", password: "a-wrong-password-attempt") { token } }',
  );
  await app.server.services.keyUsage.flush();
  secrets.push('a-wrong-password-attempt', 'nkl_not-a-real-secret-but-still-private');

  // one access-log line per request (8 above), each with its headers at debug level
  const requestLines = app.logs.filter((line) => line.includes('"msg":"request"'));
  expect(requestLines).toHaveLength(8);
  expect(requestLines.every((line) => line.includes('"headers"'))).toBe(true);
  expect(app.logs.some((line) => line.includes('"authorization":"[redacted]"'))).toBe(true);
  const leaks = app.logs.filter(
    (line) => secrets.some((s) => line.includes(s)) || /\b(nkl|nks)_[0-9A-Za-z]{20,}/.test(line),
  );
  expect(leaks).toEqual([]);
});
