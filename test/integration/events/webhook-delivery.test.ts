import { randomBytes } from 'node:crypto';
import { emitAccessEvent } from '../../../server/src/modules/events/emit';
import { issuedSecrets } from '../../testkit/secrets-seen';
import { createEndpoint, deliveriesOf, driveUntil, emit, keyCreated, startEventsApp, type Json } from './helpers';
import { FEED, REDELIVER, ROTATE_SECRET, UPDATE_ENDPOINT } from './documents';
import { Receiver, useReceiver } from './receiver';
import { DAY, HOUR, TestClock } from '../../testkit/clock';
import { expectNotFound, expectOk } from '../../testkit/expect';
import { useWorld } from '../../testkit/run';

const tick = () => kit.app.server.services.events.engine.tick();
/** A few more rounds, so a delivery that should not happen would have had its chance. */
const settle = async () => {
  for (let i = 0; i < 3; i++) await tick();
};

const kit = useWorld({
  start: () => startEventsApp(new TestClock(), { secretKey: randomBytes(32), timeoutMs: 800 }),
  sessions: ['kari', 'bakeriAdmin', 'fjordAdmin', 'anne'],
});
const receiver = useReceiver();

test('R37: the secret is shown once (whsec_ + 32 random bytes), sealed at rest, never in a response again or in a log', async () => {
  const { id, secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/created`);
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]+={0,2}$/);
  expect(Buffer.from(secret.slice(6), 'base64').length).toBeGreaterThanOrEqual(24);
  const listed = await kit.app.api.request(
    '{ webhookEndpoints { edges { node { id url eventTypes enabled secretHint } } } }',
    {},
    { token: kit.token.kari },
  );
  expect(JSON.stringify(listed.data)).not.toContain(secret);
  expect(listed.data.webhookEndpoints.edges[0].node).toEqual({
    id,
    url: `${receiver.url}/created`,
    eventTypes: ['*'],
    enabled: true,
    secretHint: `whsec_…${secret.slice(-4)}`,
  });
  const stored: { secret_sealed: string }[] = await kit.app.server.db.manager.query(
    'SELECT secret_sealed FROM webhook_endpoint WHERE id = ?',
    [id],
  );
  expect(stored[0].secret_sealed).toMatch(/^v1\.aes256gcm\./);
  expect(stored[0].secret_sealed).not.toContain(secret.slice(6));
  // app.close() fails the file if any log line holds a secret handed out here
});

test('R37: an event whose transaction commits is delivered, signed per Standard Webhooks; one that rolls back is not', async () => {
  const { secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/commit`);
  receiver.trust('/commit', secret);
  await emit(kit.app, [keyCreated(kit.world.office.id, 'key_committed')]);
  await expect(
    kit.app.server.db.transaction(async (manager) => {
      await emitAccessEvent(manager, keyCreated(kit.world.office.id, 'key_rolled_back'));
      throw new Error('rolled back');
    }),
  ).rejects.toThrow('rolled back');
  await driveUntil(kit.app, () => receiver.for('/commit').length >= 1);
  await settle();

  const received = receiver.for('/commit');
  expect(received).toHaveLength(1);
  const [delivery] = received;
  expect(delivery.verifiedWith).toEqual([secret]);
  expect(delivery.payload).toEqual({
    type: 'user_key.created',
    timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    data: expect.objectContaining({ userKeyId: 'key_committed' }),
  });
  // webhook-id is the event's id, as the feed shows it
  const feed = expectOk(await kit.app.api.request(FEED, { types: ['user_key.created'] }, { token: kit.token.kari }));
  const event = feed.accessEvents.edges.map((e: Json) => e.node).find((n: Json) => n.data.includes('key_committed'));
  expect(delivery.id).toBe(event.id);
  expect(delivery.payload.timestamp).toBe(event.at);
});

