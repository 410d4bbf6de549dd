import { Permission, PermissionSet } from '../../../server/src/auth/permission';
import { countStatements } from '../../../server/src/db/statement-counter';
import { AccessTemplate } from '../../../server/src/modules/clients/access-template.entity';
import { emitAccessEvent, emitAccessEvents } from '../../../server/src/modules/events/emit';
import type { NewAccessEvent } from '../../../server/src/modules/events/event-types';
import { testDatabaseKind } from '../../testkit/database';
import { emit, keyCreated, seedEventCallers, startEventsApp, type Json } from './helpers';
import { FEED } from './documents';
import { expectCode, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const feed = async (token: string, variables: Record<string, unknown> = {}, companyId?: string) =>
  kit.app.api.request(FEED, { first: 100, ...variables }, { token, companyId });
const types = (res: Json): string[] => res.data.accessEvents.edges.map((e: Json) => e.node.type);
const userKeyIds = (res: Json): string[] =>
  res.data.accessEvents.edges.map((e: Json) => JSON.parse(e.node.data).userKeyId);
const relay = () => kit.app.server.services.events.engine.tick();

/** Reads a feed to its end as a poller does; returns the user key ids seen and the cursor to keep. */
async function readToEnd(token: string, variables: Record<string, unknown>, from: string | null = null) {
  const ids: string[] = [];
  let cursor = from;
  for (;;) {
    const res: Json = await feed(token, { ...variables, after: cursor });
    expect(res.errors).toEqual([]);
    ids.push(...userKeyIds(res));
    cursor = res.data.accessEvents.pageInfo.endCursor ?? cursor;
    if (!res.data.accessEvents.pageInfo.hasNextPage) return { ids, cursor };
  }
}

let keyWithoutAdmin: string;
let keyWithUserAdmin: string;
let accountantKey: string;
const kit = useWorld({ start: () => startEventsApp(), sessions: ['kari', 'ola', 'bakeriAdmin', 'fjordAdmin', 'anne'] });
beforeAll(async () => {
  ({ keyWithoutAdmin, keyWithUserAdmin, accountantKey } = await seedEventCallers(
    kit.app,
    kit.world,
    Permission.CUSTOMER_READ,
  ));
});

describe('R35: the outbox', () => {
  test('R35: an event emitted in a transaction that commits is there with its change; one whose transaction rolls back is gone with it', async () => {
    const db = kit.app.server.db;
    const template = kit.world.kunLese;
    await db.transaction(async (manager) => {
      await manager.update(
        AccessTemplate,
        { id: template.id },
        { permissionBits: PermissionSet.of([Permission.CUSTOMER_READ]).bits },
      );
      await emitAccessEvent(manager, {
        type: 'access_template.updated',
        companyId: kit.world.office.id,
        data: {
          templateId: template.id,
          officeId: kit.world.office.id,
          addedPermissions: [],
          removedPermissions: [Permission.INVOICE_READ],
        },
      });
    });
    await expect(
      db.transaction(async (manager) => {
        await manager.update(AccessTemplate, { id: template.id }, { permissionBits: 0 });
        await emitAccessEvent(manager, keyCreated(kit.world.office.id, 'key_rolled_back'));
        throw new Error('the change failed after emitting');
      }),
    ).rejects.toThrow('the change failed after emitting');
    await relay();

    const res = expectOk(await feed(kit.token.kari));
    const events = res.accessEvents.edges.map((e: Json) => e.node);
    const updated = events.find((e: Json) => e.type === 'access_template.updated');
    expect(JSON.parse(updated.data)).toEqual({
      templateId: template.id,
      officeId: kit.world.office.id,
      addedPermissions: [],
      removedPermissions: ['INVOICE_READ'],
    });
    expect(events.map((e: Json) => e.data).join()).not.toContain('key_rolled_back');
    const stored = await db.manager.findOneByOrFail(AccessTemplate, { id: template.id });
    expect(stored.permissionBits).toBe(PermissionSet.of([Permission.CUSTOMER_READ]).bits);
  });

  test('R35: emitting adds one statement to the change’s transaction, for 1 event or 2,000', async () => {
    const db = kit.app.server.db;
    const statementsOf = async (events: NewAccessEvent[]) => {
      const { result, scope } = countStatements(() =>
        db.transaction(async (manager) => {
          await manager.update(AccessTemplate, { id: kit.world.bokforing.id }, { name: 'Bokføring' });
          await emitAccessEvents(manager, events);
        }),
      );
      await result;
      return scope.statements;
    };
    const none = await statementsOf([]);
    const one = await statementsOf([keyCreated(kit.world.other.office.id, 'key_counted_1')]);
    const many = await statementsOf(
      Array.from({ length: 2000 }, (_, i) => keyCreated(kit.world.other.office.id, `key_counted_many_${i}`)),
    );
    expect(one).toBe(none + 1);
    expect(many).toBe(none + 1);
    const written: { n: number | string }[] = await db.manager.query(
      "SELECT COUNT(*) AS n FROM access_event WHERE data LIKE '%key!_counted!_many!_%' ESCAPE '!'",
    );
    expect(Number(written[0].n)).toBe(2000);
  });

  test('R36: the relay numbers 2,000 new events in id order, gap-free, in one transaction of seven statements', async () => {
    await relay(); // whatever earlier tests left unnumbered
    const db = kit.app.server.db;
    await emit(
      kit.app,
      Array.from({ length: 2000 }, (_, i) => keyCreated(kit.world.other.office.id, `key_numbered_${i}`)),
    );
    const { result, scope } = countStatements(() =>
      kit.app.server.services.events.engine.relay.relayBatch(kit.app.clock.now()),
    );
    expect(await result).toBe(2000);
    // begin, lock the sequence, pick the ids, number them, queue their deliveries, move the
    // sequence, commit (the numbering was one UPDATE per 500 events before)
    expect(scope.statements).toBe(7);
    const rows: { id: string; seq: number | string }[] = await db.manager.query(
      "SELECT id, seq FROM access_event WHERE data LIKE '%key!_numbered!_%' ESCAPE '!' ORDER BY id",
    );
    const seqs = rows.map((r) => Number(r.seq));
    expect(seqs).toHaveLength(2000);
    expect(seqs.every((seq, i) => i === 0 || seq === seqs[i - 1] + 1)).toBe(true);
  });

  test('R35: an event whose data would carry a secret is refused, and nothing is written', async () => {
    const secret = `nkl_${'A'.repeat(49)}`;
    await expect(emit(kit.app, [keyCreated(kit.world.office.id, secret)])).rejects.toThrow(/must not carry a secret/);
    const rows: unknown[] = await kit.app.server.db.manager.query('SELECT id FROM access_event WHERE data LIKE ?', [
      `%${secret}%`,
    ]);
    expect(rows).toEqual([]);
  });

  test('R35: every event type of the rule is accepted by the feed filter', async () => {
    const all = [
      'user_key.created',
      'user_key.revoked',
      'user_key.restored',
      'user_key.expiring',
      'user_key.expired',
      'user_key.permissions_reduced',
      'user_key.leak_reported',
      'client.api_access_changed',
      'client.block_changed',
      'client_link.created',
      'client_link.removed',
      'client_link.template_changed',
      'access_template.updated',
      'key_policy.updated',
    ];
    const res = await feed(kit.token.kari, { types: all });
    expect(res.errors).toEqual([]);
  });
});

describe('R36: the event feed', () => {
  beforeAll(async () => {
    // 25 events of the office, in order; then a client's switch, which belongs to client and office
    for (let i = 0; i < 25; i++)
      await emit(kit.app, [keyCreated(kit.world.office.id, `key_page_${String(i).padStart(2, '0')}`)]);
    await emit(kit.app, [
      {
        type: 'client.api_access_changed',
        companyId: kit.world.bakeri.id,
        counterpartCompanyId: kit.world.office.id,
        data: { officeId: kit.world.office.id, clientId: kit.world.bakeri.id, enabled: false },
      },
      {
        type: 'client_link.created',
        companyId: kit.world.office.id,
        counterpartCompanyId: kit.world.fjordFisk.id,
        data: {
          officeId: kit.world.office.id,
          clientId: kit.world.fjordFisk.id,
          userKeyId: 'key_linked',
          employeeId: null,
          templateId: kit.world.bokforing.id,
        },
      },
      keyCreated(kit.world.other.office.id, 'key_of_another_office'),
    ]);
    await relay();
  });

  test('R36: oldest first; a poller that keeps endCursor and asks again gets only newer events, none twice', async () => {
    const first: Json = await feed(kit.token.kari, { first: 7, types: ['user_key.created'] });
    expect(first.data.accessEvents.pageInfo.hasNextPage).toBe(true);
    expect(first.data.accessEvents.edges).toHaveLength(7);
    const { ids, cursor: after } = await readToEnd(kit.token.kari, { first: 7, types: ['user_key.created'] });
    expect(ids.filter((id) => id.startsWith('key_page_'))).toEqual(
      Array.from({ length: 25 }, (_, i) => `key_page_${String(i).padStart(2, '0')}`),
    );
    expect(new Set(ids).size).toBe(ids.length);

    // nothing new yet: an empty page, and the poller keeps its cursor
    const idle: Json = await feed(kit.token.kari, { after, types: ['user_key.created'] });
    expect(idle.data.accessEvents.edges).toEqual([]);
    await emit(kit.app, [keyCreated(kit.world.office.id, 'key_late_1'), keyCreated(kit.world.office.id, 'key_late_2')]);
    await relay();
    const next: Json = await feed(kit.token.kari, { after, types: ['user_key.created'] });
    expect(userKeyIds(next)).toEqual(['key_late_1', 'key_late_2']);
  });

  test('R36: types filters the feed and its totalCount; an unknown type or an empty list is BAD_USER_INPUT', async () => {
    const res: Json = await feed(kit.token.kari, { types: ['client_link.created', 'client.api_access_changed'] });
    expect(types(res).sort()).toEqual(['client.api_access_changed', 'client_link.created']);
    expect(res.data.accessEvents.totalCount).toBe(2);
    const unknown = await feed(kit.token.kari, { types: ['user_key.created', 'user_key.stolen'] });
    expectCode(unknown, 'BAD_USER_INPUT');
    expect(unknown.errors[0].message).toContain('user_key.stolen');
    expectCode(await feed(kit.token.kari, { types: [] }), 'BAD_USER_INPUT');
    expectCode(await feed(kit.token.kari, { after: 'not-a-cursor' }), 'BAD_USER_INPUT');
  });

  test('R36: an event about an office and a client belongs to both; a third company sees neither', async () => {
    const office: Json = await feed(kit.token.kari, { types: ['client.api_access_changed', 'client_link.created'] });
    expect(types(office).sort()).toEqual(['client.api_access_changed', 'client_link.created']);
    const bakeri: Json = await feed(kit.token.bakeriAdmin);
    expect(types(bakeri)).toEqual(['client.api_access_changed']);
    const fjord: Json = await feed(kit.token.fjordAdmin);
    expect(types(fjord)).toEqual(['client_link.created']);
  });

  test('R36: another company’s events are never visible, and it sees only its own', async () => {
    const { ids } = await readToEnd(kit.token.kari, {});
    expect(ids).toContain('key_page_00');
    expect(ids).not.toContain('key_of_another_office');
    expect(ids.some((id) => id?.startsWith('key_counted'))).toBe(false);
    const other = await readToEnd(kit.token.anne, {});
    expect(other.ids).toContain('key_of_another_office');
    expect(other.ids).not.toContain('key_page_00');
  });

  test('R36: a feed page is 2 statements (credential, page) however long the feed; totalCount adds 1', async () => {
    const page = await kit.app.api.request(
      '{ accessEvents(first: 100) { edges { node { id type at data } } } }',
      {},
      { token: kit.token.kari },
    );
    expect(page.errors).toEqual([]);
    expect(page.statements).toBe(2);
    const small = await kit.app.api.request(
      '{ accessEvents(first: 1) { edges { node { id } } } }',
      {},
      { token: kit.token.kari },
    );
    expect(small.statements).toBe(2);
    const counted = await feed(kit.token.kari);
    expect(counted.statements).toBe(3);
  });

  test('R36: who may read the feed: account or user administrators of the company, in person or with a key, never through a client link', async () => {
    expectCode(await feed(kit.token.ola), 'FORBIDDEN');
    expectCode(await feed(keyWithoutAdmin), 'FORBIDDEN');
    expect((await feed(keyWithUserAdmin)).errors).toEqual([]);
    // Kari administers her office, but at Bakeri she acts through a client link: not Bakeri's feed
    const throughLink = await feed(kit.token.kari, {}, kit.world.bakeri.id);
    expectCode(throughLink, 'FORBIDDEN');
    expect(throughLink.data).toBeNull();
    expectCode(await feed(accountantKey, {}, kit.world.bakeri.id), 'FORBIDDEN');
    expectCode(await kit.app.api.request(FEED, {}), 'UNAUTHENTICATED');
  });
});

const onMariaDb = testDatabaseKind() === 'mariadb' ? test : test.skip;

onMariaDb(
  'R36: an event whose transaction commits after a later one is still read by a poller past that one (MariaDB: transactions overlap)',
  async () => {
    const runner = kit.app.server.db.dataSource.createQueryRunner();
    await runner.connect();
    await runner.startTransaction();
    try {
      // A is emitted first (smaller id) but its transaction stays open while B commits
      await emitAccessEvent(runner.manager, keyCreated(kit.world.office.id, 'key_slow_commit'));
      await emit(kit.app, [keyCreated(kit.world.office.id, 'key_fast_commit')]);
      await relay();
      const before = await readToEnd(kit.token.kari, { types: ['user_key.created'] });
      expect(before.ids).toContain('key_fast_commit');
      expect(before.ids).not.toContain('key_slow_commit');
      await runner.commitTransaction();
      await relay();
      const after = await readToEnd(kit.token.kari, { types: ['user_key.created'] }, before.cursor);
      expect(after.ids).toEqual(['key_slow_commit']);
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      await runner.release();
    }
  },
);
