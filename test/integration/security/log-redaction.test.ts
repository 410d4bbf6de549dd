import { PASSWORD } from '../../testkit/world';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ config: { logLevel: 'debug' } });

test('the whole key flow at debug level leaves no secret, session token or password in any log line', async () => {
  const secrets: string[] = [PASSWORD];
  const kari = await kit.app.api.login('kari@regnskap.example');
  secrets.push(kari);
  const created = await kit.app.api.request(
    'mutation ($i: CreateUserKeyInput!) { createUserKey(input: $i) { token userKey { id } } }',
    {
      i: {
        employeeId: kit.world.kari.id,
        applicationId: kit.world.apps.fiken.id,
        name: 'Sync',
        accessMode: 'ALL_ACCESS',
        accountantKey: true,
      },
    },
    { token: kari },
  );
  const key = created.data.createUserKey;
  secrets.push(key.token);
  await kit.app.api.request(
    'mutation ($i: BulkLinkClientsInput!) { bulkLinkClients(input: $i) { linkedCount } }',
    { i: { clientIds: [kit.world.bakeri.id], userKeyId: key.userKey.id, accessTemplateId: kit.world.bokforing.id } },
    { token: kari },
  );
  await kit.app.api.request('{ customers { totalCount } }', {}, { token: key.token, companyId: kit.world.bakeri.id });
  const restored = await kit.app.api.request(
    'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
    { id: key.userKey.id },
    { token: kari },
  );
  secrets.push(restored.data.restoreUserKey.token);
  // refused credentials are logged too (as failures), never with the credential itself
  await kit.app.api.request(
    '{ viewer { company { name } } }',
    {},
    { token: key.token, companyId: kit.world.bakeri.id },
  );
  await kit.app.api.request(
    '{ viewer { company { name } } }',
    {},
    { headers: { authorization: 'Bearer nkl_not-a-real-secret-but-still-private' } },
  );
  await kit.app.api.request(
    'mutation { login(email: "kari@regnskap.example", password: "a-wrong-password-attempt") { token } }',
  );
  await kit.app.server.services.keyUsage.flush();
  secrets.push('a-wrong-password-attempt', 'nkl_not-a-real-secret-but-still-private');

  // one access-log line per request (8 above), each with its headers at debug level
  const requestLines = kit.app.logs.filter((line) => line.includes('"msg":"request"'));
  expect(requestLines).toHaveLength(8);
  expect(requestLines.every((line) => line.includes('"headers"'))).toBe(true);
  expect(kit.app.logs.some((line) => line.includes('"authorization":"[redacted]"'))).toBe(true);
  const leaks = kit.app.logs.filter(
    (line) => secrets.some((s) => line.includes(s)) || /\b(nkl|nks)_[0-9A-Za-z]{20,}/.test(line),
  );
  expect(leaks).toEqual([]);
});
