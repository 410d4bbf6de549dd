import { Permission } from '../../../server/src/auth/permission';
import { KEY_PREFIX, issueSecret } from '../../../server/src/auth/secrets';
import { AuditEvent } from '../../../server/src/modules/audit/audit-event.entity';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import type { TestApp } from '../../testkit/app';
import { buildWorld, type World } from '../../testkit/world';
import { codes } from '../../testkit/graphql-client';
import {
  RESTORE,
  createKey,
  expectOk,
  outcome,
  refusal,
  startLifecycleApp,
  type Json,
  type TestClock,
} from './helpers';

const REPORT = 'mutation ($secrets: [String!]!) { reportLeakedSecrets(secrets: $secrets) }';

let app: TestApp & { clock: TestClock };
let world: World;
let kari: string;

beforeAll(async () => {
  app = await startLifecycleApp();
  world = await buildWorld(app.seed);
  kari = await app.api.login('kari@regnskap.example');
});
afterAll(() => app.close());

const report = (secrets: string[]) => app.api.request(REPORT, { secrets });
const statusOf = async (id: string) =>
  (await app.server.db.manager.findOneByOrFail(UserKey, { id })).statusAt(app.clock.now());
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
    expect(codes(await report(['x'.repeat(10_000)]))).toEqual(['BAD_USER_INPUT']);
  });

  test('R31: a reported secret is revoked with every key it created, with audit reason LEAK_REPORTED; others stay', async () => {
    const leaked = await createKey(app, kari, {
      employeeId: world.kari.id,
      permissions: [Permission.LOGIN, Permission.USER_ADMIN],
    });
    const child = await createKey(app, leaked.token, { employeeId: world.kari.id });
    const bystander = await createKey(app, kari, { employeeId: world.kari.id });

    const res = await report(['junk', unknownSecret(), leaked.token]);
    expect(res.data.reportLeakedSecrets).toBe(true);
    expect(await statusOf(leaked.userKey.id)).toBe('REVOKED');
    expect(await statusOf(child.userKey.id)).toBe('REVOKED');
    expect(await statusOf(bystander.userKey.id)).toBe('ACTIVE');
    expect(await outcome(app, leaked.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, child.token)).toBe('UNAUTHENTICATED');
    expect(await outcome(app, bystander.token)).toBe('OK');

    const audit = await app.server.db.manager.findBy(AuditEvent, {
      action: 'userKey.revoke',
      targetId: leaked.userKey.id,
    });
    expect(audit.map((a) => JSON.parse(a.details ?? '{}').reason)).toEqual(['LEAK_REPORTED']);
    const childAudit = await app.server.db.manager.findBy(AuditEvent, {
      action: 'userKey.revoke',
      targetId: child.userKey.id,
    });
    expect(JSON.parse(childAudit[0].details ?? '{}')).toMatchObject({
      cascadeFrom: leaked.userKey.id,
      reason: 'LEAK_REPORTED',
    });

    await app.server.services.events.engine.tick();
    const events = expectOk(
      await app.api.request(
        '{ accessEvents(first: 20, types: ["user_key.leak_reported", "user_key.revoked"]) { edges { node { type data } } } }',
        {},
        { token: kari },
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
      await app.server.db.manager.countBy(AuditEvent, { action: 'userKey.revoke', targetId: leaked.userKey.id }),
    ).toBe(1);
  });

  test('R31: a previous secret still in its overlap is a live secret: reporting it revokes the key', async () => {
    const key = await createKey(app, kari, { employeeId: world.kari.id });
    const fresh = expectOk(
      await app.api.request(RESTORE, { id: key.userKey.id, keep: 3600 }, { token: kari }),
    ).restoreUserKey;
    expect(await outcome(app, key.token)).toBe('OK');
    await report([key.token]);
    expect(await outcome(app, fresh.token)).toBe('UNAUTHENTICATED');
    expect(await statusOf(key.userKey.id)).toBe('REVOKED');
  });

  test('R31: a report holds 1–1,000 strings; the work does not depend on whether a string is a real secret', async () => {
    expect(refusal(await report([])).code).toBe('BAD_USER_INPUT');
    expect(refusal(await report(Array.from({ length: 1001 }, (_, i) => `junk ${i}`))).code).toBe('BAD_USER_INPUT');
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
    const base = app.server.config.rateLimits;
    limited = await startLifecycleApp({ rateLimits: { ...base, leakReportsPerIp: 2 } });
  });
  afterAll(() => limited.close());

  test('R31: leak reports are rate-limited per address (RATE_LIMITED)', async () => {
    const send = () => limited.api.request(REPORT, { secrets: ['junk'] });
    expect((await send()).data.reportLeakedSecrets).toBe(true);
    expect((await send()).data.reportLeakedSecrets).toBe(true);
    const third = await send();
    expect(refusal(third).code).toBe('RATE_LIMITED');
  });
});
