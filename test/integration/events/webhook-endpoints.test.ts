import { Permission } from '../../../server/src/auth/permission';
import {
  createEndpoint,
  deliveriesOf,
  driveUntil,
  emit,
  keyCreated,
  seedEventCallers,
  startEventsApp,
  type Json,
} from './helpers';
import { CREATE_ENDPOINT, DELETE_ENDPOINT, REDELIVER, ROTATE_SECRET, UPDATE_ENDPOINT } from './documents';
import { Receiver } from './receiver';
import { expectCode, expectNotFound, expectOk, outcomeOf } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

/** Without WEBHOOK_ALLOW_PRIVATE_NETWORKS, as in production. A public IP literal needs no DNS here. */
const PUBLIC_URL = 'https://93.184.216.34/hooks/nokkel';

const create = (token: string, input: Json, companyId?: string) =>
  kit.app.api.request(CREATE_ENDPOINT, { input }, { token, companyId });
const endpointsOf = async (token: string): Promise<Json[]> =>
  expectOk(
    await kit.app.api.request(
      '{ webhookEndpoints { edges { node { id url eventTypes secretHint enabled } } } }',
      {},
      { token },
    ),
  ).webhookEndpoints.edges.map((e: Json) => e.node);

let keyWithoutAdmin: string;
let keyWithUserAdmin: string;
let accountantKey: string;
let endpointId: string;
let deliveryId: string;
const kit = useWorld({
  start: () => startEventsApp(undefined, { allowPrivateNetworks: false, timeoutMs: 300 }),
  sessions: ['kari', 'ola', 'bakeriAdmin', 'anne'],
});
beforeAll(async () => {
  ({ keyWithoutAdmin, keyWithUserAdmin, accountantKey } = await seedEventCallers(
    kit.app,
    kit.world,
    Permission.CLIENT_ADMIN,
  ));

  endpointId = (await createEndpoint(kit.app, kit.token.kari, PUBLIC_URL, ['user_key.created'])).id;
  await emit(kit.app, [keyCreated(kit.world.office.id, 'key_for_a_delivery')]);
  // no internet here: the attempt fails, and the delivery exists for the redelivery checks
  await driveUntil(kit.app, async () => (await deliveriesOf(kit.app, kit.token.kari, endpointId)).length === 1);
  deliveryId = (await deliveriesOf(kit.app, kit.token.kari, endpointId))[0].id;
});

