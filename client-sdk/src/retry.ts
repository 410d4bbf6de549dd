import { ErrorCode, type NokkelError } from './errors';

/** What onRetry is told before each wait. */
export interface RetryEvent {
  /** The attempt that failed (1 for the first request). */
  attempt: number;
  /** How long the client waits before the next attempt. */
  delayMs: number;
  /** The error of the failed attempt (RATE_LIMITED or SERVICE_UNAVAILABLE). */
  error: NokkelError;
}

/**
 * Retries of requests the server refused for a while: RATE_LIMITED (HTTP 429) and
 * SERVICE_UNAVAILABLE (HTTP 503). Off unless `createClient({ retry })` is given.
 */
export interface RetryOptions {
  /** Attempts in all, the first included. Default 3. */
  maxAttempts?: number | undefined;
  /**
   * The longest wait before one retry. When the server asks for a longer one (`Retry-After`), the
   * client does not wait: it throws the error, whose `retryAfter` says when to come back. Default 60 000 ms
   * (the server's rate limits are per minute).
   */
  maxDelayMs?: number | undefined;
  /**
   * Without `Retry-After`: a random wait between 0 and baseDelayMs × 2^(attempt − 1) ("full
   * jitter", so that many clients do not come back at the same moment). Default 500 ms.
   */
  baseDelayMs?: number | undefined;
  /**
   * Retry mutations refused with SERVICE_UNAVAILABLE as well. Default false: the database may
   * have gone away after the change was made, and running e.g. createUserKey twice makes two
   * keys. RATE_LIMITED mutations are always retried: the server refuses them before running them.
   */
  retryUnavailableMutations?: boolean | undefined;
  /** Called before each wait (e.g. to log it). */
  onRetry?: ((event: RetryEvent) => void) | undefined;
  /** How to wait; tests pass one that returns at once. Default: a timer. */
  sleep?: ((ms: number) => Promise<void>) | undefined;
  /** The source of randomness for the jitter, 0 ≤ x < 1. Default Math.random. */
  random?: (() => number) | undefined;
}

/** RetryOptions with every default filled in. */
export interface RetryPolicy {
  maxAttempts: number;
  maxDelayMs: number;
  baseDelayMs: number;
  retryUnavailableMutations: boolean;
  onRetry: ((event: RetryEvent) => void) | undefined;
  sleep: (ms: number) => Promise<void>;
  random: () => number;
}

// the SDK compiles without DOM or Node typings; every runtime it supports has setTimeout
const timers = globalThis as unknown as { setTimeout(callback: () => void, ms: number): unknown };
const defaultSleep = (ms: number) => new Promise<void>((resolve) => timers.setTimeout(resolve, ms));

/** The policy for `createClient({ retry })`: undefined or false is no retries, true the defaults. */
export function retryPolicy(option: boolean | RetryOptions | undefined): RetryPolicy | undefined {
  if (!option) return undefined;
  const given = option === true ? {} : option;
  const policy: RetryPolicy = {
    maxAttempts: given.maxAttempts ?? 3,
    maxDelayMs: given.maxDelayMs ?? 60_000,
    baseDelayMs: given.baseDelayMs ?? 500,
    retryUnavailableMutations: given.retryUnavailableMutations ?? false,
    onRetry: given.onRetry,
    sleep: given.sleep ?? defaultSleep,
    random: given.random ?? Math.random,
  };
  if (!Number.isInteger(policy.maxAttempts) || policy.maxAttempts < 1)
    throw new RangeError(
      `createClient: retry.maxAttempts must be a whole number of at least 1, not ${policy.maxAttempts}.`,
    );
  for (const name of ['maxDelayMs', 'baseDelayMs'] as const)
    if (!(policy[name] >= 0))
      throw new RangeError(`createClient: retry.${name} must be 0 or more, not ${policy[name]}.`);
  return policy;
}

/** Seconds from a Retry-After header: delta-seconds or an HTTP date. */
export function parseRetryAfter(header: string | null | undefined, now: number = Date.now()): number | undefined {
  if (!header) return undefined;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, Math.ceil((at - now) / 1000));
}

function isRetryable(error: NokkelError, mutation: boolean, policy: RetryPolicy): boolean {
  if (error.code === ErrorCode.RATE_LIMITED || error.status === 429) return true;
  if (error.code === ErrorCode.SERVICE_UNAVAILABLE || error.status === 503)
    return !mutation || policy.retryUnavailableMutations;
  return false;
}

/**
 * How long to wait before attempt `attempt + 1`, or undefined when the error is not retried
 * (not retryable, attempts used up, or the server asks for a longer wait than maxDelayMs).
 */
export function retryDelay(
  error: NokkelError,
  attempt: number,
  mutation: boolean,
  policy: RetryPolicy,
): number | undefined {
  if (attempt >= policy.maxAttempts || !isRetryable(error, mutation, policy)) return undefined;
  if (error.retryAfter !== undefined) {
    const asked = error.retryAfter * 1000;
    return asked <= policy.maxDelayMs ? asked : undefined;
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(policy.random() * ceiling);
}
