import { Permission } from '../../../server/src/auth/permission';
import { countStatements } from '../../../server/src/db/statement-counter';
import { sweepUnusedKeys } from '../../../server/src/modules/keys/key-lifecycle.service';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import { buildWorld, type World } from '../../testkit/world';
import { DAY, RESTORE, createKey, expectOk, refusal, startLifecycleApp, type Json, type TestClock } from './helpers';

const SET_POLICY = `mutation ($input: KeyPolicyInput!) {
  setKeyPolicy(input: $input) { requireExpiry maxLifetimeDays expireUnusedAfterDays } }`;
const READ_POLICY = '{ company { id keyPolicy { requireExpiry maxLifetimeDays expireUnusedAfterDays } } }';
const SET_EXPIRY = `mutation ($id: ID!, $expiresAt: DateTime) { setUserKeyExpiry(id: $id, expiresAt: $expiresAt) { id expiresAt } }`;
const SET_PERMISSIONS = `mutation ($id: ID!, $permissions: [Permission!]!) {
  setUserKeyPermissions(id: $id, permissions: $permissions) { id permissions } }`;

let app: TestApp & { clock: TestClock };
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startLifecycleApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

const setPolicy = (input: Json, token = kari) => app.api.request(SET_POLICY, { input }, { token });
const inDays = (days: number) => new Date(app.clock.now().getTime() + days * DAY).toISOString();
const NO_POLICY = { requireExpiry: false, maxLifetimeDays: null, expireUnusedAfterDays: null };

describe('R29: company key policy', () => {
  afterEach(async () => {
    expectOk(await setPolicy(NO_POLICY));
  });

  test('R29: only ACCOUNT_ADMIN sets the policy; it reads back as Company.keyPolicy and emits key_policy.updated', async () => {
    const per = await app.api.login('per@regnskap.example');
    expect(refusal(await setPolicy({ requireExpiry: true }, per)).code).toBe('FORBIDDEN');
    for (const bad of [{ maxLifetimeDays: 0 }, { expireUnusedAfterDays: 3651 }]) {
      expect(refusal(await setPolicy({ requireExpiry: false, ...bad })).code).toBe('BAD_USER_INPUT');
    }
    const policy = { requireExpiry: true, maxLifetimeDays: 90, expireUnusedAfterDays: 30 };
    expect(expectOk(await setPolicy(policy)).setKeyPolicy).toEqual(policy);
    expect(expectOk(await app.api.request(READ_POLICY, {}, { token: kari })).company.keyPolicy).toEqual(policy);
    // another company's policy is its own
    const anne = await app.api.login('anne@annet.example');
    expect(expectOk(await app.api.request(READ_POLICY, {}, { token: anne })).company.keyPolicy).toEqual(NO_POLICY);

    await app.server.services.events.engine.tick(); // the relay numbers the event for the feed
    const feed = expectOk(
      await app.api.request(
        '{ accessEvents(first: 10, types: ["key_policy.updated"]) { edges { node { type data } } } }',
        {},
        { token: kari },
      ),
    ).accessEvents.edges.map((e: Json) => JSON.parse(e.node.data));
    expect(feed).toContainEqual({ companyId: world.office.id, ...policy });
  });

  test('R29: another company’s admin cannot set this company’s policy, even naming it in X-Company-Id', async () => {
    const anne = await app.api.login('anne@annet.example');
    const res = await app.api.request(
      SET_POLICY,
      { input: { requireExpiry: true } },
      { token: anne, companyId: world.office.id },
    );
    expect(res.errors.length).toBeGreaterThan(0);
    expect(expectOk(await app.api.request(READ_POLICY, {}, { token: kari })).company.keyPolicy).toEqual(NO_POLICY);
  });

  test('R29: creating a key outside the policy is KEY_POLICY_VIOLATION naming the limit', async () => {
    expectOk(await setPolicy({ requireExpiry: true, maxLifetimeDays: 30 }));
    const create = (expiresAt: string | undefined) =>
      app.api.request(
        'mutation ($input: CreateUserKeyInput!) { createUserKey(input: $input) { token userKey { id } } }',
        {
          input: {
            employeeId: world.kari.id,
            name: `Policy ${expiresAt ?? 'none'}`,
            accessMode: 'CUSTOM',
            customApplicationName: 'Policy Test',
            ...(expiresAt ? { expiresAt } : {}),
          },
        },
        { token: kari },
      );
    const none = refusal(await create(undefined));
    expect(none.code).toBe('KEY_POLICY_VIOLATION');
    expect(none.extensions.limit).toBe('maxLifetimeDays');
    const tooLong = refusal(await create(inDays(31)));
    expect([tooLong.code, tooLong.extensions.limit]).toEqual(['KEY_POLICY_VIOLATION', 'maxLifetimeDays']);
    expect(tooLong.message).toMatch(/30 days/);
    expectOk(await create(inDays(29)));

    expectOk(await setPolicy({ requireExpiry: true }));
    const missing = refusal(await create(undefined));
    expect([missing.code, missing.extensions.limit]).toEqual(['KEY_POLICY_VIOLATION', 'requireExpiry']);
    expectOk(await create(inDays(400)));
  });

  test('R29: restoring, adding permissions to, or changing the expiry of a key outside the policy is refused; removing permissions is not', async () => {
    const key = await createKey(app, kari, {
      employeeId: world.kari.id,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    expectOk(await setPolicy({ requireExpiry: true, maxLifetimeDays: 30 }));

    const restore = refusal(await app.api.request(RESTORE, { id: key.userKey.id }, { token: kari }));
    expect([restore.code, restore.extensions.limit]).toEqual(['KEY_POLICY_VIOLATION', 'maxLifetimeDays']);
    const add = refusal(
      await app.api.request(
        SET_PERMISSIONS,
        { id: key.userKey.id, permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ] },
        { token: kari },
      ),
    );
    expect([add.code, add.extensions.limit]).toEqual(['KEY_POLICY_VIOLATION', 'maxLifetimeDays']);
    expectOk(
      await app.api.request(SET_PERMISSIONS, { id: key.userKey.id, permissions: [Permission.LOGIN] }, { token: kari }),
    );

    const far = refusal(
      await app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: inDays(60) }, { token: kari }),
    );
    expect([far.code, far.extensions.limit]).toEqual(['KEY_POLICY_VIOLATION', 'maxLifetimeDays']);
    const never = refusal(await app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: null }, { token: kari }));
    expect(never.code).toBe('KEY_POLICY_VIOLATION');
    expectOk(await app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: inDays(20) }, { token: kari }));
    // now within the policy: restore and additions work again
    expectOk(await app.api.request(RESTORE, { id: key.userKey.id }, { token: kari }));
    expectOk(
      await app.api.request(
        SET_PERMISSIONS,
        { id: key.userKey.id, permissions: [Permission.LOGIN, Permission.INVOICE_READ] },
        { token: kari },
      ),
    );
  });

  test('R29: another company cannot change a key’s expiry (NOT_FOUND)', async () => {
    const key = await createKey(app, kari, { employeeId: world.kari.id });
    const anne = await app.api.login('anne@annet.example');
    expect(
      refusal(await app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: null }, { token: anne })).code,
    ).toBe('NOT_FOUND');
  });
});

