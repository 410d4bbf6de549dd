const HOUR = 60 * 60 * 1000;

/** The longest wait between two attempts, so a long outage is noticed within hours of its end. */
export const MAX_RETRY_DELAY_MS = 4 * HOUR;

/**
 * R37: the wait before the next attempt after `failures` failed ones: exponential (base·2ⁿ⁻¹,
 * at most 4 hours) with ±25 % jitter, so endpoints that failed together do not all retry in the
 * same instant when they recover.
 */
export function retryDelay(failures: number, baseMs: number, random: () => number = Math.random): number {
  const exponential = Math.min(baseMs * 2 ** Math.min(Math.max(failures, 1) - 1, 40), MAX_RETRY_DELAY_MS);
  return Math.round(exponential * (0.75 + random() * 0.5));
}

export interface RetryLimits {
  /** How long one delivery is retried from its first attempt (at least 24 hours, R37). */
  retryWindowMs: number;
  /** How long an endpoint may fail without a single success before it is turned off (3 days, R37). */
  disableAfterMs: number;
}

/** R37: a delivery failing since `firstAttemptAt` is given up (FAILED) once the retry window has passed. */
export function givesUp(firstAttemptAt: Date, now: Date, limits: RetryLimits): boolean {
  return now.getTime() - firstAttemptAt.getTime() >= limits.retryWindowMs;
}

/** R37: an endpoint failing since `failingSince` is turned off after 3 days without a success. */
export function disables(failingSince: Date, now: Date, limits: RetryLimits): boolean {
  return now.getTime() - failingSince.getTime() >= limits.disableAfterMs;
}
