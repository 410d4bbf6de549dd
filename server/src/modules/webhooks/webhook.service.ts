import { In, type EntityManager } from 'typeorm';
import type { AuthenticatedActing } from '../../auth/acting-context';
import type { Database } from '../../db/database';
import { pageById } from '../../db/pagination';
import { BadUserInput, Conflict, InputCheck, NotFound } from '../../shared/errors';
import { newId } from '../../shared/ids';
import type { Page, PageArgs } from '../../shared/pagination';
import { auditOwnChange } from '../audit/audit-log';
import { AccessEvent } from '../events/access-event.entity';
import { EVERY_EVENT_TYPE, isAccessEventType } from '../events/event-types';
import { requireOwnCompany } from '../events/own-company';
import type { SecretBox } from './secret-box';
import { AddressGuard } from './ssrf-guard';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
import { newWebhookSecret, webhookSecretHint } from './webhook-signer';
import { WebhookSubscription } from './webhook-subscription.entity';
import type { CreateWebhookEndpointInput, UpdateWebhookEndpointInput } from './webhook.types';

/** How long the secret before a rotation keeps signing alongside the new one (R37). */
export const ROTATION_OVERLAP_MS = 24 * 60 * 60 * 1000;

/** Endpoints per company: each event is sent to every one, so the number stays small. */
export const MAX_ENDPOINTS_PER_COMPANY = 10;

export interface IssuedWebhookSecret {
  endpoint: WebhookEndpoint;
  secret: string;
}

