import type { TestApp } from '../../testkit/app';
import { buildWorld, type World } from '../../testkit/world';
import { RESTORE, SECOND, createKey, expectOk, outcome, refusal, startLifecycleApp, type TestClock } from './helpers';

let app: TestApp & { clock: TestClock };
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startLifecycleApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

const restore = (id: string, variables: Record<string, unknown>, token = kari) =>
  app.api.request(RESTORE, { id, ...variables }, { token });

describe('R28: rotation with overlap', () => {
  test('R28: both secrets work during the overlap, and the old one is refused right after it', async () => {
    const old = await createKey(app, kari, { employeeId: world.kari.id });
    const restoredAt = app.clock.now().getTime();
    const fresh = expectOk(await restore(old.userKey.id, { keep: 3600 })).restoreUserKey;
    const until = new Date(fresh.userKey.previousSecretExpiresAt).getTime();
    expect(until).toBeGreaterThanOrEqual(restoredAt + 3600 * SECOND);
    expect(until).toBeLessThan(restoredAt + 3600 * SECOND + 60 * SECOND);

    expect(await outcome(app, old.token)).toBe('OK');
    expect(await outcome(app, fresh.token)).toBe('OK');

    app.clock.advance(until - app.clock.now().getTime() - SECOND); // one second before the end
    expect(await outcome(app, old.token)).toBe('OK');
    app.clock.advance(2 * SECOND); // one second after
    expect(await outcome(app, old.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, fresh.token)).toBe('OK');
    kari = await app.api.login('kari@regnskap.example');
  });

  test('R28: without keepPreviousSecretFor a restore is a hard cut (R9), and a later restore ends an overlap at once', async () => {
    const first = await createKey(app, kari, { employeeId: world.kari.id });
    const hard = expectOk(await restore(first.userKey.id, {})).restoreUserKey;
    expect(hard.userKey.previousSecretExpiresAt).toBeNull();
    expect(await outcome(app, first.token)).toBe('UNAUTHENTICATED');

    app.clock.advance(10 * SECOND); // past the restore race window
    const second = expectOk(await restore(first.userKey.id, { keep: 600 })).restoreUserKey;
    expect(await outcome(app, hard.token)).toBe('OK');
    app.clock.advance(10 * SECOND);
    const third = expectOk(await restore(first.userKey.id, { keep: 0 })).restoreUserKey;
    expect(third.userKey.previousSecretExpiresAt).toBeNull();
    expect(await outcome(app, hard.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, second.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, third.token)).toBe('OK');
  });

  test('R28: a compromised restore never keeps the old secret; the overlap is 0–604800 seconds', async () => {
    const key = await createKey(app, kari, { employeeId: world.kari.id });
    const compromised = await restore(key.userKey.id, { keep: 60, compromised: true });
    expect(refusal(compromised).code).toBe('BAD_USER_INPUT');
    expect(refusal(compromised).extensions.fields[0].field).toBe('keepPreviousSecretFor');
    for (const keep of [-1, 604_801])
      expect(refusal(await restore(key.userKey.id, { keep })).code).toBe('BAD_USER_INPUT');
    // nothing was changed by the refused restores: the original secret still works
    expect(await outcome(app, key.token)).toBe('OK');

    const week = expectOk(await restore(key.userKey.id, { keep: 604_800 })).restoreUserKey;
    expect(await outcome(app, key.token)).toBe('OK');
    app.clock.advance(10 * SECOND);
    // compromised: true with no overlap ends the overlap of the previous restore too
    const cut = expectOk(await restore(key.userKey.id, { keep: 0, compromised: true })).restoreUserKey;
    expect(await outcome(app, key.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, week.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, cut.token)).toBe('OK');
  });

  test('R28: a revoked key is refused by its previous secret too, and another company cannot restore it', async () => {
    const key = await createKey(app, kari, { employeeId: world.kari.id });
    const fresh = expectOk(await restore(key.userKey.id, { keep: 3600 })).restoreUserKey;
    const anne = await app.api.login('anne@annet.example');
    expect(refusal(await restore(key.userKey.id, { keep: 3600 }, anne)).code).toBe('NOT_FOUND');
    expectOk(
      await app.api.request(
        'mutation ($id: ID!) { revokeUserKey(id: $id) { id } }',
        { id: key.userKey.id },
        { token: kari },
      ),
    );
    expect(await outcome(app, key.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, fresh.token)).toBe('UNAUTHENTICATED');
  });
});
