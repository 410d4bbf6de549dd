import { Permission } from '../../../server/src/auth/permission';
import { countStatements } from '../../../server/src/db/statement-counter';
import { sweepUnusedKeys } from '../../../server/src/modules/keys/key-lifecycle.service';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { RESTORE, createKey, startLifecycleApp, type Json } from './helpers';
import { DAY } from '../../testkit/clock';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const SET_POLICY = `mutation ($input: KeyPolicyInput!) {
  setKeyPolicy(input: $input) { requireExpiry maxLifetimeDays expireUnusedAfterDays } }`;
const READ_POLICY = '{ company { id keyPolicy { requireExpiry maxLifetimeDays expireUnusedAfterDays } } }';
const SET_EXPIRY = `mutation ($id: ID!, $expiresAt: DateTime) { setUserKeyExpiry(id: $id, expiresAt: $expiresAt) { id expiresAt } }`;
const SET_PERMISSIONS = `mutation ($id: ID!, $permissions: [Permission!]!) {
  setUserKeyPermissions(id: $id, permissions: $permissions) { id permissions } }`;

const kit = useWorld({ start: () => startLifecycleApp(), sessions: ['kari'] });

const setPolicy = (input: Json, token = kit.token.kari) => kit.app.api.request(SET_POLICY, { input }, { token });
const inDays = (days: number) => new Date(kit.app.clock.now().getTime() + days * DAY).toISOString();
const NO_POLICY = { requireExpiry: false, maxLifetimeDays: null, expireUnusedAfterDays: null };

describe('R29: company key policy', () => {
  afterEach(async () => {
    expectOk(await setPolicy(NO_POLICY));
  });

  test('R29: only ACCOUNT_ADMIN sets the policy; it reads back as Company.keyPolicy and emits key_policy.updated', async () => {
    const per = await kit.app.api.login('per@regnskap.example');
    expectCode(await setPolicy({ requireExpiry: true }, per), 'FORBIDDEN');
    for (const bad of [{ maxLifetimeDays: 0 }, { expireUnusedAfterDays: 3651 }]) {
      expectCode(await setPolicy({ requireExpiry: false, ...bad }), 'BAD_USER_INPUT');
    }
    const policy = { requireExpiry: true, maxLifetimeDays: 90, expireUnusedAfterDays: 30 };
    expect(expectOk(await setPolicy(policy)).setKeyPolicy).toEqual(policy);
    expect(expectOk(await kit.app.api.request(READ_POLICY, {}, { token: kit.token.kari })).company.keyPolicy).toEqual(
      policy,
    );
    // another company's policy is its own
    const anne = await kit.app.api.login('anne@annet.example');
    expect(expectOk(await kit.app.api.request(READ_POLICY, {}, { token: anne })).company.keyPolicy).toEqual(NO_POLICY);

    await kit.app.server.services.events.engine.tick(); // the relay numbers the event for the feed
    const feed = expectOk(
      await kit.app.api.request(
        '{ accessEvents(first: 10, types: ["key_policy.updated"]) { edges { node { type data } } } }',
        {},
        { token: kit.token.kari },
      ),
    ).accessEvents.edges.map((e: Json) => JSON.parse(e.node.data));
    expect(feed).toContainEqual({ companyId: kit.world.office.id, ...policy });
  });

  test('R29: another company’s admin cannot set this company’s policy, even naming it in X-Company-Id', async () => {
    const anne = await kit.app.api.login('anne@annet.example');
    const res = await kit.app.api.request(
      SET_POLICY,
      { input: { requireExpiry: true } },
      { token: anne, companyId: kit.world.office.id },
    );
    expect(res.errors.length).toBeGreaterThan(0);
    expect(expectOk(await kit.app.api.request(READ_POLICY, {}, { token: kit.token.kari })).company.keyPolicy).toEqual(
      NO_POLICY,
    );
  });

  test('R29: creating a key outside the policy is KEY_POLICY_VIOLATION naming the limit', async () => {
    expectOk(await setPolicy({ requireExpiry: true, maxLifetimeDays: 30 }));
    const create = (expiresAt: string | undefined) =>
      kit.app.api.request(
        'mutation ($input: CreateUserKeyInput!) { createUserKey(input: $input) { token userKey { id } } }',
        {
          input: {
            employeeId: kit.world.kari.id,
            name: `Policy ${expiresAt ?? 'none'}`,
            accessMode: 'CUSTOM',
            customApplicationName: 'Policy Test',
            ...(expiresAt ? { expiresAt } : {}),
          },
        },
        { token: kit.token.kari },
      );
    const none = expectCode(await create(undefined), 'KEY_POLICY_VIOLATION');
    expect(none.extensions?.limit).toBe('maxLifetimeDays');
    const tooLong = expectCode(await create(inDays(31)), 'KEY_POLICY_VIOLATION');
    expect(tooLong.extensions?.limit).toBe('maxLifetimeDays');
    expect(tooLong.message).toMatch(/30 days/);
    expectOk(await create(inDays(29)));

    expectOk(await setPolicy({ requireExpiry: true }));
    const missing = expectCode(await create(undefined), 'KEY_POLICY_VIOLATION');
    expect(missing.extensions?.limit).toBe('requireExpiry');
    expectOk(await create(inDays(400)));
  });

  test('R29: restoring, adding permissions to, or changing the expiry of a key outside the policy is refused; removing permissions is not', async () => {
    const key = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [Permission.LOGIN, Permission.CUSTOMER_READ],
    });
    expectOk(await setPolicy({ requireExpiry: true, maxLifetimeDays: 30 }));

    const restore = expectCode(
      await kit.app.api.request(RESTORE, { id: key.userKey.id }, { token: kit.token.kari }),
      'KEY_POLICY_VIOLATION',
    );
    expect(restore.extensions?.limit).toBe('maxLifetimeDays');
    const add = expectCode(
      await kit.app.api.request(
        SET_PERMISSIONS,
        { id: key.userKey.id, permissions: [Permission.LOGIN, Permission.CUSTOMER_READ, Permission.INVOICE_READ] },
        { token: kit.token.kari },
      ),
      'KEY_POLICY_VIOLATION',
    );
    expect(add.extensions?.limit).toBe('maxLifetimeDays');
    expectOk(
      await kit.app.api.request(
        SET_PERMISSIONS,
        { id: key.userKey.id, permissions: [Permission.LOGIN] },
        { token: kit.token.kari },
      ),
    );

    const far = expectCode(
      await kit.app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: inDays(60) }, { token: kit.token.kari }),
      'KEY_POLICY_VIOLATION',
    );
    expect(far.extensions?.limit).toBe('maxLifetimeDays');
    expectCode(
      await kit.app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: null }, { token: kit.token.kari }),
      'KEY_POLICY_VIOLATION',
    );
    expectOk(
      await kit.app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: inDays(20) }, { token: kit.token.kari }),
    );
    // now within the policy: restore and additions work again
    expectOk(await kit.app.api.request(RESTORE, { id: key.userKey.id }, { token: kit.token.kari }));
    expectOk(
      await kit.app.api.request(
        SET_PERMISSIONS,
        { id: key.userKey.id, permissions: [Permission.LOGIN, Permission.INVOICE_READ] },
        { token: kit.token.kari },
      ),
    );
  });

  test('R29: another company cannot change a key’s expiry (NOT_FOUND)', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const anne = await kit.app.api.login('anne@annet.example');
    expectNotFound(await kit.app.api.request(SET_EXPIRY, { id: key.userKey.id, expiresAt: null }, { token: anne }));
  });
});

