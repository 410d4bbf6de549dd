import { RESTORE, createKey, outcome, startLifecycleApp, revokeKey } from './helpers';
import { SECOND } from '../../testkit/clock';
import { expectCode, expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const kit = useWorld({ start: () => startLifecycleApp(), sessions: ['kari'] });

const restore = (id: string, variables: Record<string, unknown>, token = kit.token.kari) =>
  kit.app.api.request(RESTORE, { id, ...variables }, { token });

describe('R28: rotation with overlap', () => {
  test('R28: both secrets work during the overlap, and the old one is refused right after it', async () => {
    const old = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const restoredAt = kit.app.clock.now().getTime();
    const fresh = expectOk(await restore(old.userKey.id, { keep: 3600 })).restoreUserKey;
    const until = new Date(fresh.userKey.previousSecretExpiresAt).getTime();
    expect(until).toBeGreaterThanOrEqual(restoredAt + 3600 * SECOND);
    expect(until).toBeLessThan(restoredAt + 3600 * SECOND + 60 * SECOND);

    expect(await outcome(kit.app, old.token)).toBe('OK');
    expect(await outcome(kit.app, fresh.token)).toBe('OK');

    kit.app.clock.advance(until - kit.app.clock.now().getTime() - SECOND); // one second before the end
    expect(await outcome(kit.app, old.token)).toBe('OK');
    kit.app.clock.advance(2 * SECOND); // one second after
    expect(await outcome(kit.app, old.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, fresh.token)).toBe('OK');
    kit.token.kari = await kit.app.api.login('kari@regnskap.example');
  });

  test('R28: without keepPreviousSecretFor a restore is a hard cut (R9), and a later restore ends an overlap at once', async () => {
    const first = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const hard = expectOk(await restore(first.userKey.id, {})).restoreUserKey;
    expect(hard.userKey.previousSecretExpiresAt).toBeNull();
    expect(await outcome(kit.app, first.token)).toBe('UNAUTHENTICATED');

    kit.app.clock.advance(10 * SECOND); // past the restore race window
    const second = expectOk(await restore(first.userKey.id, { keep: 600 })).restoreUserKey;
    expect(await outcome(kit.app, hard.token)).toBe('OK');
    kit.app.clock.advance(10 * SECOND);
    const third = expectOk(await restore(first.userKey.id, { keep: 0 })).restoreUserKey;
    expect(third.userKey.previousSecretExpiresAt).toBeNull();
    expect(await outcome(kit.app, hard.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, second.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, third.token)).toBe('OK');
  });

  test('R28: a compromised restore never keeps the old secret; the overlap is 0–604800 seconds', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const compromised = await restore(key.userKey.id, { keep: 60, compromised: true });
    const error = expectCode(compromised, 'BAD_USER_INPUT');
    expect(error.extensions?.fields).toEqual([expect.objectContaining({ field: 'keepPreviousSecretFor' })]);
    for (const keep of [-1, 604_801]) expectCode(await restore(key.userKey.id, { keep }), 'BAD_USER_INPUT');
    // nothing was changed by the refused restores: the original secret still works
    expect(await outcome(kit.app, key.token)).toBe('OK');

    const week = expectOk(await restore(key.userKey.id, { keep: 604_800 })).restoreUserKey;
    expect(await outcome(kit.app, key.token)).toBe('OK');
    kit.app.clock.advance(10 * SECOND);
    // compromised: true with no overlap ends the overlap of the previous restore too
    const cut = expectOk(await restore(key.userKey.id, { keep: 0, compromised: true })).restoreUserKey;
    expect(await outcome(kit.app, key.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, week.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, cut.token)).toBe('OK');
  });

  test('R28: a revoked key is refused by its previous secret too, and another company cannot restore it', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const fresh = expectOk(await restore(key.userKey.id, { keep: 3600 })).restoreUserKey;
    const anne = await kit.app.api.login('anne@annet.example');
    expectNotFound(await restore(key.userKey.id, { keep: 3600 }, anne));
    await revokeKey(kit.app, kit.token.kari, key.userKey.id);
    expect(await outcome(kit.app, key.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, fresh.token)).toBe('UNAUTHENTICATED');
  });
});
