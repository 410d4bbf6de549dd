import { claimClause, dialectOf, placeholders, sqlTime } from '../../db/dialect';
import { defineRepository } from '../../db/repository';
import { affectedRows } from '../events/affected-rows';
import { WebhookEndpoint } from './webhook-endpoint.entity';

/** An endpoint's state after a failed attempt: since when it fails, and when it may be tried again. */
export interface EndpointFailing {
  failingSince: Date;
  nextAttemptAt: Date | null;
}

/** The endpoints' leases (which instance sends to an endpoint) and their health after each attempt. */
export const webhookEndpointRepository = defineRepository(WebhookEndpoint, {
  /**
   * R38: of `ids`, up to `limit` endpoints that are on, not waiting out a backoff and not leased
   * (or their lease ran out), the least recently served first, locked: instances claiming at the
   * same moment skip each other's rows instead of queueing (claimClause).
   */
  async lockedFree(ids: string[], now: Date, limit: number): Promise<string[]> {
    const time = sqlTime(now);
    const free: { id: string }[] = await this.manager.query(
      `SELECT id FROM webhook_endpoint
         WHERE id IN (${placeholders(ids.length)}) AND disabled_at IS NULL
           AND (next_attempt_at IS NULL OR next_attempt_at <= ?) AND (lease_until IS NULL OR lease_until <= ?)
         ORDER BY lease_until, id LIMIT ?${claimClause(dialectOf(this.manager))}`,
      [...ids, time, time, limit],
    );
    return free.map((row) => row.id);
  },

  /** Leases the endpoints to `instance` until `until`, in one statement. */
  async lease(ids: string[], instance: string, until: Date): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_endpoint SET lease_owner = ?, lease_until = ? WHERE id IN (${placeholders(ids.length)})`,
      [instance, sqlTime(until), ...ids],
    );
  },

  /** Extends the lease if `instance` still holds it; whether it did (else another instance took over). */
  async renew(id: string, instance: string, until: Date): Promise<boolean> {
    const matched = await affectedRows(
      this.manager,
      'UPDATE webhook_endpoint SET lease_until = ? WHERE id = ? AND lease_owner = ?',
      [sqlTime(until), id, instance],
    );
    return matched === 1;
  },

  /** Hands the endpoint back; `lease_until` keeps the time, so the least recently served goes first. */
  async release(id: string, instance: string, now: Date): Promise<void> {
    await this.manager.query(
      'UPDATE webhook_endpoint SET lease_owner = NULL, lease_until = ? WHERE id = ? AND lease_owner = ?',
      [sqlTime(now), id, instance],
    );
  },

  /** A delivery went through: the endpoint is healthy and waits for nothing. */
  async markHealthy(id: string): Promise<void> {
    await this.manager.query('UPDATE webhook_endpoint SET failing_since = NULL, next_attempt_at = NULL WHERE id = ?', [
      id,
    ]);
  },

  /** An attempt failed: the endpoint fails since `failingSince` and waits until `nextAttemptAt`. */
  async markFailing(id: string, failing: EndpointFailing): Promise<void> {
    await this.manager.query('UPDATE webhook_endpoint SET failing_since = ?, next_attempt_at = ? WHERE id = ?', [
      sqlTime(failing.failingSince),
      failing.nextAttemptAt && sqlTime(failing.nextAttemptAt),
      id,
    ]);
  },

  /**
   * An attempt failed and the endpoint has failed too long: as `markFailing`, and turned off with
   * its reason — the first time and reason stay if it was already off.
   */
  async markDisabled(id: string, failing: EndpointFailing, at: Date, reason: string): Promise<void> {
    await this.manager.query(
      `UPDATE webhook_endpoint SET failing_since = ?, next_attempt_at = ?, disabled_at = COALESCE(disabled_at, ?),
             disabled_reason = COALESCE(disabled_reason, ?) WHERE id = ?`,
      [
        sqlTime(failing.failingSince),
        failing.nextAttemptAt && sqlTime(failing.nextAttemptAt),
        sqlTime(at),
        reason.slice(0, 500),
        id,
      ],
    );
  },
});