describe('R37: who may manage webhooks', () => {
  const operations: Array<[string, () => [string, Json]]> = [
    ['webhookEndpoints', () => ['{ webhookEndpoints { edges { node { id } } } }', {}]],
    ['createWebhookEndpoint', () => [CREATE_ENDPOINT, { input: { url: PUBLIC_URL, eventTypes: ['*'] } }]],
    ['updateWebhookEndpoint', () => [UPDATE_ENDPOINT, { id: endpointId, input: { url: `${PUBLIC_URL}/taken` } }]],
    ['deleteWebhookEndpoint', () => [DELETE_ENDPOINT, { id: endpointId }]],
    ['rotateWebhookSecret', () => [ROTATE_SECRET, { id: endpointId }]],
    ['redeliverWebhookEvent', () => [REDELIVER, { deliveryId }]],
  ];

  test.each(operations)(
    'R37: %s is FORBIDDEN to an employee or a key without ACCOUNT_ADMIN/USER_ADMIN, and to an office person or key acting at a client',
    async (_name, operation) => {
      const [query, variables] = operation();
      for (const [token, companyId] of [
        [kit.token.ola, undefined],
        [keyWithoutAdmin, undefined],
        [kit.token.kari, kit.world.bakeri.id],
        [accountantKey, kit.world.bakeri.id],
      ] as const) {
        const res = await kit.app.api.request(query, variables, { token, companyId });
        expect({ companyId, code: outcomeOf(res) }).toEqual({ companyId, code: 'FORBIDDEN' });
      }
      expectCode(await kit.app.api.request(query, variables), 'UNAUTHENTICATED');
    },
  );

  test.each(operations.filter(([name]) => !['webhookEndpoints', 'createWebhookEndpoint'].includes(name)))(
    'R37: %s with another company’s endpoint or delivery is NOT_FOUND, and changes nothing',
    async (_name, operation) => {
      const [query, variables] = operation();
      for (const token of [kit.token.anne, kit.token.bakeriAdmin])
        expectNotFound(await kit.app.api.request(query, variables, { token }));
      const [mine] = (await endpointsOf(kit.token.kari)).filter((e) => e.id === endpointId);
      expect(mine).toMatchObject({ url: PUBLIC_URL, eventTypes: ['user_key.created'], enabled: true });
      expect((await endpointsOf(kit.token.anne)).map((e) => e.id)).not.toContain(endpointId);
    },
  );

  test('R37: a key with USER_ADMIN manages its company’s webhooks; a client’s own administrator manages the client’s', async () => {
    const byKey = await create(keyWithUserAdmin, { url: `${PUBLIC_URL}/by-key`, eventTypes: ['user_key.expiring'] });
    expect(byKey.errors).toEqual([]);
    const id = byKey.data.createWebhookEndpoint.endpoint.id;
    expect(
      expectOk(await kit.app.api.request(DELETE_ENDPOINT, { id }, { token: keyWithUserAdmin })).deleteWebhookEndpoint,
    ).toBe(true);
    const atClient = await create(kit.token.bakeriAdmin, {
      url: `${PUBLIC_URL}/bakeri`,
      eventTypes: ['client.api_access_changed'],
    });
    expect(atClient.errors).toEqual([]);
    expect((await endpointsOf(kit.token.kari)).map((e) => e.url)).not.toContain(`${PUBLIC_URL}/bakeri`);
  });

  test('R37: webhook changes are in the audit log without the URL’s path or the secret', async () => {
    const { id, secret } = await createEndpoint(kit.app, kit.token.kari, `${PUBLIC_URL}/audited?token=receiver-token`, [
      '*',
    ]);
    expectOk(await kit.app.api.request(ROTATE_SECRET, { id }, { token: kit.token.kari }));
    expectOk(await kit.app.api.request(DELETE_ENDPOINT, { id }, { token: kit.token.kari }));
    const audit = expectOk(
      await kit.app.api.request(
        '{ auditEvents(first: 20) { edges { node { action targetId details } } } }',
        {},
        { token: kit.token.kari },
      ),
    ).auditEvents.edges.map((e: Json) => e.node);
    const mine = audit.filter((a: Json) => a.targetId === id).map((a: Json) => a.action);
    expect(mine.sort()).toEqual(['webhookEndpoint.create', 'webhookEndpoint.delete', 'webhookEndpoint.rotateSecret']);
    const text = JSON.stringify(audit);
    expect(text).not.toContain('receiver-token');
    expect(text).not.toContain(secret);
  });
});