test('R36/R37: an event about an office and a client reaches both companies’ endpoints, for subscribed types only', async () => {
  const office = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/office-switch`, [
    'client.api_access_changed',
  ]);
  const bakeri = await createEndpoint(kit.app, kit.token.bakeriAdmin, `${receiver.url}/bakeri`, ['*']);
  const fjord = await createEndpoint(kit.app, kit.token.fjordAdmin, `${receiver.url}/fjord`, ['*']);
  receiver.trust('/office-switch', office.secret);
  receiver.trust('/bakeri', bakeri.secret);
  receiver.trust('/fjord', fjord.secret);
  await emit(kit.app, [
    keyCreated(kit.world.office.id, 'key_not_subscribed'),
    {
      type: 'client.api_access_changed',
      companyId: kit.world.bakeri.id,
      counterpartCompanyId: kit.world.office.id,
      data: { officeId: kit.world.office.id, clientId: kit.world.bakeri.id, enabled: false },
    },
  ]);
  await driveUntil(kit.app, () => receiver.for('/office-switch').length >= 1 && receiver.for('/bakeri').length >= 1);
  await settle();
  expect(receiver.for('/office-switch').map((r) => r.payload.type)).toEqual(['client.api_access_changed']);
  expect(receiver.for('/bakeri').map((r) => r.payload.type)).toEqual(['client.api_access_changed']);
  expect(receiver.for('/fjord')).toEqual([]);
  expect(receiver.for('/office-switch')[0].verifiedWith).toEqual([office.secret]);
  expect(receiver.for('/bakeri')[0].verifiedWith).toEqual([bakeri.secret]);
  expect(receiver.for('/office-switch')[0].id).toBe(receiver.for('/bakeri')[0].id);
});

test('R37: a receiver answering 500 twice gets the event on the third attempt, after growing waits; the log shows each attempt', async () => {
  const { id, secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/flaky`, ['user_key.revoked']);
  receiver.trust('/flaky', secret);
  receiver.answer('/flaky', 500, 500);
  await emit(kit.app, [
    {
      type: 'user_key.revoked',
      companyId: kit.world.office.id,
      data: { userKeyId: 'key_flaky', ownerId: kit.world.kari.id, reason: 'REVOKED', causeUserKeyId: null },
    },
  ]);
  await driveUntil(kit.app, () => receiver.for('/flaky').some((r) => r.answered === 200));

  const tries = receiver.for('/flaky');
  expect(tries.map((r) => r.answered)).toEqual([500, 500, 200]);
  expect(new Set(tries.map((r) => r.id)).size).toBe(1);
  expect(tries.every((r) => r.verifiedWith.length === 1)).toBe(true);

  const [delivery] = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(delivery).toMatchObject({ status: 'DELIVERED', attemptCount: 3, lastStatusCode: 200 });
  expect(delivery.event.type).toBe('user_key.revoked');
  const attempts = delivery.attempts;
  expect(attempts.map((a: Json) => a.statusCode)).toEqual([500, 500, 200]);
  expect(attempts.map((a: Json) => a.error)).toEqual([
    'the endpoint answered HTTP 500',
    'the endpoint answered HTTP 500',
    null,
  ]);
  expect(attempts.every((a: Json) => Number.isInteger(a.durationMs) && a.durationMs >= 0)).toBe(true);
  // backoff base 20 ms, ±25 %: at least 15 ms before the 2nd attempt, 30 ms before the 3rd
  const at = attempts.map((a: Json) => Date.parse(a.at));
  expect(at[1] - at[0]).toBeGreaterThanOrEqual(15);
  expect(at[2] - at[1]).toBeGreaterThanOrEqual(30);
});

test('R37: one endpoint’s deliveries go one at a time in event order, a retried one before the next', async () => {
  const { secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/ordered`, ['user_key.created']);
  receiver.trust('/ordered', secret);
  receiver.delay('/ordered', 5);
  receiver.answer('/ordered', ...Array<number>(9).fill(200), 503);
  const expected: string[] = [];
  for (let i = 0; i < 20; i++) expected.push(`key_order_${i}`);
  // some in transactions of their own, some several to a transaction
  for (const id of expected.slice(0, 8)) await emit(kit.app, [keyCreated(kit.world.office.id, id)]);
  await emit(
    kit.app,
    expected.slice(8).map((id) => keyCreated(kit.world.office.id, id)),
  );
  const orderOf = () =>
    receiver
      .for('/ordered')
      .map((r) => String(r.payload.data.userKeyId))
      .filter((id) => id.startsWith('key_order_'));
  await driveUntil(kit.app, () => new Set(orderOf()).size === 20);

  const seen = orderOf();
  expect(seen).toHaveLength(21);
  expect(seen.filter((id, i) => seen.indexOf(id) === i)).toEqual(expected);
  expect(seen[9]).toBe(seen[10]); // the 10th answered 503 and went again before the 11th
  expect(receiver.overlaps).toEqual([]);
});

test('R37: an attempt without an answer within the timeout fails with that said, and is retried', async () => {
  const { id } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/slow`, ['user_key.leak_reported']);
  receiver.hold('/slow');
  await emit(kit.app, [
    {
      type: 'user_key.leak_reported',
      companyId: kit.world.office.id,
      data: { userKeyId: 'key_leaked', ownerId: 'emp_x' },
    },
  ]);
  await driveUntil(kit.app, () => receiver.for('/slow').length >= 1);
  await driveUntil(kit.app, async () => (await deliveriesOf(kit.app, kit.token.kari, id))[0]?.attempts.length >= 1);
  receiver.release('/slow');
  await driveUntil(kit.app, async () => (await deliveriesOf(kit.app, kit.token.kari, id))[0]?.status === 'DELIVERED');
  const [delivery] = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(delivery.attempts[0]).toMatchObject({ statusCode: null, error: 'no answer within 800 ms' });
  expect(delivery.attempts[0].durationMs).toBeGreaterThanOrEqual(790);
  expect(delivery.attempts.at(-1)).toMatchObject({ statusCode: 200, error: null });
});

