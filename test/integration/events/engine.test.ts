import { EventEngine } from '../../../server/src/modules/events/event-engine';
import { sqlTime } from '../../../server/src/db/dialect';
import { SecretBox } from '../../../server/src/modules/webhooks/secret-box';
import { AddressGuard } from '../../../server/src/modules/webhooks/ssrf-guard';
import { createEndpoint, deliveriesOf, driveUntil, emit, keyCreated, startEventsApp } from './helpers';
import { useReceiver } from './receiver';
import { TestClock } from '../../testkit/clock';
import { useWorld } from '../../testkit/run';

/** Another instance of the engine on the same database, as a second server process would run it. */
function anotherInstance(): EventEngine {
  const { config, db, log } = kit.app.server;
  return new EventEngine(db, config.events, log, new SecretBox(config.events.secretKey), new AddressGuard(true));
}

const kit = useWorld({
  // an attempt may take 8 s, longer than stop()'s 5 s of grace; the lease outlasts it
  start: () => startEventsApp(new TestClock(), { timeoutMs: 8_000, leaseMs: 10_000 }),
  sessions: ['kari'],
});
const receiver = useReceiver();

test('R38: an endpoint leased by an instance that died is left alone until the lease runs out, then delivered by another', async () => {
  const { id, secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/orphan`, ['user_key.created']);
  receiver.trust('/orphan', secret);
  await emit(kit.app, [keyCreated(kit.world.office.id, 'key_orphan')]);
  // as a process killed mid-delivery leaves it: the endpoint leased, its delivery still PENDING
  await kit.app.server.db.manager.query('UPDATE webhook_endpoint SET lease_owner = ?, lease_until = ? WHERE id = ?', [
    'dead-host:4242:abcdef',
    sqlTime(new Date(kit.app.clock.now().getTime() + 10_000)),
    id,
  ]);
  for (let i = 0; i < 3; i++) await kit.app.server.services.events.engine.tick();
  expect(receiver.for('/orphan')).toEqual([]);
  expect((await deliveriesOf(kit.app, kit.token.kari, id))[0].status).toBe('PENDING');

  kit.app.clock.advance(10_001);
  await driveUntil(kit.app, () => receiver.for('/orphan').length === 1);
  expect(receiver.for('/orphan')[0].verifiedWith).toEqual([secret]);
  expect((await deliveriesOf(kit.app, kit.token.kari, id))[0].status).toBe('DELIVERED');
});

test('R38: two instances on one database never have two deliveries of one endpoint in flight, and lose none', async () => {
  const other = anotherInstance();
  try {
    const paths = ['/shared-a', '/shared-b', '/shared-c'];
    for (const path of paths) {
      await createEndpoint(kit.app, kit.token.kari, `${receiver.url}${path}`, ['client_link.created']);
      receiver.delay(path, 3);
    }
    for (let i = 0; i < 40; i++) {
      await emit(kit.app, [
        {
          type: 'client_link.created',
          companyId: kit.world.office.id,
          counterpartCompanyId: kit.world.bakeri.id,
          data: {
            officeId: kit.world.office.id,
            clientId: kit.world.bakeri.id,
            userKeyId: `key_shared_${i}`,
            employeeId: null,
            templateId: kit.world.bokforing.id,
          },
        },
      ]);
    }
    const delivered = (path: string) => new Set(receiver.for(path).map((r) => r.id)).size;
    for (let round = 0; round < 200 && !paths.every((p) => delivered(p) === 40); round++) {
      await Promise.all([kit.app.server.services.events.engine.tick(), other.tick()]);
    }
    for (const path of paths) {
      expect(delivered(path)).toBe(40);
      const order = receiver.for(path).map((r) => String(r.payload.data.userKeyId));
      expect(order.filter((id, i) => order.indexOf(id) === i)).toEqual(
        Array.from({ length: 40 }, (_, i) => `key_shared_${i}`),
      );
    }
    expect(receiver.overlaps).toEqual([]);
  } finally {
    await other.stop();
  }
});

test('R38: stopping lets the delivery in flight finish or hands it back still pending, lease released', async () => {
  const { id } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/stopping`, ['user_key.leak_reported']);
  receiver.hold('/stopping');
  await emit(kit.app, [
    {
      type: 'user_key.leak_reported',
      companyId: kit.world.office.id,
      data: { userKeyId: 'key_stop', ownerId: 'emp_x' },
    },
  ]);
  const stopping = anotherInstance();
  const round = stopping.tick();
  await receiver.until(() => receiver.for('/stopping').length === 1);
  const started = Date.now();
  await stopping.stop(); // the receiver never answers: after the grace period the attempt is cut
  await round;
  expect(Date.now() - started).toBeLessThan(8_000);
  const [row]: { lease_owner: string | null }[] = await kit.app.server.db.manager.query(
    'SELECT lease_owner FROM webhook_endpoint WHERE id = ?',
    [id],
  );
  expect(row.lease_owner).toBeNull();
  const [delivery] = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(delivery).toMatchObject({ status: 'PENDING', attemptCount: 0 });

  receiver.release('/stopping');
  await driveUntil(kit.app, () => receiver.for('/stopping').some((r) => r.answered === 200));
  expect((await deliveriesOf(kit.app, kit.token.kari, id))[0].status).toBe('DELIVERED');
});
