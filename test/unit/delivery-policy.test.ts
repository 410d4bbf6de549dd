import { MAX_RETRY_DELAY_MS, disables, givesUp, retryDelay } from '../../server/src/modules/webhooks/delivery-policy';

const HOUR = 3_600_000;
const limits = { retryWindowMs: 24 * HOUR, disableAfterMs: 72 * HOUR };

describe('R37: retries', () => {
  test('R37: the wait doubles per failure from the base, with ±25 % jitter, and is capped at 4 hours', () => {
    for (let n = 1; n <= 10; n++) {
      const plain = 5000 * 2 ** (n - 1);
      expect(retryDelay(n, 5000, () => 0)).toBe(plain * 0.75);
      expect(retryDelay(n, 5000, () => 0.5)).toBe(plain);
      expect(retryDelay(n, 5000, () => 0.999999)).toBeLessThanOrEqual(Math.round(plain * 1.25));
    }
    expect(retryDelay(30, 5000, () => 0.5)).toBe(MAX_RETRY_DELAY_MS);
    const spread = new Set(Array.from({ length: 50 }, () => retryDelay(3, 5000)));
    expect(spread.size).toBeGreaterThan(10);
  });

  test('R37: with the default base, a failing delivery is retried for at least 24 hours, then given up', () => {
    let elapsed = 0;
    let attempts = 1;
    const first = new Date(0);
    while (!givesUp(first, new Date(elapsed), limits)) {
      elapsed += retryDelay(attempts, 5000, () => 0); // the shortest waits the jitter allows
      attempts++;
    }
    expect(elapsed).toBeGreaterThanOrEqual(24 * HOUR);
    expect(attempts).toBeGreaterThan(10);
    expect(attempts).toBeLessThan(40);
  });

  test('R37: an endpoint failing for 3 days is turned off, not before', () => {
    const since = new Date(0);
    expect(disables(since, new Date(72 * HOUR - 1), limits)).toBe(false);
    expect(disables(since, new Date(72 * HOUR), limits)).toBe(true);
  });
});