test('R37: after a rotation both signatures verify for 24 hours; then only the new secret signs', async () => {
  const { id, secret: old } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/rotate`, [
    'key_policy.updated',
  ]);
  const rotated = expectOk(
    await kit.app.api.request(ROTATE_SECRET, { id }, { token: kit.token.kari }),
  ).rotateWebhookSecret;
  issuedSecrets.add(rotated.secret);
  const fresh: string = rotated.secret;
  expect(fresh).not.toBe(old);
  expect(rotated.endpoint.secretHint).toBe(`whsec_…${fresh.slice(-4)}`);
  expect(Date.parse(rotated.endpoint.previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23.9 * HOUR);
  receiver.trust('/rotate', old, fresh);
  const policy = (requireExpiry: boolean) => ({
    type: 'key_policy.updated' as const,
    companyId: kit.world.office.id,
    data: { companyId: kit.world.office.id, requireExpiry, maxLifetimeDays: 90, expireUnusedAfterDays: null },
  });

  await emit(kit.app, [policy(true)]);
  await driveUntil(kit.app, () => receiver.for('/rotate').length === 1);
  const during = receiver.for('/rotate')[0];
  expect(during.signatures).toHaveLength(2);
  expect(during.verifiedWith.sort()).toEqual([old, fresh].sort());

  kit.app.clock.advance(DAY + 60_000);
  await emit(kit.app, [policy(false)], kit.app.clock.now());
  await driveUntil(kit.app, () => receiver.for('/rotate').length === 2);
  const after = receiver.for('/rotate')[1];
  // the receiver's clock is 24 hours behind the engine's, so judge the signatures themselves
  expect(after.signatures).toHaveLength(1);
  expect(Receiver.signedBy(after, fresh)).toBe(true);
  expect(Receiver.signedBy(after, old)).toBe(false);
});

test('R37: a delivery is retried for 24 hours, then given up; an endpoint failing for 3 days is turned off and says so', async () => {
  const clock = kit.app.clock;
  const { id } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/down`, ['client_link.removed']);
  receiver.answer('/down', ...Array<number>(10_000).fill(500));
  const removed = (n: number) => ({
    type: 'client_link.removed' as const,
    companyId: kit.world.office.id,
    counterpartCompanyId: kit.world.bakeri.id,
    data: {
      officeId: kit.world.office.id,
      clientId: kit.world.bakeri.id,
      userKeyId: `key_removed_${n}`,
      employeeId: null,
    },
  });
  await emit(kit.app, [removed(1), removed(2), removed(3), removed(4)], clock.now());
  const endpoint = async () => {
    const res = expectOk(
      await kit.app.api.request(
        '{ webhookEndpoints { edges { node { id enabled disabledAt disabledReason failingSince nextAttemptAt } } } }',
        {},
        { token: kit.token.kari },
      ),
    );
    return res.webhookEndpoints.edges.map((e: Json) => e.node).find((n: Json) => n.id === id);
  };
  // every 2 hours of engine time, a round: the first delivery fails until 24 hours have passed
  for (let h = 0; h <= 26; h += 2) {
    await tick();
    clock.advance(2 * HOUR);
  }
  await tick();
  const afterADay = await deliveriesOf(kit.app, kit.token.kari, id);
  const byKey = (rows: Json[], n: number) => rows.find((d: Json) => d.event.data.includes(`key_removed_${n}`));
  expect(byKey(afterADay, 1).status).toBe('FAILED');
  expect(byKey(afterADay, 1).attemptCount).toBeGreaterThan(10);
  expect(byKey(afterADay, 2).status).toBe('PENDING');
  expect((await endpoint()).enabled).toBe(true);
  expect((await endpoint()).failingSince).not.toBeNull();

  for (let h = 28; h <= 74; h += 2) {
    await tick();
    clock.advance(2 * HOUR);
  }
  await tick();
  const off = await endpoint();
  expect(off.enabled).toBe(false);
  expect(off.disabledReason).toMatch(/every delivery failed for 3 days \(last: the endpoint answered HTTP 500\)/);
  const tried = receiver.for('/down').length;
  clock.advance(HOUR);
  await settle();
  expect(receiver.for('/down').length).toBe(tried); // turned off: nothing is sent

  // fixed and turned on again: what was pending goes at once, in order; what failed stays failed
  receiver.answer('/down');
  const on = expectOk(
    await kit.app.api.request(UPDATE_ENDPOINT, { id, input: { enabled: true } }, { token: kit.token.kari }),
  );
  expect(on.updateWebhookEndpoint).toMatchObject({
    enabled: true,
    disabledAt: null,
    disabledReason: null,
    failingSince: null,
  });
  await driveUntil(kit.app, async () =>
    (await deliveriesOf(kit.app, kit.token.kari, id)).every((d: Json) => d.status !== 'PENDING'),
  );
  const final = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(final.filter((d: Json) => d.status === 'DELIVERED').length).toBeGreaterThanOrEqual(1);
  const delivered = receiver
    .for('/down')
    .filter((r) => r.answered === 200)
    .map((r) => r.payload.data.userKeyId);
  expect(delivered).toEqual([...delivered].sort());

  // a failed delivery can be sent again: same webhook-id, and it goes before anything newer
  const failed = byKey(final, 1);
  expect(failed.status).toBe('FAILED');
  const again = expectOk(await kit.app.api.request(REDELIVER, { deliveryId: failed.id }, { token: kit.token.kari }));
  expect(again.redeliverWebhookEvent).toMatchObject({ id: failed.id, status: 'PENDING' });
  await driveUntil(
    kit.app,
    async () => byKey(await deliveriesOf(kit.app, kit.token.kari, id), 1).status === 'DELIVERED',
  );
  const last = receiver.for('/down').at(-1)!;
  expect(last.payload.data.userKeyId).toBe('key_removed_1');
  expect(last.id).toBe(failed.event.id);
});

