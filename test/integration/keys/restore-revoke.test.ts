import { Permission } from '../../../server/src/auth/permission';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { codes } from '../../testkit/graphql-client';
import { createKey, effectiveOf, restoreKey, sha256, type Json } from './helpers';
import { RESTORE_KEY, REVOKE_KEY, SET_KEY_PERMISSIONS, USER_KEY, VIEWER } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { sleep } from '../../testkit/clock';
import { useWorld } from '../../testkit/run';

const { LOGIN, CUSTOMER_READ, INVOICE_READ, HOURS_REGISTER } = Permission;

const kit = useWorld({ sessions: ['kari'] });

const keyView = async (id: string) =>
  expectOk(await kit.app.api.request(USER_KEY, { id }, { token: kit.token.kari })).userKey;
const listed = async (filter: Json) =>
  expectOk(
    await kit.app.api.request(
      'query ($filter: UserKeyFilter) { userKeys(filter: $filter, first: 100) { edges { node { id status } } } }',
      { filter },
      { token: kit.token.kari },
    ),
  ).userKeys.edges.map((e: Json) => e.node);
const secretHashOf = async (id: string) =>
  (await kit.app.server.db.manager.findOneByOrFail(UserKey, { id })).secretHash;

describe('restoreUserKey', () => {
  test('R9: after a restore the old secret is refused (UNAUTHENTICATED) and the new one works', async () => {
    const old = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ],
    });
    expect(await effectiveOf(kit.app, old.token)).toEqual([LOGIN, CUSTOMER_READ]);

    const fresh = await restoreKey(kit.app, kit.token.kari, old.userKey.id);
    expect(fresh.token).not.toBe(old.token);
    expect(fresh.userKey.tokenHint).toBe(`nkl_…${fresh.token.slice(-4)}`);
    expect(fresh.userKey.status).toBe('ACTIVE');

    const refused = await kit.app.api.request(VIEWER, {}, { token: old.token });
    expectCode(refused, 'UNAUTHENTICATED');
    expect(refused.status).toBe(401);
    expect(await effectiveOf(kit.app, fresh.token)).toEqual([LOGIN, CUSTOMER_READ]);
    expect(await secretHashOf(old.userKey.id)).toBe(sha256(fresh.token));
  });

  test('R9: a restored key keeps its id, permissions, client links and history', async () => {
    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      applicationId: kit.world.apps.fiken.id,
      name: 'Fiken for klientene',
      accountantKey: true,
      permissions: [CUSTOMER_READ, INVOICE_READ],
    });
    const entity = await kit.app.server.db.manager.findOneByOrFail(UserKey, { id: made.userKey.id });
    await kit.app.seed.clientLink(kit.world.office, kit.world.bakeri, entity, kit.world.bokforing);
    await kit.app.seed.clientLink(kit.world.office, kit.world.fjordFisk, entity, kit.world.kunLese);
    const atBakeri = '{ customers(first: 10) { totalCount } }';
    const bakeriCustomers = expectOk(
      await kit.app.api.request(atBakeri, {}, { token: made.token, companyId: kit.world.bakeri.id }),
    ).customers.totalCount;
    expect(bakeriCustomers).toBeGreaterThan(0);

    const LINKS = `query ($id: ID!) { userKey(id: $id) { id name createdAt applicationName kind permissions
      clients(first: 10) { totalCount edges { node { client { id } template { id } } } } } }`;
    const before = expectOk(
      await kit.app.api.request(LINKS, { id: made.userKey.id }, { token: kit.token.kari }),
    ).userKey;
    expect(before.clients.totalCount).toBe(2);

    const fresh = await restoreKey(kit.app, kit.token.kari, made.userKey.id);

    const after = expectOk(
      await kit.app.api.request(LINKS, { id: made.userKey.id }, { token: kit.token.kari }),
    ).userKey;
    expect(after).toEqual(before);
    const history = expectOk(
      await kit.app.api.request(
        '{ auditEvents(first: 100) { edges { node { action targetId } } } }',
        {},
        { token: kit.token.kari },
      ),
    ).auditEvents.edges.map((e: Json) => e.node);
    expect(history.filter((e: Json) => e.targetId === made.userKey.id).map((e: Json) => e.action)).toEqual([
      'userKey.restore',
      'userKey.create',
    ]);
    // the new secret works at the linked client, the old one nowhere
    expect(
      expectOk(await kit.app.api.request(atBakeri, {}, { token: fresh.token, companyId: kit.world.bakeri.id }))
        .customers.totalCount,
    ).toBe(bakeriCustomers);
    expectCode(
      await kit.app.api.request(atBakeri, {}, { token: made.token, companyId: kit.world.bakeri.id }),
      'UNAUTHENTICATED',
    );
  });

  test('R9: 20 concurrent restores leave exactly one valid secret; every secret handed out works, the rest get CONFLICT', async () => {
    const made = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    const results = await Promise.all(
      Array.from({ length: 20 }, () =>
        kit.app.api.request(RESTORE_KEY, { id: made.userKey.id }, { token: kit.token.kari }),
      ),
    );
    const winners = results.filter((r) => r.data?.restoreUserKey).map((r) => r.data.restoreUserKey.token as string);
    const losers = results.filter((r) => !r.data?.restoreUserKey);

    expect(winners).toHaveLength(1);
    expect(losers.flatMap((r) => codes(r))).toEqual(Array(19).fill('CONFLICT'));
    expect(await secretHashOf(made.userKey.id)).toBe(sha256(winners[0]));
    expect(await effectiveOf(kit.app, winners[0])).toEqual([LOGIN]);
    expectCode(await kit.app.api.request(VIEWER, {}, { token: made.token }), 'UNAUTHENTICATED');
    expect((await keyView(made.userKey.id)).tokenHint).toBe(`nkl_…${winners[0].slice(-4)}`);
  });

  test('R9: a restore right after another is taken for a race (CONFLICT) and voids nothing; later restores work', async () => {
    const made = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    const first = await restoreKey(kit.app, kit.token.kari, made.userKey.id);
    const second = await kit.app.api.request(RESTORE_KEY, { id: made.userKey.id }, { token: kit.token.kari });
    expectCode(second, 'CONFLICT');
    expect(await effectiveOf(kit.app, first.token)).toEqual([LOGIN]);

    // a few seconds later (the clock moved on) it is an ordinary restore again
    await kit.app.server.db.manager.update(
      UserKey,
      { id: made.userKey.id },
      { restoredAt: new Date(Date.now() - 60_000) },
    );
    const third = await restoreKey(kit.app, kit.token.kari, made.userKey.id);
    expectCode(await kit.app.api.request(VIEWER, {}, { token: first.token }), 'UNAUTHENTICATED');
    expect(await effectiveOf(kit.app, third.token)).toEqual([LOGIN]);
  });
});

