import type { Database } from '../../db/database';
import { newId } from '../../shared/ids';
import { instrument, type WebhookOutcome } from '../../shared/instrumentation';
import type { Logger } from '../../shared/logger';
import { disables, givesUp, retryDelay, type RetryLimits } from './delivery-policy';
import type { SecretBox } from './secret-box';
import { WebhookAttempt } from './webhook-attempt.entity';
import { webhookDeliveryRepository, type DeliveryHead } from './webhook-delivery.repository';
import type { WebhookEndpoint } from './webhook-endpoint.entity';
import { webhookEndpointRepository } from './webhook-endpoint.repository';
import type { WebhookResponse, WebhookSender } from './webhook-sender';
import { webhookBody, webhookHeaders } from './webhook-signer';

export interface DeliveryWorkerSettings {
  /** This instance's name in leases (host:pid:random). */
  instance: string;
  leaseMs: number;
  backoffBaseMs: number;
  limits: RetryLimits;
  /** Deliveries sent under one lease before the endpoint is handed back, so busy endpoints take turns. */
  perLease: number;
}

/** How serving an endpoint is told to stop: `drain` after the attempt in flight, `interrupt` at once. */
export interface StopSignals {
  drain: AbortSignal;
  interrupt: AbortSignal;
}

/**
 * R37/R38: sends webhook deliveries. The unit of work is an endpoint: an instance leases it
 * (claim), sends its pending deliveries oldest first, one at a time, renewing the lease before
 * each attempt, and stops at the first failure — the endpoint then waits out its backoff, so
 * deliveries keep their order. A process that dies holding a lease loses nothing: the delivery
 * in flight is still PENDING, and another instance takes the endpoint when the lease runs out.
 */
export class DeliveryWorker {
  constructor(
    private readonly db: Database,
    private readonly box: SecretBox,
    private readonly sender: WebhookSender,
    private readonly settings: DeliveryWorkerSettings,
    private readonly log: Logger,
    private readonly random: () => number = Math.random,
  ) {}

  /**
   * R38: leases up to `limit` endpoints that have pending deliveries, are not waiting out a
   * backoff and are not leased (or their lease ran out) — the least recently served first.
   */
  async claim(now: Date, limit: number): Promise<string[]> {
    if (limit <= 0) return [];
    const ids = await webhookDeliveryRepository(this.db.manager).endpointsWithWork();
    if (!ids.length) return [];
    return this.db.transaction(async (manager) => {
      const endpoints = webhookEndpointRepository(manager);
      const claimed = await endpoints.lockedFree(ids, now, limit);
      if (claimed.length)
        await endpoints.lease(claimed, this.settings.instance, new Date(now.getTime() + this.settings.leaseMs));
      return claimed;
    });
  }

  /** Sends a leased endpoint's pending deliveries in order; hands the endpoint back when done. */
  async serve(endpointId: string, stop: StopSignals, clock: () => Date): Promise<void> {
    let holding = true;
    try {
      for (let sent = 0; sent < this.settings.perLease && !stop.drain.aborted; sent++) {
        const head = await webhookDeliveryRepository(this.db.manager).head(endpointId);
        if (!head || head.endpoint.disabledAt) break;
        const started = clock();
        // renewing before each attempt means an attempt only starts with a full lease ahead of it
        if (head.endpoint.leaseOwner !== this.settings.instance || !(await this.renew(endpointId, started))) {
          holding = false;
          break;
        }
        const response = await this.attempt(head, started, stop.interrupt);
        if (response.interrupted) break;
        const ended = clock();
        const recorded = await this.record(head, response, started, ended);
        instrument('nokkel:webhook.attempt', { ...recorded, ms: response.durationMs });
        if (!response.ok) break;
      }
    } catch (error) {
      this.log.warn({ endpointId, err: (error as Error).message }, 'webhook delivery failed to run');
    } finally {
      if (holding) await this.release(endpointId, clock()).catch(() => undefined);
    }
  }

  private renew(endpointId: string, now: Date): Promise<boolean> {
    const until = new Date(now.getTime() + this.settings.leaseMs);
    return webhookEndpointRepository(this.db.manager).renew(endpointId, this.settings.instance, until);
  }