describe('R37: what an endpoint may be', () => {
  test.each([
    ['https://127.0.0.1/hook', /127\.0\.0\.1 resolves to a loopback address/],
    ['https://10.1.2.3/hook', /10\.1\.2\.3 resolves to a private address/],
    ['https://169.254.169.254/latest/meta-data/', /link-local address/],
    ['https://[::1]/hook', /::1 resolves to a loopback address/],
    ['https://localhost:8443/hook', /localhost resolves to a loopback address/],
    ['https://[::ffff:127.0.0.1]/hook', /loopback address/],
    ['https://[::ffff:a9fe:a9fe]/hook', /link-local address/],
    ['https://192.168.0.10/hook', /private address/],
    ['https://[fd00::1]/hook', /unique-local address/],
    ['https://0.0.0.0/hook', /unspecified address/],
    ['https://2130706433/hook', /loopback address/],
  ])('R37: %s is refused without WEBHOOK_ALLOW_PRIVATE_NETWORKS', async (url, message) => {
    const res = await create(kit.token.kari, { url, eventTypes: ['*'] });
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.errors[0].message).toMatch(message);
    expect(res.errors[0].extensions?.fields).toEqual([expect.objectContaining({ field: 'url' })]);
    const moved = await kit.app.api.request(
      UPDATE_ENDPOINT,
      { id: endpointId, input: { url } },
      { token: kit.token.kari },
    );
    expectCode(moved, 'BAD_USER_INPUT');
    expect((await endpointsOf(kit.token.kari)).map((e) => e.url)).toEqual(expect.not.arrayContaining([url]));
  });

  test.each([
    [{ url: 'http://93.184.216.34/hook', eventTypes: ['*'] }, 'url: must use https'],
    [{ url: 'ftp://93.184.216.34/hook', eventTypes: ['*'] }, 'url: must use https'],
    [{ url: 'not a url', eventTypes: ['*'] }, 'url: is not a URL'],
    [{ url: 'https://user:pass@93.184.216.34/', eventTypes: ['*'] }, 'url: must not contain a user name or password'],
    [{ url: 'https://93.184.216.34/#frag', eventTypes: ['*'] }, 'url: must not contain a fragment'],
    [{ url: PUBLIC_URL, eventTypes: [] }, 'eventTypes: give at least one event type'],
    [
      { url: PUBLIC_URL, eventTypes: ['user_key.created', 'user_key.stolen'] },
      'unknown event type(s): user_key.stolen',
    ],
  ])('R37: %j is BAD_USER_INPUT', async (input, message) => {
    const res = await create(kit.token.kari, input);
    expectCode(res, 'BAD_USER_INPUT');
    expect(res.errors[0].message).toContain(message);
  });

  test('R37: "*" stands for every type; a company has at most 10 endpoints', async () => {
    const res = await create(kit.token.anne, { url: PUBLIC_URL, eventTypes: ['user_key.created', '*'] });
    expect(res.data.createWebhookEndpoint.endpoint.eventTypes).toEqual(['*']);
    for (let i = 1; i < 10; i++)
      expect((await create(kit.token.anne, { url: `${PUBLIC_URL}/${i}`, eventTypes: ['*'] })).errors).toEqual([]);
    const eleventh = await create(kit.token.anne, { url: `${PUBLIC_URL}/11`, eventTypes: ['*'] });
    expectCode(eleventh, 'CONFLICT');
    expect(eleventh.errors[0].message).toMatch(/at most 10 webhook endpoints/);
  });

  test('R37: the address is judged again when a delivery connects, not only when the URL was saved', async () => {
    const receiver = await new Receiver().start();
    try {
      const { id } = await createEndpoint(kit.app, kit.token.kari, `${PUBLIC_URL}/moved`, ['client.block_changed']);
      // as if the name now resolved to the loopback interface
      const port = new URL(receiver.url).port;
      await kit.app.server.db.manager.query('UPDATE webhook_endpoint SET url = ? WHERE id = ?', [
        `https://127.0.0.1:${port}/moved`,
        id,
      ]);
      await emit(kit.app, [
        {
          type: 'client.block_changed',
          companyId: kit.world.bakeri.id,
          counterpartCompanyId: kit.world.office.id,
          data: {
            officeId: kit.world.office.id,
            clientId: kit.world.bakeri.id,
            userKeyId: 'key_blocked',
            applicationId: null,
            employeeId: null,
            blocked: true,
          },
        },
      ]);
      await driveUntil(kit.app, async () => (await deliveriesOf(kit.app, kit.token.kari, id))[0]?.attempts.length >= 1);
      const [delivery] = await deliveriesOf(kit.app, kit.token.kari, id);
      expect(delivery.attempts[0]).toMatchObject({
        statusCode: null,
        error: 'refused: 127.0.0.1 resolves to a loopback address, which webhooks may not reach',
      });
      expect(receiver.received).toEqual([]);
    } finally {
      await receiver.close();
    }
  });
});
