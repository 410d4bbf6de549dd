import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimited } from '../shared/errors';
import { instrument, type LimiterName } from '../shared/instrumentation';

export interface RateLimitSettings {
  /** Requests per person and acting company (or per IP without a credential) per minute. */
  requestsPerMinute: number;
  /** Query cost per person and acting company per minute (see operationCost). */
  costPerMinute: number;
  /** Failed logins into one account from one client address per 15 minutes. */
  loginsPerEmail: number;
  /** Failed logins into one account from all addresses together per 15 minutes (much higher). */
  loginsPerAccount: number;
  /** Failed logins from one client address, whatever the account, per 15 minutes. */
  loginsPerIp: number;
  /** R31: leak reports per client IP per hour (60 unless set). */
  leakReportsPerIp?: number;
  /** Key prefix in Redis; instances with the same prefix share their limits. */
  prefix: string;
}

export const DEFAULT_RATE_LIMITS: RateLimitSettings = {
  requestsPerMinute: 1200,
  costPerMinute: 100_000,
  loginsPerEmail: 10,
  loginsPerAccount: 200,
  loginsPerIp: 100,
  leakReportsPerIp: 60,
  prefix: 'nokkel',
};

export interface Budget {
  remaining: number;
  resetAt: Date;
}

function limiter(
  redis: Redis | null,
  prefix: string,
  keyPrefix: string,
  points: number,
  duration: number,
): RateLimiterAbstract {
  if (!redis) return new RateLimiterMemory({ keyPrefix, points, duration });
  // shared by every instance through Redis; if Redis is unreachable each instance falls back to its own memory
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix: `${prefix}:${keyPrefix}`,
    points,
    duration,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

function refused(limiter: LimiterName, error: unknown): never {
  if (error instanceof RateLimiterRes) {
    instrument('nokkel:rate-limit.refused', { limiter });
    throw new RateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
  }
  throw error;
}

/**
 * A limiter key of fixed size: the SHA-256 of the key, so a caller choosing a huge key (an email of
 * a megabyte) cannot make the store hold it.
 */
export function limiterKey(key: string): string {
  return createHash('sha256').update(key).digest('base64url');
}

/**
 * A digest of a request's credential and X-Company-Id (never the credential itself): what a spent
 * request budget is remembered by, so the next request with it is refused before the lookup.
 */
export function credentialDigest(authorization: string, companyId: string | undefined): string {
  return limiterKey(`${authorization}\n${companyId ?? ''}`);
}

/**
 * What a spent budget is remembered by — a credential's digest whose owner has spent the minute's
 * request or cost budget, an address that has spent its bad requests — and when it refills. The
 * budgets are fixed windows, and a refused request still counts what it asked for, so until then
 * every request of the owner is refused, however cheap; remembering it lets the edge refuse the
 * next one before its body, parse and credential lookup (a caller that keeps sending past its
 * budget costs the server a refusal each, not a lookup each).
 * Bounded: past `capacity` keys the oldest is forgotten (its next request is looked up).
 */
export class SpentBudgets {
  private readonly until = new Map<string, number>();

  constructor(
    private readonly capacity = 10_000,
    private readonly clock: () => number = Date.now,
  ) {}

  note(key: string, msBeforeNext: number): void {
    this.until.delete(key);
    if (this.until.size >= this.capacity) this.until.delete(this.until.keys().next().value as string);
    this.until.set(key, this.clock() + msBeforeNext);
  }

  /** Milliseconds until the key's budget refills; 0 when it is not known to be spent. */
  remainingMs(key: string): number {
    const until = this.until.get(key);
    if (until === undefined) return 0;
    const left = until - this.clock();
    if (left > 0) return left;
    this.until.delete(key);
    return 0;
  }
}

/** Request, cost and login limits (rate-limiter-flexible; memory, or Redis when configured). */
export class RateLimits {
  private readonly requests: RateLimiterAbstract;
  private readonly cost: RateLimiterAbstract;
  private readonly loginAccountAddress: RateLimiterAbstract;
  private readonly loginAccount: RateLimiterAbstract;
  private readonly loginIp: RateLimiterAbstract;
  private readonly leakReports: RateLimiterAbstract;
  /** Credentials whose request budget is spent (see SpentBudgets). */
  readonly spent = new SpentBudgets();

  constructor(
    readonly settings: RateLimitSettings,
    redis: Redis | null,
  ) {
    const prefix = settings.prefix;
    this.requests = limiter(redis, prefix, 'req', settings.requestsPerMinute, 60);
    this.cost = limiter(redis, prefix, 'cost', settings.costPerMinute, 60);
    this.loginAccountAddress = limiter(redis, prefix, 'login-acct-ip', settings.loginsPerEmail, 15 * 60);
    this.loginAccount = limiter(redis, prefix, 'login-acct', settings.loginsPerAccount, 15 * 60);
    this.loginIp = limiter(redis, prefix, 'login-ip', settings.loginsPerIp, 15 * 60);
    const leakReports = settings.leakReportsPerIp ?? DEFAULT_RATE_LIMITS.leakReportsPerIp ?? 60;
    this.leakReports = limiter(redis, prefix, 'leak-report', leakReports, 60 * 60);
  }

  /**
   * Counts one request and its cost for a budget owner; RATE_LIMITED (with retryAfter) past either
   * budget. A refused request leaves its `credential` (a credentialDigest) in `spent` until the
   * budget that refused it refills.
   */
  async spend(owner: string, cost: number, credential: string | null = null): Promise<Budget> {
    const key = limiterKey(owner);
    // a refused consume still counts its points, so a budget once refused stays refused until it
    // refills, whatever the next request costs: the credential is remembered for that long
    const spentUntilRefill = (limiter: 'requests' | 'cost') => (error: unknown) => {
      if (credential && error instanceof RateLimiterRes) this.spent.note(credential, error.msBeforeNext);
      return refused(limiter, error);
    };
    await this.requests.consume(key, 1).catch(spentUntilRefill('requests'));
    const res = await this.cost.consume(key, Math.max(cost, 0)).catch(spentUntilRefill('cost'));
    return { remaining: res.remainingPoints, resetAt: new Date(Date.now() + res.msBeforeNext) };
  }

  /**
   * Before a password is checked: takes one failure from the address's, the (account, address)
   * pair's and the account's budgets, refusing (RATE_LIMITED) if one is spent; loginSucceeded gives
   * them back, so only failures count. `account` is the account the email resolves to, so look-alike
   * spellings of one email share its budgets; the pair's budget is the small one, so guessing from
   * one address does not lock the account's owner out of another.
   */
  async loginAttempt(account: string, ip: string): Promise<void> {
    const budgets = this.loginBudgets(account, ip);
    const taken: (typeof budgets)[number][] = [];
    for (const budget of budgets) {
      try {
        await budget.limiter.consume(budget.key, 1);
      } catch (error) {
        // a refused attempt checks no password: it is not a failure, so the budgets already taken are given back
        await Promise.all(taken.map((t) => t.limiter.reward(t.key, 1)));
        refused(budget.name, error);
      }
      taken.push(budget);
    }
  }

  /** R31: counts a leak report against the client IP (an open mutation must not be a free hammer). */
  async leakReport(ip: string): Promise<void> {
    await this.leakReports.consume(limiterKey(ip), 1).catch((error: unknown) => refused('leak_reports', error));
  }

  /** A successful login gives back what loginAttempt took and clears the pair's failures. */
  async loginSucceeded(account: string, ip: string): Promise<void> {
    const [address, pair, whole] = this.loginBudgets(account, ip);
    await Promise.all([
      address.limiter.reward(address.key, 1),
      pair.limiter.delete(pair.key),
      whole.limiter.reward(whole.key, 1),
    ]);
  }

  private loginBudgets(account: string, ip: string) {
    return [
      { name: 'login_address', limiter: this.loginIp, key: limiterKey(ip) },
      { name: 'login_account_address', limiter: this.loginAccountAddress, key: limiterKey(`${account}\n${ip}`) },
      { name: 'login_account', limiter: this.loginAccount, key: limiterKey(account) },
    ] as const;
  }
}