describe('R29: the unused-key sweep', () => {
  const statusOf = async (id: string) => {
    const key = await kit.app.server.db.manager.findOneByOrFail(UserKey, { id });
    return key.statusAt(kit.app.clock.now());
  };

  test('R29: the sweep expires exactly the keys unused for expireUnusedAfterDays (never used: since creation), once', async () => {
    const now = kit.app.clock.now().getTime();
    const seeded = async (name: string, fields: Partial<UserKey>, owner = kit.world.kari) => {
      const { userKey } = await kit.app.seed.userKey(owner, { name, permissions: [Permission.LOGIN] });
      await kit.app.server.db.manager.update(UserKey, { id: userKey.id }, fields);
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
      otherCompany: await seeded('other company, no policy', { createdAt: ago(400) }, kit.world.other.admin),
    };
    expectOk(await setPolicy({ requireExpiry: false, expireUnusedAfterDays: 30 }));

    // one set-based statement however many keys and companies
    const first = countStatements(() => kit.app.server.db.transaction((m) => sweepUnusedKeys(m, kit.app.clock.now())));
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
    const expiresAt = (await kit.app.server.db.manager.findOneByOrFail(UserKey, { id: keys.neverUsedOld })).expiresAt;

    // a second run (and the engine's periodic one) changes nothing
    expect(await kit.app.server.db.transaction((m) => sweepUnusedKeys(m, kit.app.clock.now()))).toBe(0);
    await kit.app.server.services.events.engine.tick();
    expect((await kit.app.server.db.manager.findOneByOrFail(UserKey, { id: keys.neverUsedOld })).expiresAt).toEqual(
      expiresAt,
    );
    expect(await statusOf(keys.neverUsedNew)).toBe('ACTIVE');

    // time passes: the 10-day-old key reaches 30 unused days, and the engine's sweep expires it
    kit.app.clock.advance(21 * DAY);
    await kit.app.server.services.events.engine.tick();
    expect(await statusOf(keys.neverUsedNew)).toBe('EXPIRED');
    expect(await statusOf(keys.otherCompany)).toBe('ACTIVE');
  });
});