test('R37: redelivering a delivered event sends it again with the same webhook-id', async () => {
  const { id, secret } = await createEndpoint(kit.app, kit.token.kari, `${receiver.url}/again`, ['user_key.restored']);
  receiver.trust('/again', secret);
  await emit(kit.app, [
    {
      type: 'user_key.restored',
      companyId: kit.world.office.id,
      data: {
        userKeyId: 'key_restored',
        ownerId: kit.world.kari.id,
        compromised: false,
        previousSecretExpiresAt: null,
        restoredByUserKeyId: null,
      },
    },
  ]);
  await driveUntil(kit.app, () => receiver.for('/again').length === 1);
  const [delivery] = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(delivery.status).toBe('DELIVERED');
  expectNotFound(await kit.app.api.request(REDELIVER, { deliveryId: delivery.id }, { token: kit.token.anne }));
  expectNotFound(await kit.app.api.request(REDELIVER, { deliveryId: delivery.id }, { token: kit.token.bakeriAdmin }));
  expectOk(await kit.app.api.request(REDELIVER, { deliveryId: delivery.id }, { token: kit.token.kari }));
  await driveUntil(kit.app, () => receiver.for('/again').length === 2);
  const [first, second] = receiver.for('/again');
  expect(second.id).toBe(first.id);
  // earlier tests moved the engine's clock days ahead: judge the signature itself, not its age
  expect(Receiver.signedBy(second, secret)).toBe(true);
  const [after] = await deliveriesOf(kit.app, kit.token.kari, id);
  expect(after).toMatchObject({ status: 'DELIVERED', attemptCount: 2 });
});
