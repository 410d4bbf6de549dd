import { Permission } from '../../../server/src/auth/permission';
import { KEY_PREFIX, issueSecret } from '../../../server/src/auth/secrets';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import { RESTORE, createKey, outcome, startLifecycleApp, type Json } from './helpers';
import type { TestClock } from '../../testkit/clock';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const REPORT = 'mutation ($secrets: [String!]!) { reportLeakedSecrets(secrets: $secrets) }';

const kit = useWorld({ start: () => startLifecycleApp(), sessions: ['kari'] });

const report = (secrets: string[]) => kit.app.api.request(REPORT, { secrets });
const statusOf = async (id: string) =>
  (await kit.app.server.db.manager.findOneByOrFail(UserKey, { id })).statusAt(kit.app.clock.now());
/** A string shaped like a key secret, with a valid checksum, that no key has. */
const unknownSecret = () => issueSecret(KEY_PREFIX).token;

describe('R31: leaked secrets', () => {
  test('R31: anyone may report, and the answer is true for junk, unknown secrets and real ones alike', async () => {
    for (const secrets of [['junk'], ['nkl_not-really'], [unknownSecret()], ['x'.repeat(2_000)]]) {
      const res = await report(secrets);
      expect(res.errors).toEqual([]);
      expect(res.data.reportLeakedSecrets).toBe(true);
    }
    // a string longer than any argument may be is refused by its length alone, which says nothing
    // about any secret (every string argument has a length limit, checked before any lookup)
    expectCode(await report(['x'.repeat(10_000)]), 'BAD_USER_INPUT');
  });

  test('R31: a reported secret is revoked with every key it created, with audit reason LEAK_REPORTED; others stay', async () => {
    const leaked = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [Permission.LOGIN, Permission.USER_ADMIN],
    });
    const child = await createKey(kit.app, leaked.token, { employeeId: kit.world.kari.id });
    const bystander = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });

    const res = await report(['junk', unknownSecret(), leaked.token]);
    expect(res.data.reportLeakedSecrets).toBe(true);
    expect(await statusOf(leaked.userKey.id)).toBe('REVOKED');
    expect(await statusOf(child.userKey.id)).toBe('REVOKED');
    expect(await statusOf(bystander.userKey.id)).toBe('ACTIVE');
    expect(await outcome(kit.app, leaked.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, child.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(kit.app, bystander.token)).toBe('OK');

    const audit = await kit.app.server.db.manager.findBy(AuditEvent, {
      action: 'userKey.revoke',
      targetId: leaked.userKey.id,
    });
    expect(audit.map((a) => JSON.parse(a.details ?? '{}').reason)).toEqual(['LEAK_REPORTED']);
    const childAudit = await kit.app.server.db.manager.findBy(AuditEvent, {
      action: 'userKey.revoke',
      targetId: child.userKey.id,
    });
    expect(JSON.parse(childAudit[0].details ?? '{}')).toMatchObject({
      cascadeFrom: leaked.userKey.id,
      reason: 'LEAK_REPORTED',
    });

    await kit.app.server.services.events.engine.tick();
    const events = expectOk(
      await kit.app.api.request(
        '{ accessEvents(first: 20, types: ["user_key.leak_reported", "user_key.revoked"]) { edges { node { type data } } } }',
        {},
        { token: kit.token.kari },
      ),
    ).accessEvents.edges.map((e: Json) => `${e.node.type}:${JSON.parse(e.node.data).userKeyId}`);
    expect(events).toEqual(
      expect.arrayContaining([
        `user_key.leak_reported:${leaked.userKey.id}`,
        `user_key.revoked:${leaked.userKey.id}`,
        `user_key.revoked:${child.userKey.id}`,
      ]),
    );

    // reporting it again changes nothing
    expect((await report([leaked.token])).data.reportLeakedSecrets).toBe(true);
    expect(
      await kit.app.server.db.manager.countBy(AuditEvent, { action: 'userKey.revoke', targetId: leaked.userKey.id }),
    ).toBe(1);
  });

  test('R31: a previous secret still in its overlap is a live secret: reporting it revokes the key', async () => {
    const key = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id });
    const fresh = expectOk(
      await kit.app.api.request(RESTORE, { id: key.userKey.id, keep: 3600 }, { token: kit.token.kari }),
    ).restoreUserKey;
    expect(await outcome(kit.app, key.token)).toBe('OK');
    await report([key.token]);
    expect(await outcome(kit.app, fresh.token)).toBe('UNAUTHENTICATED');
    expect(await statusOf(key.userKey.id)).toBe('REVOKED');
  });

  test('R31: a report holds 1–1,000 strings; the work does not depend on whether a string is a real secret', async () => {
    expectCode(await report([]), 'BAD_USER_INPUT');
    expectCode(await report(Array.from({ length: 1001 }, (_, i) => `junk ${i}`)), 'BAD_USER_INPUT');
    const thousand = await report(Array.from({ length: 1000 }, () => unknownSecret()));
    expect(thousand.data.reportLeakedSecrets).toBe(true);
    // the same statements for junk as for well-formed secrets: one lookup for the whole report
    const junk = await report(['junk']);
    const wellFormed = await report([unknownSecret(), unknownSecret()]);
    expect(junk.statements).toBe(wellFormed.statements);
    expect(thousand.statements).toBe(junk.statements);
  });
});

describe('R31: rate limit', () => {
  let limited: TestApp & { clock: TestClock };

  beforeAll(async () => {
    const base = kit.app.server.config.rateLimits;
    limited = await startLifecycleApp({ rateLimits: { ...base, leakReportsPerIp: 2 } });
  });
  afterAll(() => limited.close());

  test('R31: leak reports are rate-limited per address (RATE_LIMITED)', async () => {
    const send = () => limited.api.request(REPORT, { secrets: ['junk'] });
    expect((await send()).data.reportLeakedSecrets).toBe(true);
    expect((await send()).data.reportLeakedSecrets).toBe(true);
    const third = await send();
    expectCode(third, 'RATE_LIMITED');
  });
});