describe('R29: the unused-key sweep', () => {
  const statusOf = async (id: string) => {
    const key = await app.server.db.manager.findOneByOrFail(UserKey, { id });
    return key.statusAt(app.clock.now());
  };

  test('R29: the sweep expires exactly the keys unused for expireUnusedAfterDays (never used: since creation), once', async () => {
    const now = app.clock.now().getTime();
    const seeded = async (name: string, fields: Partial<UserKey>, owner = world.kari) => {
      const { userKey } = await app.seed.userKey(owner, { name, permissions: [Permission.LOGIN] });
      await app.server.db.manager.update(UserKey, { id: userKey.id }, fields);
      return userKey.id;
    };
    const ago = (days: number) => new Date(now - days * DAY);
    const keys = {
      neverUsedOld: await seeded('never used, 40 days old', { createdAt: ago(40) }),
      neverUsedNew: await seeded('never used, 10 days old', { createdAt: ago(10) }),
      usedRecently: await seeded('used 10 days ago', { createdAt: ago(100), lastUsedAt: ago(10) }),
      usedLongAgo: await seeded('used 31 days ago', { createdAt: ago(100), lastUsedAt: ago(31) }),
      revoked: await seeded('revoked', { createdAt: ago(100), revokedAt: ago(50) }),
      expiresLater: await seeded('unused, expires in 5 days', { createdAt: ago(60), expiresAt: ago(-5) }),
      otherCompany: await seeded('other company, no policy', { createdAt: ago(400) }, world.other.admin),
    };
    expectOk(await setPolicy({ requireExpiry: false, expireUnusedAfterDays: 30 }));

    // one set-based statement however many keys and companies
    const first = countStatements(() => app.server.db.transaction((m) => sweepUnusedKeys(m, app.clock.now())));
    expect(await first.result).toBe(3);
    expect(first.scope.statements).toBeLessThanOrEqual(3); // BEGIN, the UPDATE, COMMIT

    const expired = Object.entries(keys)
      .filter(([, id]) => id)
      .map(async ([name, id]) => [name, await statusOf(id)] as const);
    expect(Object.fromEntries(await Promise.all(expired))).toEqual({
      neverUsedOld: 'EXPIRED',
      neverUsedNew: 'ACTIVE',
      usedRecently: 'ACTIVE',
      usedLongAgo: 'EXPIRED',
      revoked: 'REVOKED',
      expiresLater: 'EXPIRED',
      otherCompany: 'ACTIVE',
    });
    const expiresAt = (await app.server.db.manager.findOneByOrFail(UserKey, { id: keys.neverUsedOld })).expiresAt;

    // a second run (and the engine's periodic one) changes nothing
    expect(await app.server.db.transaction((m) => sweepUnusedKeys(m, app.clock.now()))).toBe(0);
    await app.server.services.events.engine.tick();
    expect((await app.server.db.manager.findOneByOrFail(UserKey, { id: keys.neverUsedOld })).expiresAt).toEqual(
      expiresAt,
    );
    expect(await statusOf(keys.neverUsedNew)).toBe('ACTIVE');

    // time passes: the 10-day-old key reaches 30 unused days, and the engine's sweep expires it
    app.clock.advance(21 * DAY);
    await app.server.services.events.engine.tick();
    expect(await statusOf(keys.neverUsedNew)).toBe('EXPIRED');
    expect(await statusOf(keys.otherCompany)).toBe('ACTIVE');
  });
});