/** R37: a company's webhook endpoints, their secrets and their delivery log. */
export class WebhookService {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly guard: AddressGuard,
  ) {}

  /** Checks a URL: https (http too with private networks allowed), no credentials, a public address. */
  private async checkUrl(raw: string): Promise<string> {
    const check = new InputCheck();
    let url: URL | null = null;
    try {
      url = new URL(raw.trim());
    } catch {
      check.require(false, 'url', 'is not a URL');
    }
    if (url) {
      const http = url.protocol === 'http:' && this.guard.allowPrivateNetworks;
      check
        .require(url.protocol === 'https:' || http, 'url', 'must use https')
        .require(!url.username && !url.password, 'url', 'must not contain a user name or password')
        .require(!url.hash, 'url', 'must not contain a fragment (#…)')
        .require(url.href.length <= 2000, 'url', 'must be at most 2,000 characters');
    }
    check.done();
    const problem = await this.guard.problemWith(url!);
    if (problem) throw new BadUserInput([{ field: 'url', message: problem }]);
    return url!.href;
  }

  /** The event types as stored: known types (or `*` alone), without repeats. */
  private checkEventTypes(types: readonly string[]): string[] {
    const unknown = types.filter((t) => t !== EVERY_EVENT_TYPE && !isAccessEventType(t));
    new InputCheck()
      .require(types.length > 0, 'eventTypes', 'give at least one event type, or ["*"] for every type')
      .require(!unknown.length, 'eventTypes', `unknown event type(s): ${unknown.join(', ')}`)
      .done();
    return types.includes(EVERY_EVENT_TYPE) ? [EVERY_EVENT_TYPE] : [...new Set(types)].sort();
  }

  private async withEventTypes(manager: EntityManager, endpoints: WebhookEndpoint[]): Promise<WebhookEndpoint[]> {
    if (!endpoints.length) return endpoints;
    const subscriptions = await manager.find(WebhookSubscription, {
      where: { endpointId: In(endpoints.map((e) => e.id)) },
      order: { eventType: 'ASC' },
    });
    for (const endpoint of endpoints)
      endpoint.eventTypes = subscriptions.filter((s) => s.endpointId === endpoint.id).map((s) => s.eventType);
    return endpoints;
  }

  /** An endpoint of the acting company; another company's is NOT_FOUND (no existence leaks). */
  private async owned(manager: EntityManager, acting: AuthenticatedActing, id: string): Promise<WebhookEndpoint> {
    const endpoint = await manager.findOneBy(WebhookEndpoint, { id, companyId: acting.company.id });
    if (!endpoint) throw new NotFound('WebhookEndpoint', id);
    return endpoint;
  }

  /** R37: the acting company's endpoints, oldest first. */
  async list(acting: AuthenticatedActing, page: PageArgs): Promise<Page<WebhookEndpoint>> {
    requireOwnCompany(acting);
    const result = await pageById(this.db, WebhookEndpoint, { companyId: acting.company.id }, page);
    await this.withEventTypes(this.db.manager, result.nodes);
    return result;
  }

  /** R37: a new endpoint with its signing secret, which is returned this once. */
  async create(
    acting: AuthenticatedActing,
    input: CreateWebhookEndpointInput,
    now: Date,
  ): Promise<IssuedWebhookSecret> {
    requireOwnCompany(acting);
    const eventTypes = this.checkEventTypes(input.eventTypes);
    const url = await this.checkUrl(input.url);
    const secret = newWebhookSecret();
    const id = newId('webhookEndpoint');
    const endpoint = Object.assign(new WebhookEndpoint(), {
      id,
      companyId: acting.company.id,
      url,
      secretSealed: this.box.seal(secret, id),
      previousSecretSealed: null,
      previousSecretExpiresAt: null,
      secretHint: webhookSecretHint(secret),
      disabledAt: null,
      disabledReason: null,
      failingSince: null,
      nextAttemptAt: null,
      leaseOwner: null,
      leaseUntil: null,
      createdAt: now,
      updatedAt: now,
    });
    await this.db.transaction(async (manager) => {
      const count = await manager.countBy(WebhookEndpoint, { companyId: acting.company.id });
      if (count >= MAX_ENDPOINTS_PER_COMPANY)
        throw new Conflict(
          `A company can have at most ${MAX_ENDPOINTS_PER_COMPANY} webhook endpoints; delete one first.`,
        );
      await manager.insert(WebhookEndpoint, endpoint);
      await manager.insert(
        WebhookSubscription,
        eventTypes.map((eventType) => ({ endpointId: id, eventType })),
      );
      // the host only: a URL's path or query may itself carry a receiver's token
      const details = { host: new URL(url).host, eventTypes };
      await auditOwnChange(manager, acting, 'webhookEndpoint.create', { type: 'WebhookEndpoint', id }, details, now);
    });
    endpoint.eventTypes = eventTypes;
    return { endpoint, secret };
  }

  /** R37: changes an endpoint's URL, event types, or turns it off and on. */
  async update(
    acting: AuthenticatedActing,
    id: string,
    input: UpdateWebhookEndpointInput,
    now: Date,
  ): Promise<WebhookEndpoint> {
    requireOwnCompany(acting);
    const eventTypes = input.eventTypes == null ? null : this.checkEventTypes(input.eventTypes);
    const url = input.url == null ? null : await this.checkUrl(input.url);
    return this.db.transaction(async (manager) => {
      const endpoint = await this.owned(manager, acting, id);
      const changes: Partial<WebhookEndpoint> = { updatedAt: now };
      if (url !== null) changes.url = url;
      if (input.enabled === false && endpoint.disabledAt === null) {
        Object.assign(changes, { disabledAt: now, disabledReason: 'Turned off by an administrator.' });
      }
      if (input.enabled === true) {
        // a fresh start: pending deliveries are tried at once, the 3-day count starts again
        Object.assign(changes, { disabledAt: null, disabledReason: null, failingSince: null, nextAttemptAt: null });
      }
      await manager.update(WebhookEndpoint, { id }, changes);
      if (eventTypes) {
        await manager.delete(WebhookSubscription, { endpointId: id });
        await manager.insert(
          WebhookSubscription,
          eventTypes.map((eventType) => ({ endpointId: id, eventType })),
        );
      }
      await auditOwnChange(
        manager,
        acting,
        'webhookEndpoint.update',
        { type: 'WebhookEndpoint', id: id },
        {
          ...(url !== null ? { host: new URL(url).host } : {}),
          ...(eventTypes ? { eventTypes } : {}),
          ...(input.enabled != null ? { enabled: input.enabled } : {}),
        },
        now,
      );
      Object.assign(endpoint, changes);
      const [withTypes] = await this.withEventTypes(manager, [endpoint]);
      return withTypes;
    });
  }

  /** R37: deletes an endpoint with its pending deliveries and its log. */
  async delete(acting: AuthenticatedActing, id: string, now: Date): Promise<boolean> {
    requireOwnCompany(acting);
    await this.db.transaction(async (manager) => {
      await this.owned(manager, acting, id);
      await manager.delete(WebhookEndpoint, { id });
      await auditOwnChange(
        manager,
        acting,
        'webhookEndpoint.delete',
        { type: 'WebhookEndpoint', id: id },
        undefined,
        now,
      );
    });
    return true;
  }

  /**
   * R37: a new signing secret, returned this once; the one it replaces keeps signing alongside
   * for 24 hours, so receivers can switch without losing a delivery.
   */
  async rotateSecret(acting: AuthenticatedActing, id: string, now: Date): Promise<IssuedWebhookSecret> {
    requireOwnCompany(acting);
    const secret = newWebhookSecret();
    return this.db.transaction(async (manager) => {
      const endpoint = await this.owned(manager, acting, id);
      const changes = {
        secretSealed: this.box.seal(secret, id),
        secretHint: webhookSecretHint(secret),
        previousSecretSealed: endpoint.secretSealed,
        previousSecretExpiresAt: new Date(now.getTime() + ROTATION_OVERLAP_MS),
        updatedAt: now,
      };
      // compare-and-set: of two rotations at once, the second would otherwise drop the first's
      // new secret from the overlap while its caller already holds it
      const result = await manager.update(WebhookEndpoint, { id, secretSealed: endpoint.secretSealed }, changes);
      if (result.affected !== 1)
        throw new Conflict('The secret was rotated by someone else at the same moment. Try again.');
      await auditOwnChange(
        manager,
        acting,
        'webhookEndpoint.rotateSecret',
        { type: 'WebhookEndpoint', id: id },
        undefined,
        now,
      );
      Object.assign(endpoint, changes);
      const [withTypes] = await this.withEventTypes(manager, [endpoint]);
      return { endpoint: withTypes, secret };
    });
  }

  /**
   * R37: sends a delivered or failed delivery again. It keeps its place in event order, so it
   * goes before newer pending deliveries; its retries start afresh. A pending one is left as is.
   */
  async redeliver(acting: AuthenticatedActing, deliveryId: string, now: Date): Promise<WebhookDelivery> {
    requireOwnCompany(acting);
    return this.db.transaction(async (manager) => {
      const delivery = await manager.findOneBy(WebhookDelivery, { id: deliveryId });
      const endpoint = delivery && (await manager.findOneBy(WebhookEndpoint, { id: delivery.endpointId }));
      if (!delivery || !endpoint || endpoint.companyId !== acting.company.id)
        throw new NotFound('WebhookDelivery', deliveryId);
      if (endpoint.disabledAt)
        throw new Conflict('The endpoint is turned off. Turn it on (updateWebhookEndpoint with enabled: true) first.');
      if (delivery.status === WebhookDeliveryStatus.PENDING) return delivery;
      await manager.update(
        WebhookDelivery,
        { id: deliveryId, status: delivery.status },
        { status: WebhookDeliveryStatus.PENDING, retryCount: 0, firstAttemptAt: null },
      );
      await auditOwnChange(
        manager,
        acting,
        'webhookDelivery.redeliver',
        { type: 'WebhookDelivery', id: deliveryId },
        { endpointId: endpoint.id, eventId: delivery.eventId },
        now,
      );
      return Object.assign(delivery, { status: WebhookDeliveryStatus.PENDING, retryCount: 0, firstAttemptAt: null });
    });
  }

  /** R37: one endpoint of the acting company (with its event types); another company's is NOT_FOUND. */
  async endpoint(acting: AuthenticatedActing, id: string): Promise<WebhookEndpoint> {
    requireOwnCompany(acting);
    const endpoint = await this.owned(this.db.manager, acting, id);
    await this.withEventTypes(this.db.manager, [endpoint]);
    return endpoint;
  }

  /** R37: one delivery of an endpoint of the acting company (with its event and attempts); NOT_FOUND otherwise. */
  async delivery(acting: AuthenticatedActing, id: string): Promise<WebhookDelivery> {
    requireOwnCompany(acting);
    const delivery = await this.db.manager.findOneBy(WebhookDelivery, { id });
    if (!delivery) throw new NotFound('WebhookDelivery', id);
    await this.owned(this.db.manager, acting, delivery.endpointId).catch(() => {
      throw new NotFound('WebhookDelivery', id);
    });
    await this.withEventsAndAttempts([delivery]);
    return delivery;
  }

  /** R37: one delivery attempt at an endpoint of the acting company; NOT_FOUND otherwise. */
  async attempt(acting: AuthenticatedActing, id: string): Promise<WebhookAttempt> {
    const attempt = await this.db.manager.findOneBy(WebhookAttempt, { id });
    if (!attempt) throw new NotFound('WebhookDeliveryAttempt', id);
    await this.delivery(acting, attempt.deliveryId).catch(() => {
      throw new NotFound('WebhookDeliveryAttempt', id);
    });
    return attempt;
  }

  /** R37: an endpoint's deliveries, newest first, each with its event and attempts (3 statements a page). */
  async deliveries(endpoint: WebhookEndpoint, page: PageArgs): Promise<Page<WebhookDelivery>> {
    const result = await pageById(this.db, WebhookDelivery, { endpointId: endpoint.id }, page, 'DESC');
    await this.withEventsAndAttempts(result.nodes);
    return result;
  }

  /** Attaches each delivery's event and attempts (oldest attempt first). */
  async withEventsAndAttempts(deliveries: WebhookDelivery[]): Promise<void> {
    if (!deliveries.length) return;
    const m = this.db.manager;
    const [events, attempts] = await Promise.all([
      m.findBy(AccessEvent, { id: In([...new Set(deliveries.map((d) => d.eventId))]) }),
      m.find(WebhookAttempt, { where: { deliveryId: In(deliveries.map((d) => d.id)) }, order: { id: 'ASC' } }),
    ]);
    const byId = new Map(events.map((e) => [e.id, e]));
    for (const delivery of deliveries) {
      delivery.event = byId.get(delivery.eventId);
      delivery.attempts = attempts.filter((a) => a.deliveryId === delivery.id);
    }
  }
}
