import { flag, int } from '../../shared/settings';

const SECOND = 1000;
const HOUR = 60 * 60 * SECOND;
const DAY = 24 * HOUR;

/** Settings of the event engine: the outbox relay, webhook deliveries and the periodic sweeps. */
export interface EventSettings {
  /** Run the engine in this process (EVENTS_WORKER, default on). Off: nothing is relayed, sent or swept here. */
  worker: boolean;
  /** How often the engine looks for new events and due deliveries (EVENTS_POLL_INTERVAL_MS, 1000). */
  pollIntervalMs: number;
  /** The period of the expiry sweep (EVENTS_SWEEP_INTERVAL_MS, 60000); it runs once per period across instances. */
  sweepIntervalMs: number;
  /** Allow webhook URLs on private, loopback and link-local networks, and http (WEBHOOK_ALLOW_PRIVATE_NETWORKS, off). */
  allowPrivateNetworks: boolean;
  /** Deadline of one delivery attempt (WEBHOOK_TIMEOUT_MS, 10000). */
  timeoutMs: number;
  /** First retry delay; it doubles per failure up to 4 hours (WEBHOOK_BACKOFF_BASE_MS, 5000). */
  backoffBaseMs: number;
  /** How long one delivery is retried (WEBHOOK_RETRY_HOURS, 24, at least 24). */
  retryWindowMs: number;
  /** An endpoint failing this long without a success is turned off (72 hours). */
  disableAfterMs: number;
  /** How long an instance holds an endpoint per attempt before another may take over (timeout + 20 s). */
  leaseMs: number;
  /** Endpoints one instance sends to at the same time (WEBHOOK_CONCURRENCY, 8). */
  concurrency: number;
  /** 32 bytes (base64) sealing webhook signing secrets at rest (WEBHOOK_SECRET_KEY, unset: stored as they are). */
  secretKey: Buffer | null;
  /** Events, deliveries and their attempts older than this are deleted (EVENTS_RETENTION_DAYS, 90, at least 45:
   *  longer than the expiry notices look back, so a notice is never sent twice). */
  retentionMs: number;
  /** The engine's clock (tests move it; the default is the system clock). */
  clock?: () => Date;
}

function secretKey(value: string | undefined): Buffer | null {
  if (!value) return null;
  const key = Buffer.from(value, 'base64');
  if (key.length !== 32) throw new Error('WEBHOOK_SECRET_KEY must be 32 bytes in base64 (openssl rand -base64 32)');
  return key;
}

/** Reads the event engine's settings from the environment (README: Access events and webhooks). */
export function loadEventSettings(env: NodeJS.ProcessEnv): EventSettings {
  const timeoutMs = int(env.WEBHOOK_TIMEOUT_MS, 10 * SECOND, 'WEBHOOK_TIMEOUT_MS', 100, 60 * SECOND);
  return {
    worker: flag(env.EVENTS_WORKER, true, 'EVENTS_WORKER'),
    pollIntervalMs: int(env.EVENTS_POLL_INTERVAL_MS, SECOND, 'EVENTS_POLL_INTERVAL_MS', 10, 60 * SECOND),
    sweepIntervalMs: int(env.EVENTS_SWEEP_INTERVAL_MS, 60 * SECOND, 'EVENTS_SWEEP_INTERVAL_MS', 100, DAY),
    allowPrivateNetworks: flag(env.WEBHOOK_ALLOW_PRIVATE_NETWORKS, false, 'WEBHOOK_ALLOW_PRIVATE_NETWORKS'),
    timeoutMs,
    backoffBaseMs: int(env.WEBHOOK_BACKOFF_BASE_MS, 5 * SECOND, 'WEBHOOK_BACKOFF_BASE_MS', 1, HOUR),
    retryWindowMs: int(env.WEBHOOK_RETRY_HOURS, 24, 'WEBHOOK_RETRY_HOURS', 24, 24 * 7) * HOUR,
    disableAfterMs: 3 * DAY,
    leaseMs: int(env.WEBHOOK_LEASE_MS, timeoutMs + 20 * SECOND, 'WEBHOOK_LEASE_MS', timeoutMs + SECOND, HOUR),
    concurrency: int(env.WEBHOOK_CONCURRENCY, 8, 'WEBHOOK_CONCURRENCY', 1, 256),
    secretKey: secretKey(env.WEBHOOK_SECRET_KEY),
    retentionMs: int(env.EVENTS_RETENTION_DAYS, 90, 'EVENTS_RETENTION_DAYS', 45, 3650) * DAY,
  };
}
