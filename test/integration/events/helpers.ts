import { Permission } from '../../../server/src/auth/permission';
import { loadConfig } from '../../../server/src/config';
import { emitAccessEvents } from '../../../server/src/modules/events/emit';
import type { EventSettings } from '../../../server/src/modules/events/event-settings';
import type { NewAccessEvent } from '../../../server/src/modules/events/event-types';
import { startTestApp, type TestApp } from '../../testkit/app';
import { TestClock } from '../../testkit/clock';
import { expectOk } from '../../testkit/expect';
import { issuedSecrets } from '../../testkit/secrets-seen';
import { CREATE_ENDPOINT, ENDPOINTS } from './documents';
import type { World } from '../../testkit/world';
import { UserKeyKind } from '../../../server/src/modules/keys/user-key.entity';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read responses dynamically
export type Json = any;

/**
 * A test app whose event engine does not run by itself (EVENTS_WORKER off): the test drives it
 * with `tick()` and a clock of its own, so nothing depends on timing. Webhooks may reach
 * 127.0.0.1 over http (WEBHOOK_ALLOW_PRIVATE_NETWORKS on), and retry after milliseconds.
 */
export async function startEventsApp(
  clock = new TestClock(),
  overrides: Partial<EventSettings> = {},
): Promise<TestApp & { clock: TestClock }> {
  const events: EventSettings = {
    ...loadConfig({ NODE_ENV: 'test' }).events,
    worker: false,
    allowPrivateNetworks: true,
    backoffBaseMs: 20,
    timeoutMs: 2_000,
    leaseMs: 10_000,
    clock: clock.now,
    ...overrides,
  };
  const app = await startTestApp({ events });
  return Object.assign(app, { clock });
}

/** Emits events in a transaction of their own, as a service will inside its change. */
export function emit(app: TestApp, events: NewAccessEvent[], at?: Date): Promise<void> {
  return app.server.db.transaction((manager) => emitAccessEvents(manager, events, at));
}

/** Runs engine rounds until `done` holds (each round waits for the deliveries it started). */
export async function driveUntil(app: TestApp, done: () => boolean | Promise<boolean>, rounds = 200): Promise<void> {
  for (let i = 0; i < rounds; i++) {
    await app.server.services.events.engine.tick();
    if (await done()) return;
    await new Promise((resolve) => setTimeout(resolve, 15));
  }
  throw new Error(`not done after ${rounds} engine rounds`);
}

/** Creates an endpoint through the API and remembers its secret, so the test fails if a log line shows it. */
export async function createEndpoint(
  app: TestApp,
  token: string,
  url: string,
  eventTypes: string[] = ['*'],
): Promise<{ id: string; secret: string }> {
  const { createWebhookEndpoint } = expectOk(
    await app.api.request(CREATE_ENDPOINT, { input: { url, eventTypes } }, { token }),
  );
  issuedSecrets.add(createWebhookEndpoint.secret);
  return { id: createWebhookEndpoint.endpoint.id, secret: createWebhookEndpoint.secret };
}

/** The delivery log of an endpoint (newest first), read through the API. */
export async function deliveriesOf(app: TestApp, token: string, endpointId: string): Promise<Json[]> {
  const { webhookEndpoints } = expectOk(await app.api.request(ENDPOINTS, { first: 100 }, { token }));
  const endpoint = webhookEndpoints.edges.map((e: Json) => e.node).find((n: Json) => n.id === endpointId);
  if (!endpoint) throw new Error(`endpoint ${endpointId} not listed`);
  return endpoint.deliveries.edges.map((e: Json) => e.node);
}

/** A key-created event of a company: the simplest event to emit in tests. */
export function keyCreated(companyId: string, userKeyId: string, ownerId = 'emp_test'): NewAccessEvent {
  return {
    type: 'user_key.created',
    companyId,
    data: {
      userKeyId,
      ownerId,
      kind: 'EMPLOYEE',
      applicationId: null,
      expiresAt: null,
      createdByEmployeeId: ownerId,
      createdByUserKeyId: null,
    },
  };
}

/**
 * The callers the feed and endpoint tests refuse or admit, all of Kari's office: a key without the
 * administration permission (LOGIN and `other`), a key with USER_ADMIN, and an accountant key with
 * every permission linked to Bakeri — where Kari may act in person too, through a link of her own.
 */
export async function seedEventCallers(
  app: TestApp,
  world: World,
  other: Permission,
): Promise<{ keyWithoutAdmin: string; keyWithUserAdmin: string; accountantKey: string }> {
  const withoutAdmin = await app.seed.userKey(world.kari, { permissions: [Permission.LOGIN, other] });
  const withUserAdmin = await app.seed.userKey(world.kari, { permissions: [Permission.LOGIN, Permission.USER_ADMIN] });
  const accountant = await app.seed.userKey(world.kari, {
    permissions: Object.values(Permission),
    kind: UserKeyKind.ACCOUNTANT,
  });
  await app.seed.clientLink(world.office, world.bakeri, accountant.userKey, world.bokforing);
  await app.seed.clientLink(world.office, world.bakeri, world.kari, world.bokforing);
  return {
    keyWithoutAdmin: withoutAdmin.token,
    keyWithUserAdmin: withUserAdmin.token,
    accountantKey: accountant.token,
  };
}
