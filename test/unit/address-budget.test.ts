import { AddressBudget, BODY_BYTES_PER_POINT, budgetKey } from '../../server/src/http/address-budget';
import { HttpError } from '../../server/src/http/http-error';
import { SpentBudgets, credentialDigest } from '../../server/src/http/rate-limits';

describe('the address budget', () => {
  test('an IPv6 address counts by its /64; IPv4 addresses count alone; long keys are hashed', () => {
    expect(budgetKey('2001:db8:1:2:aaaa::1')).toBe(budgetKey('2001:db8:1:2:ffff:1:2:3'));
    expect(budgetKey('2001:db8:1:2::1')).not.toBe(budgetKey('2001:db8:1:3::1'));
    expect(budgetKey('192.0.2.1')).toBe('192.0.2.1');
    expect(budgetKey('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(budgetKey('::ffff:192.0.2.1')).not.toBe(budgetKey('::ffff:192.0.2.2'));
    expect(budgetKey('x'.repeat(10_000)).length).toBeLessThanOrEqual(64);
  });

  test('requests past the budget are refused with 429 RATE_LIMITED and the RateLimit headers', async () => {
    const budget = new AddressBudget(
      { requestsPerMinute: 2, authFailuresPer15Minutes: 1, badRequestsPerMinute: 1000 },
      null,
      'unit',
    );
    expect((await budget.arrive('192.0.2.1', false)).remaining).toBe(1);
    await budget.arrive('192.0.2.1', false);
    const refused = await budget.arrive('192.0.2.1', false).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(HttpError);
    expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    expect((refused as HttpError).headers).toMatchObject({ 'ratelimit-limit': '2', 'ratelimit-remaining': '0' });
    await expect(budget.arrive('192.0.2.2', false)).resolves.toMatchObject({ remaining: 1 });
  });

  test('after its failed authentications an address is refused only when it brings a credential', async () => {
    const budget = new AddressBudget(
      { requestsPerMinute: 100, authFailuresPer15Minutes: 2, badRequestsPerMinute: 1000 },
      null,
      'unit',
    );
    await budget.authenticationFailed('192.0.2.9');
    await expect(budget.arrive('192.0.2.9', true)).resolves.toBeDefined();
    await budget.authenticationFailed('192.0.2.9');
    await expect(budget.arrive('192.0.2.9', true)).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    await expect(budget.arrive('192.0.2.9', false)).resolves.toBeDefined();
    await expect(budget.arrive('192.0.2.10', true)).resolves.toBeDefined();
  });

  test('past its bad requests an address is refused whatever it sends, until the minute is over; others are not', async () => {
    let now = 1_000_000;
    const clock = jest.spyOn(Date, 'now').mockImplementation(() => now);
    try {
      const budget = new AddressBudget(
        { requestsPerMinute: 100, authFailuresPer15Minutes: 100, badRequestsPerMinute: 2 },
        null,
        'unit-bad',
      );
      await budget.badRequest('192.0.2.30');
      // one bad request of two: the next request is served, with or without a credential
      await expect(budget.arrive('192.0.2.30', true)).resolves.toBeDefined();
      await budget.badRequest('192.0.2.30');
      const refused = await budget.arrive('192.0.2.30', true).catch((error: unknown) => error);
      expect(refused).toMatchObject({ status: 429, code: 'RATE_LIMITED', message: expect.stringMatching(/malformed/) });
      expect(Number((refused as HttpError).headers['retry-after'])).toBeGreaterThan(0);
      await expect(budget.arrive('192.0.2.30', false)).rejects.toMatchObject({ status: 429 });
      await expect(budget.arrive('192.0.2.31', false)).resolves.toBeDefined();
      now += 61_000;
      await expect(budget.arrive('192.0.2.30', false)).resolves.toBeDefined();
    } finally {
      clock.mockRestore();
    }
  });

  test('a large body costs its address by size (issue 19, finding 4: megabyte e-mails)', async () => {
    const budget = new AddressBudget(
      { requestsPerMinute: 100, authFailuresPer15Minutes: 2, badRequestsPerMinute: 1000 },
      null,
      'unit',
    );
    // a small body costs nothing beyond the request counted on arrival
    await budget.chargeBody('192.0.2.20', BODY_BYTES_PER_POINT);
    expect((await budget.arrive('192.0.2.20', false)).remaining).toBe(99);
    // 1 MB: 63 more points
    await budget.chargeBody('192.0.2.20', 1024 * 1024);
    expect((await budget.arrive('192.0.2.20', false)).remaining).toBe(35);
    // a body the address can no longer pay for is refused (429) before it is parsed
    await expect(budget.chargeBody('192.0.2.20', 1024 * 1024)).rejects.toMatchObject({
      status: 429,
      code: 'RATE_LIMITED',
    });
    await expect(budget.arrive('192.0.2.21', false)).resolves.toMatchObject({ remaining: 99 });
  });
});

describe('spent credentials', () => {
  test('a noted credential is refused until its budget refills, then forgotten', () => {
    let now = 1_000;
    const spent = new SpentBudgets(3, () => now);
    const kari = credentialDigest('Bearer nks_kari', undefined);
    expect(kari).not.toContain('nks_kari');
    expect(credentialDigest('Bearer nks_kari', 'cmp_1')).not.toBe(kari);
    expect(spent.remainingMs(kari)).toBe(0);
    spent.note(kari, 40_000);
    now += 10_000;
    expect(spent.remainingMs(kari)).toBe(30_000);
    now += 30_000;
    expect(spent.remainingMs(kari)).toBe(0);
  });

  test('holds at most its capacity: the oldest credential is forgotten first', () => {
    const spent = new SpentBudgets(2, () => 0);
    spent.note('a', 1_000);
    spent.note('b', 1_000);
    spent.note('c', 1_000);
    expect([spent.remainingMs('a'), spent.remainingMs('b'), spent.remainingMs('c')]).toEqual([0, 1_000, 1_000]);
  });
});