describe('revokeUserKey and expiry', () => {
  test('R10: a revoked key is refused at once and stays visible with status REVOKED', async () => {
    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN, CUSTOMER_READ],
    });
    expect(await effectiveOf(kit.app, made.token)).toEqual([LOGIN, CUSTOMER_READ]);

    const before = Date.now();
    const revoked = expectOk(
      await kit.app.api.request(REVOKE_KEY, { id: made.userKey.id }, { token: kit.token.kari }),
    ).revokeUserKey;
    expect(revoked.status).toBe('REVOKED');
    expect(Date.parse(revoked.revokedAt)).toBeGreaterThanOrEqual(before - 5);

    const refused = await kit.app.api.request(VIEWER, {}, { token: made.token });
    expectCode(refused, 'UNAUTHENTICATED');
    expect(refused.status).toBe(401);

    const view = await keyView(made.userKey.id);
    expect(view).toMatchObject({ id: made.userKey.id, status: 'REVOKED', revokedAt: revoked.revokedAt });
    expect(view.permissions).toEqual([LOGIN, CUSTOMER_READ]);
    expect(await listed({})).toContainEqual({ id: made.userKey.id, status: 'REVOKED' });
    expect(await listed({ status: 'REVOKED' })).toContainEqual({ id: made.userKey.id, status: 'REVOKED' });
    expect((await listed({ status: 'ACTIVE' })).map((k: Json) => k.id)).not.toContain(made.userKey.id);
  });

  test('R10: revoking twice keeps the first revocation time; a revoked key cannot be restored or edited (CONFLICT)', async () => {
    const made = await createKey(kit.app, kit.token.kari, { employeeId: kit.world.kari.id, permissions: [LOGIN] });
    const first = expectOk(
      await kit.app.api.request(REVOKE_KEY, { id: made.userKey.id }, { token: kit.token.kari }),
    ).revokeUserKey;
    await sleep(20);
    const second = expectOk(
      await kit.app.api.request(REVOKE_KEY, { id: made.userKey.id }, { token: kit.token.kari }),
    ).revokeUserKey;
    expect(second.revokedAt).toBe(first.revokedAt);

    expectCode(await kit.app.api.request(RESTORE_KEY, { id: made.userKey.id }, { token: kit.token.kari }), 'CONFLICT');
    const edit = await kit.app.api.request(
      SET_KEY_PERMISSIONS,
      { id: made.userKey.id, permissions: [] },
      { token: kit.token.kari },
    );
    expectCode(edit, 'CONFLICT');
    expectCode(await kit.app.api.request(VIEWER, {}, { token: made.token }), 'UNAUTHENTICATED');
  });

  test('R10: a key can revoke itself, and is refused from its next request on', async () => {
    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.ola.id,
      permissions: [HOURS_REGISTER],
    });
    const self = expectOk(await kit.app.api.request(REVOKE_KEY, { id: made.userKey.id }, { token: made.token }));
    expect(self.revokeUserKey.status).toBe('REVOKED');
    expectCode(await kit.app.api.request(VIEWER, {}, { token: made.token }), 'UNAUTHENTICATED');
  });

  test('an expired key is refused (UNAUTHENTICATED) and shows status EXPIRED', async () => {
    const expiresAt = new Date(Date.now() + 1500);
    const made = await createKey(kit.app, kit.token.kari, {
      employeeId: kit.world.kari.id,
      permissions: [LOGIN],
      expiresAt: expiresAt.toISOString(),
    });
    expect(made.userKey.expiresAt).toBe(expiresAt.toISOString());
    expect(made.userKey.status).toBe('ACTIVE');
    expect(await effectiveOf(kit.app, made.token)).toEqual([LOGIN]);

    await sleep(expiresAt.getTime() - Date.now() + 100);

    const refused = await kit.app.api.request(VIEWER, {}, { token: made.token });
    expectCode(refused, 'UNAUTHENTICATED');
    expect((await keyView(made.userKey.id)).status).toBe('EXPIRED');
    expect(await listed({ status: 'EXPIRED' })).toContainEqual({ id: made.userKey.id, status: 'EXPIRED' });
    expect((await listed({ status: 'ACTIVE' })).map((k: Json) => k.id)).not.toContain(made.userKey.id);
    // an expired key cannot be brought back by a restore
    expectCode(await kit.app.api.request(RESTORE_KEY, { id: made.userKey.id }, { token: kit.token.kari }), 'CONFLICT');
  });
});