  private release(endpointId: string, now: Date): Promise<void> {
    return webhookEndpointRepository(this.db.manager).release(endpointId, this.settings.instance, now);
  }

  /** The signing secrets in force: the current one, and the previous one during a rotation's overlap. */
  private secrets(endpoint: WebhookEndpoint, now: Date): string[] {
    const secrets = [this.box.open(endpoint.secretSealed, endpoint.id)];
    if (
      endpoint.previousSecretSealed &&
      endpoint.previousSecretExpiresAt &&
      endpoint.previousSecretExpiresAt.getTime() > now.getTime()
    ) {
      secrets.push(this.box.open(endpoint.previousSecretSealed, endpoint.id));
    }
    return secrets;
  }

  private async attempt(head: DeliveryHead, now: Date, interrupt: AbortSignal): Promise<WebhookResponse> {
    let secrets: string[];
    try {
      secrets = this.secrets(head.endpoint, now);
    } catch (error) {
      return { ok: false, statusCode: null, durationMs: 0, error: (error as Error).message, interrupted: false };
    }
    const body = webhookBody(head.event);
    const headers = webhookHeaders({ id: head.event.id, at: now, body, secrets });
    return this.sender.send({ url: head.endpoint.url, headers, body }, interrupt);
  }

  /** Records an attempt and its consequences (delivered; or backoff, giving up, turning the endpoint off). */
  private async record(
    head: DeliveryHead,
    response: WebhookResponse,
    started: Date,
    ended: Date,
  ): Promise<{ outcome: WebhookOutcome; disabledEndpoint: boolean }> {
    const { delivery, endpoint } = head;
    const limits = this.settings.limits;
    return this.db.transaction(async (manager) => {
      await manager.insert(WebhookAttempt, {
        id: newId('webhookAttempt'),
        deliveryId: delivery.id,
        at: started,
        statusCode: response.statusCode,
        durationMs: response.durationMs,
        error: response.error?.slice(0, 500) ?? null,
      });
      const deliveries = webhookDeliveryRepository(manager);
      const endpoints = webhookEndpointRepository(manager);
      if (response.ok) {
        await deliveries.markDelivered(delivery.id, started, response.statusCode, ended);
        await endpoints.markHealthy(endpoint.id);
        return { outcome: 'delivered', disabledEndpoint: false };
      }
      const firstAttemptAt = delivery.firstAttemptAt ?? started;
      const failures = delivery.retryCount + 1;
      const giveUp = givesUp(firstAttemptAt, ended, limits);
      await deliveries.markFailedAttempt(delivery.id, {
        giveUp,
        retryCount: failures,
        firstAttemptAt,
        attemptAt: started,
        statusCode: response.statusCode,
      });
      const failingSince = endpoint.failingSince ?? started;
      // a given-up delivery makes way for the next at once; otherwise the endpoint waits out the backoff
      const next = giveUp
        ? null
        : new Date(ended.getTime() + retryDelay(failures, this.settings.backoffBaseMs, this.random));
      const disabled = disables(failingSince, ended, limits) && !endpoint.disabledAt;
      if (disables(failingSince, ended, limits)) {
        const reason = `Turned off at ${ended.toISOString()}: every delivery failed for ${describeSpan(limits.disableAfterMs)} (last: ${response.error ?? 'no answer'}). Fix the endpoint, then enable it again.`;
        await endpoints.markDisabled(endpoint.id, { failingSince, nextAttemptAt: next }, ended, reason);
        this.log.warn({ endpointId: endpoint.id }, 'webhook endpoint turned off after failing too long');
      } else {
        await endpoints.markFailing(endpoint.id, { failingSince, nextAttemptAt: next });
      }
      return { outcome: giveUp ? 'failed' : 'retrying', disabledEndpoint: disabled };
    });
  }
}

function describeSpan(ms: number): string {
  if (ms < 3_600_000) return `${Math.round(ms / 1000)} seconds`;
  const hours = Math.round(ms / 3_600_000);
  return hours % 24 === 0 ? `${hours / 24} days` : `${hours} hours`;
}
