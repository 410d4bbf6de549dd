import { randomBytes } from 'node:crypto';

/** Where the Redis tests find Redis (REDIS_URL, default the local one). */
export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

const RUN = `${process.pid}-${randomBytes(4).toString('hex')}`;
let serial = 0;

/**
 * A Redis key prefix (RATE_LIMIT_PREFIX / `rateLimits.prefix`) no other server shares: unique to this
 * test process and to the call, so two suites on one Redis never count each other's requests.
 * Instances meant to share limits are given the same one.
 */
export function uniqueRedisPrefix(label = 'nokkel-test'): string {
  serial += 1;
  return `${label}-${RUN}-${serial}`;
}
