import type { Database } from '../../db/database';
import { claimClause, dialectOf, placeholders, sqlTime } from '../../db/dialect';
import { hydrate, prefixedColumns } from '../../db/hydrate';
import { newId } from '../../shared/ids';
import { instrument, type WebhookOutcome } from '../../shared/instrumentation';
import type { Logger } from '../../shared/logger';
import { AccessEvent } from '../events/access-event.entity';
import { affectedRows } from '../events/affected-rows';
import { disables, givesUp, retryDelay, type RetryLimits } from './delivery-policy';
import type { SecretBox } from './secret-box';
import { WebhookAttempt } from './webhook-attempt.entity';
import { WebhookDelivery, WebhookDeliveryStatus } from './webhook-delivery.entity';
import { WebhookEndpoint } from './webhook-endpoint.entity';
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

interface Head {
  delivery: WebhookDelivery;
  event: AccessEvent;
  endpoint: WebhookEndpoint;
}

const PENDING = WebhookDeliveryStatus.PENDING;

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
    // which endpoints have work: a plain read (one row per endpoint, from the status index), so
    // the locking statement below touches only endpoints
    const waiting: { id: string }[] = await this.db.manager.query(
      'SELECT DISTINCT endpoint_id AS id FROM webhook_delivery WHERE status = ?',
      [PENDING],
    );
    if (!waiting.length) return [];
    const ids = waiting.map((row) => row.id);
    const time = sqlTime(now);
    return this.db.transaction(async (manager) => {
      const free: { id: string }[] = await manager.query(
        `SELECT id FROM webhook_endpoint
         WHERE id IN (${placeholders(ids.length)}) AND disabled_at IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY lease_until, id LIMIT ?${claimClause(dialectOf(manager))}`,
        [...ids, time, time, limit],
      );
      if (!free.length) return [];
      const claimed = free.map((row) => row.id);
      await manager.query(
        `UPDATE webhook_endpoint SET lease_owner = ?, lease_until = ? WHERE id IN (${placeholders(claimed.length)})`,
        [this.settings.instance, sqlTime(new Date(now.getTime() + this.settings.leaseMs)), ...claimed],
      );
      return claimed;
    });
  }

  /** Sends a leased endpoint's pending deliveries in order; hands the endpoint back when done. */
  async serve(endpointId: string, stop: StopSignals, clock: () => Date): Promise<void> {
    let holding = true;
    try {
      for (let sent = 0; sent < this.settings.perLease && !stop.drain.aborted; sent++) {
        const head = await this.head(endpointId);
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

  /** The endpoint's oldest pending delivery, with its event and the endpoint itself. */
  private async head(endpointId: string): Promise<Head | null> {
    const m = this.db.manager;
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT ${prefixedColumns(m, WebhookDelivery, 'd', 'd__')}, ${prefixedColumns(m, AccessEvent, 'e', 'e__')},
              ${prefixedColumns(m, WebhookEndpoint, 'w', 'w__')}
       FROM webhook_delivery d
       JOIN access_event e ON e.id = d.event_id
       JOIN webhook_endpoint w ON w.id = d.endpoint_id
       WHERE d.endpoint_id = ? AND d.status = ?
       ORDER BY d.position, d.id LIMIT 1`,
      [endpointId, PENDING],
    );
    if (!rows.length) return null;
    return {
      delivery: hydrate(m, WebhookDelivery, rows, 'd__')[0],
      event: hydrate(m, AccessEvent, rows, 'e__')[0],
      endpoint: hydrate(m, WebhookEndpoint, rows, 'w__')[0],
    };
  }

  private async renew(endpointId: string, now: Date): Promise<boolean> {
    const until = sqlTime(new Date(now.getTime() + this.settings.leaseMs));
    const matched = await affectedRows(
      this.db.manager,
      'UPDATE webhook_endpoint SET lease_until = ? WHERE id = ? AND lease_owner = ?',
      [until, endpointId, this.settings.instance],
    );
    return matched === 1;
  }

  /** Hands the endpoint back; `lease_until` keeps the time, so the least recently served goes first. */
  private async release(endpointId: string, now: Date): Promise<void> {
    await this.db.manager.query(
      'UPDATE webhook_endpoint SET lease_owner = NULL, lease_until = ? WHERE id = ? AND lease_owner = ?',
      [sqlTime(now), endpointId, this.settings.instance],
    );
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

  private async attempt(head: Head, now: Date, interrupt: AbortSignal): Promise<WebhookResponse> {
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
    head: Head,
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
      if (response.ok) {
        await manager.query(
          `UPDATE webhook_delivery SET status = ?, attempt_count = attempt_count + 1, last_attempt_at = ?,
             last_status_code = ?, delivered_at = ? WHERE id = ?`,
          [WebhookDeliveryStatus.DELIVERED, sqlTime(started), response.statusCode, sqlTime(ended), delivery.id],
        );
        await manager.query('UPDATE webhook_endpoint SET failing_since = NULL, next_attempt_at = NULL WHERE id = ?', [
          endpoint.id,
        ]);
        return { outcome: 'delivered', disabledEndpoint: false };
      }
      const firstAttemptAt = delivery.firstAttemptAt ?? started;
      const failures = delivery.retryCount + 1;
      const giveUp = givesUp(firstAttemptAt, ended, limits);
      await manager.query(
        `UPDATE webhook_delivery SET status = ?, attempt_count = attempt_count + 1, retry_count = ?,
           first_attempt_at = ?, last_attempt_at = ?, last_status_code = ? WHERE id = ?`,
        [
          giveUp ? WebhookDeliveryStatus.FAILED : PENDING,
          failures,
          sqlTime(firstAttemptAt),
          sqlTime(started),
          response.statusCode,
          delivery.id,
        ],
      );
      const failingSince = endpoint.failingSince ?? started;
      // a given-up delivery makes way for the next at once; otherwise the endpoint waits out the backoff
      const next = giveUp
        ? null
        : new Date(ended.getTime() + retryDelay(failures, this.settings.backoffBaseMs, this.random));
      const disabled = disables(failingSince, ended, limits) && !endpoint.disabledAt;
      if (disables(failingSince, ended, limits)) {
        const reason = `Turned off at ${ended.toISOString()}: every delivery failed for ${describeSpan(limits.disableAfterMs)} (last: ${response.error ?? 'no answer'}). Fix the endpoint, then enable it again.`;
        await manager.query(
          `UPDATE webhook_endpoint SET failing_since = ?, next_attempt_at = ?, disabled_at = COALESCE(disabled_at, ?),
             disabled_reason = COALESCE(disabled_reason, ?) WHERE id = ?`,
          [sqlTime(failingSince), next && sqlTime(next), sqlTime(ended), reason.slice(0, 500), endpoint.id],
        );
        this.log.warn({ endpointId: endpoint.id }, 'webhook endpoint turned off after failing too long');
      } else {
        await manager.query('UPDATE webhook_endpoint SET failing_since = ?, next_attempt_at = ? WHERE id = ?', [
          sqlTime(failingSince),
          next && sqlTime(next),
          endpoint.id,
        ]);
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
