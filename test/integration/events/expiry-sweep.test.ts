import { Permission } from '../../../server/src/auth/permission';
import { sweepKeyExpiry } from '../../../server/src/modules/events/expiry-sweep';
import { claimSweepPeriod, periodStart } from '../../../server/src/modules/events/sweep-lock';
import { UserKey } from '../../../server/src/modules/keys/user-key.entity';
import { createEndpoint, driveUntil, startEventsApp, type Json } from './helpers';
import { FEED } from './documents';
import { Receiver, useReceiver } from './receiver';
import { DAY, HOUR, TestClock } from '../../testkit/clock';
import { expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const keys: Record<string, UserKey> = {};

const tick = () => kit.app.server.services.events.engine.tick();

/** Every expiry event of the office, as the feed shows it: `<type>:<daysBefore>:<key name>`. */
async function notices(): Promise<string[]> {
  const names = new Map(Object.entries(keys).map(([name, key]) => [key.id, name]));
  const out: string[] = [];
  let after: string | null = null;
  for (;;) {
    const res: Json = expectOk(
      await kit.app.api.request(
        FEED,
        { first: 100, after, types: ['user_key.expiring', 'user_key.expired'] },
        { token: kit.token.kari },
      ),
    );
    for (const { node } of res.accessEvents.edges) {
      const data = JSON.parse(node.data);
      out.push(`${node.type}:${data.daysBefore ?? '-'}:${names.get(data.userKeyId) ?? data.userKeyId}`);
    }
    if (!res.accessEvents.pageInfo.hasNextPage) return out.sort();
    after = res.accessEvents.pageInfo.endCursor;
  }
}

let expirySecret: string;
const kit = useWorld({ start: () => startEventsApp(new TestClock(), { sweepIntervalMs: 1000 }), sessions: ['kari'] });
const receiver = useReceiver();
beforeAll(async () => {
  const { secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/expiry`, [
    'user_key.expiring',
    'user_key.expired',
  ]);
  receiver.trust('/expiry', secret);
  expirySecret = secret;
  const now = kit.app.clock.now().getTime();
  const key = async (name: string, expiresInMs: number | null) => {
    keys[name] = (
      await kit.app.seed.userKey(kit.world.kari, {
        name,
        permissions: [Permission.LOGIN],
        expiresAt: expiresInMs === null ? null : new Date(now + expiresInMs),
      })
    ).userKey;
  };
  await key('in20days', 20 * DAY);
  await key('in10days', 10 * DAY);
  await key('in12hours', 12 * HOUR);
  await key('hourAgo', -HOUR);
  await key('longAgo', -40 * DAY);
  await key('never', null);
  await key('revoked', 5 * DAY);
  await kit.app.server.db.manager.update(UserKey, { id: keys.revoked.id }, { revokedAt: new Date(now) });
});

test('R35: the expiry sweep gives each key its 14-day and 1-day notice and its expiry once, however often it runs', async () => {
  await tick(); // sweeps, then relays what the sweep wrote
  await tick(); // the same period: the sweep does not run again
  kit.app.clock.advance(1500);
  await tick(); // a new period: it runs, and writes nothing twice
  expect(await notices()).toEqual(
    ['user_key.expired:-:hourAgo', 'user_key.expiring:1:in12hours', 'user_key.expiring:14:in10days'].sort(),
  );

  kit.app.clock.advance(9.5 * DAY); // in10days: half a day left; in20days: 10.5 days; in12hours: expired
  await tick();
  await tick();
  kit.app.clock.advance(2 * DAY); // in10days expired too
  await tick();
  await tick();
  kit.app.clock.advance(1500);
  await tick();
  expect(await notices()).toEqual(
    [
      'user_key.expired:-:hourAgo',
      'user_key.expired:-:in10days',
      'user_key.expired:-:in12hours',
      'user_key.expiring:1:in10days',
      'user_key.expiring:1:in12hours',
      'user_key.expiring:14:in10days',
      'user_key.expiring:14:in20days',
    ].sort(),
  );
});

test('R35: an expiry notice says when the key expires, references ids only, and reaches webhooks once', async () => {
  await driveUntil(kit.app, () => receiver.for('/expiry').length >= 7);
  await tick();
  const received = receiver.for('/expiry');
  expect(received).toHaveLength(7);
  expect(new Set(received.map((r) => r.id)).size).toBe(7);
  const notice = received.find(
    (r) => r.payload.data.userKeyId === keys.in10days.id && r.payload.data.daysBefore === 14,
  )!;
  expect(notice.payload).toEqual({
    type: 'user_key.expiring',
    timestamp: expect.any(String),
    data: {
      userKeyId: keys.in10days.id,
      ownerId: kit.world.kari.id,
      expiresAt: keys.in10days.expiresAt!.toISOString(),
      daysBefore: 14,
    },
  });
  expect(Receiver.signedBy(notice, expirySecret)).toBe(true);
});

test('R38: of several instances reaching the same period at once, exactly one runs the sweep', async () => {
  const now = kit.app.clock.now();
  const period = periodStart(now, 60_000);
  const instances = ['a:1:x', 'b:2:y', 'c:3:z', 'd:4:w', 'e:5:v'];
  const won = await Promise.all(
    instances.map((instance) => claimSweepPeriod(kit.app.server.db, 'test.sweep', period, instance, now)),
  );
  expect(won.filter(Boolean)).toHaveLength(1);
  expect(await claimSweepPeriod(kit.app.server.db, 'test.sweep', period, 'f:6:u', now)).toBe(false);
  expect(
    await claimSweepPeriod(kit.app.server.db, 'test.sweep', new Date(period.getTime() + 60_000), 'f:6:u', now),
  ).toBe(true);
});

test('R35: two sweeps racing over the same keys still write each notice once (the unique key, not a check first)', async () => {
  const key = (
    await kit.app.seed.userKey(kit.world.kari, {
      name: 'raced',
      permissions: [Permission.LOGIN],
      expiresAt: new Date(kit.app.clock.now().getTime() + 3 * DAY),
    })
  ).userKey;
  const now = kit.app.clock.now();
  await Promise.all(
    Array.from({ length: 4 }, () => kit.app.server.db.transaction((manager) => sweepKeyExpiry(manager, now))),
  );
  const rows: { dedupe_key: string }[] = await kit.app.server.db.manager.query(
    'SELECT dedupe_key FROM access_event WHERE dedupe_key LIKE ?',
    [`%${key.id}`],
  );
  expect(rows.map((r) => r.dedupe_key)).toEqual([`user_key.expiring:P14D:${key.id}`]);
});
