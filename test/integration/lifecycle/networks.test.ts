import { Permission } from '../../../server/src/auth/permission';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import { buildWorld, type World } from '../../testkit/world';
import { USER_KEY, createKey, outcome, startLifecycleApp, type Json, revokeKey } from './helpers';
import type { TestClock } from '../../testkit/clock';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const SET_NETWORKS = `mutation ($id: ID!, $cidrs: [String!]!) {
  setUserKeyAllowedNetworks(id: $id, cidrs: $cidrs) { id allowedNetworks } }`;

const kit = useWorld({ start: () => startLifecycleApp(), sessions: ['kari'] });

const setNetworks = (id: string, cidrs: string[], token = kit.token.kari) =>
  kit.app.api.request(SET_NETWORKS, { id, cidrs }, { token });
const view = async (id: string): Promise<Json> =>
  expectOk(await kit.app.api.request(USER_KEY, { id }, { token: kit.token.kari })).userKey;

describe('R30: network allowlist', () => {
  test('R30: a request from inside the list is accepted, from outside it refused with NETWORK_NOT_ALLOWED', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    expect(
      expectOk(await setNetworks(key.userKey.id, ['127.0.0.1/32'])).setUserKeyAllowedNetworks.allowedNetworks,
    ).toEqual(['127.0.0.1/32']);
    expect(await outcome(kit.app, key.token)).toBe('OK');

    expectOk(await setNetworks(key.userKey.id, ['10.0.0.0/8']));
    const refused = await kit.app.api.request('{ viewer { company { id } } }', {}, { token: key.token });
    expectCode(refused, 'NETWORK_NOT_ALLOWED');
    expect(refused.status).toBe(403);
    // X-Forwarded-For is anyone's to write: without TRUST_PROXY it is ignored
    expect(await outcome(kit.app, key.token, { 'x-forwarded-for': '10.1.2.3' })).toBe('NETWORK_NOT_ALLOWED');

    expectOk(await setNetworks(key.userKey.id, []));
    expect((await view(key.userKey.id)).allowedNetworks).toEqual([]);
    expect(await outcome(kit.app, key.token)).toBe('OK');
  });

  test('R30: the allowlist is checked before anything else: a revoked key outside it learns only NETWORK_NOT_ALLOWED', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    expectOk(await setNetworks(key.userKey.id, ['10.0.0.0/8']));
    await revokeKey(kit.app, kit.token.kari, key.userKey.id);
    expect(await outcome(kit.app, key.token)).toBe('NETWORK_NOT_ALLOWED');
    expect(await outcome(kit.app, key.token, { 'x-company-id': kit.world.bakeri.id })).toBe('NETWORK_NOT_ALLOWED');
  });

  test('R30: networks are IPv4 or IPv6 CIDRs, stored canonically; more than 50 or a malformed one is BAD_USER_INPUT', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const stored = expectOk(
      await setNetworks(key.userKey.id, ['10.1.2.3/8', '2001:DB8::1/32', '10.0.0.0/8', '127.0.0.1/32']),
    ).setUserKeyAllowedNetworks.allowedNetworks;
    expect(stored).toEqual(['10.0.0.0/8', '2001:db8::/32', '127.0.0.1/32']);

    const tooMany = Array.from({ length: 51 }, (_, i) => `10.${i}.0.0/16`);
    expectCode(await setNetworks(key.userKey.id, tooMany), 'BAD_USER_INPUT');
    expectOk(await setNetworks(key.userKey.id, tooMany.slice(0, 50)));
    for (const bad of ['not-a-network', '10.0.0.0/33', '10.0.0.1', '2001:db8::/129', '10.0.0.0/8/8', '']) {
      const res = await setNetworks(key.userKey.id, ['127.0.0.1/32', bad]);
      const error = expectCode(res, 'BAD_USER_INPUT');
      expect({ bad, fields: error.extensions?.fields }).toEqual({
        bad,
        fields: [expect.objectContaining({ field: 'cidrs[1]' })],
      });
    }
    // the refused changes left the list as it was
    expect((await view(key.userKey.id)).allowedNetworks).toHaveLength(50);
  });

  test('R30: another company, or a colleague without USER_ADMIN, cannot set a key’s allowlist (NOT_FOUND)', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const anne = await kit.app.api.login('anne@annet.example');
    const ola = await kit.app.api.login('ola@regnskap.example');
    expectNotFound(await setNetworks(key.userKey.id, ['0.0.0.0/0'], anne));
    expectNotFound(await setNetworks(key.userKey.id, ['0.0.0.0/0'], ola));
    expect((await view(key.userKey.id)).allowedNetworks).toEqual([]);
  });

  test('R30: a key limited to some networks cannot widen its own list, nor create or restore keys that escape it', async () => {
    const admin = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [Permission.LOGIN, Permission.USER_ADMIN],
    });
    expectOk(await setNetworks(admin.userKey.id, ['127.0.0.0/24']));
    for (const wider of [[], ['0.0.0.0/0'], ['127.0.0.0/24', '10.0.0.0/8']]) {
      expectCode(await setNetworks(admin.userKey.id, wider, admin.token), 'BAD_USER_INPUT');
    }
    expect((await view(admin.userKey.id)).allowedNetworks).toEqual(['127.0.0.0/24']);
    // narrowing is fine
    expectOk(await setNetworks(admin.userKey.id, ['127.0.0.1/32'], admin.token));
    // a key it creates is limited as it is
    const child = await createKey(kit.app, admin.token, { employeeId: kit.world.kari.id });
    expect(child.userKey.allowedNetworks).toEqual(['127.0.0.1/32']);
    // it cannot obtain a secret of an unrestricted key
    const open = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const res = await kit.app.api.request(
      'mutation ($id: ID!) { restoreUserKey(id: $id) { token } }',
      { id: open.userKey.id },
      { token: admin.token },
    );
    expectCode(res, 'BAD_USER_INPUT');
    expect(await outcome(kit.app, open.token)).toBe('OK');
  });

  test('R30: recentNetworks counts requests per /24 with the last time seen, written off the request path', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    for (let i = 0; i < 3; i++) expect(await outcome(kit.app, key.token)).toBe('OK');
    await kit.app.server.services.keyNetworks.flush(kit.app.clock.now());
    const [use, ...more] = (await view(key.userKey.id)).recentNetworks;
    expect(more).toEqual([]);
    expect(use.network).toBe('127.0.0.0/24');
    expect(use.requests).toBe(3);
    expect(Math.abs(new Date(use.lastSeenAt).getTime() - kit.app.clock.now().getTime())).toBeLessThan(60_000);
    // another key's owner from another company cannot read them
    const anne = await kit.app.api.login('anne@annet.example');
    expectNotFound(await kit.app.api.request(USER_KEY, { id: key.userKey.id }, { token: anne }));
  });

  test('R30: the partner read still issues 2 statements with an allowlist on the key', async () => {
    const client = kit.world.bakeri;
    const partner = await kit.app.seed.userKey(kit.world.kari, {
      permissions: Object.values(Permission),
      kind: UserKeyKind.ACCOUNTANT,
      application: kit.world.apps.fiken,
    });
    await kit.app.seed.clientLink(kit.world.office, client, partner.userKey, kit.world.bokforing);
    const READ = '{ customers(first: 20) { edges { node { id name } } } }';
    const before = await kit.app.api.request(READ, {}, { token: partner.token, companyId: client.id });
    expect(before.errors).toEqual([]);
    expectOk(await setNetworks(partner.userKey.id, ['10.0.0.0/8', '127.0.0.0/8', '2001:db8::/32']));
    const after = await kit.app.api.request(READ, {}, { token: partner.token, companyId: client.id });
    expect(after.errors).toEqual([]);
    expect(after.data.customers.edges.length).toBeGreaterThan(0);
    expect(after.statements).toBe(before.statements);
    expect(after.statements).toBeLessThanOrEqual(2);
  });
});

describe('R30 behind a proxy (TRUST_PROXY=1)', () => {
  let proxied: TestApp & { clock: TestClock };
  let session: string;
  let proxiedWorld: World;

  beforeAll(async () => {
    proxied = await startLifecycleApp({ trustProxy: { kind: 'hops', hops: 1 } });
    proxiedWorld = await buildWorld(proxied.seed);
    session = await proxied.api.login('kari@regnskap.example');
  });
  afterAll(() => proxied.close());

  test('R30: with TRUST_PROXY the client address comes from X-Forwarded-For, and recentNetworks groups IPv6 by /64', async () => {
    const key = await createKey(proxied, session, { employeeId: proxiedWorld.kari.id });
    expectOk(
      await proxied.api.request(
        SET_NETWORKS,
        { id: key.userKey.id, cidrs: ['203.0.113.0/24', '2001:db8:1::/48'] },
        { token: session },
      ),
    );
    expect(await outcome(proxied, key.token, { 'x-forwarded-for': '203.0.113.7' })).toBe('OK');
    expect(await outcome(proxied, key.token, { 'x-forwarded-for': '2001:db8:1:2::99' })).toBe('OK');
    expect(await outcome(proxied, key.token, { 'x-forwarded-for': '2001:db8:1:2::100' })).toBe('OK');
    expect(await outcome(proxied, key.token, { 'x-forwarded-for': '198.51.100.1' })).toBe('NETWORK_NOT_ALLOWED');
    // the proxy itself (127.0.0.1, no header) is not in the list
    expect(await outcome(proxied, key.token)).toBe('NETWORK_NOT_ALLOWED');
    // a spoofed entry to the left of the one the proxy appended does not count
    expect(await outcome(proxied, key.token, { 'x-forwarded-for': '203.0.113.7, 198.51.100.1' })).toBe(
      'NETWORK_NOT_ALLOWED',
    );

    await proxied.server.services.keyNetworks.flush(proxied.clock.now());
    const uses = expectOk(await proxied.api.request(USER_KEY, { id: key.userKey.id }, { token: session })).userKey
      .recentNetworks;
    const byNetwork = Object.fromEntries(uses.map((u: Json) => [u.network, u.requests]));
    expect(byNetwork).toEqual({ '203.0.113.0/24': 1, '2001:db8:1:2::/64': 2 });
  });
});
