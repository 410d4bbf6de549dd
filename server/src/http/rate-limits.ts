import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { RateLimited } from '../shared/errors';

export interface RateLimitSettings {
  /** Requests per credential (or per IP without one) per minute. */
  requestsPerMinute: number;
  /** Query cost per credential per minute (see operationCost). */
  costPerMinute: number;
  /** Failed-or-not login attempts per email per 15 minutes. */
  loginsPerEmail: number;
  /** Login attempts per client IP per 15 minutes. */
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

function refused(error: unknown): never {
  if (error instanceof RateLimiterRes) throw new RateLimited(Math.max(1, Math.ceil(error.msBeforeNext / 1000)));
  throw error;
}

/** Request, cost and login-attempt limits (rate-limiter-flexible; memory, or Redis when configured). */
export class RateLimits {
  private readonly requests: RateLimiterAbstract;
  private readonly cost: RateLimiterAbstract;
  private readonly loginEmail: RateLimiterAbstract;
  private readonly loginIp: RateLimiterAbstract;
  private readonly leakReports: RateLimiterAbstract;

  constructor(
    readonly settings: RateLimitSettings,
    redis: Redis | null,
  ) {
    const prefix = settings.prefix;
    this.requests = limiter(redis, prefix, 'req', settings.requestsPerMinute, 60);
    this.cost = limiter(redis, prefix, 'cost', settings.costPerMinute, 60);
    this.loginEmail = limiter(redis, prefix, 'login-email', settings.loginsPerEmail, 15 * 60);
    this.loginIp = limiter(redis, prefix, 'login-ip', settings.loginsPerIp, 15 * 60);
    const leakReports = settings.leakReportsPerIp ?? DEFAULT_RATE_LIMITS.leakReportsPerIp ?? 60;
    this.leakReports = limiter(redis, prefix, 'leak-report', leakReports, 60 * 60);
  }

  /** Counts one request and its cost for a caller; RATE_LIMITED (with retryAfter) past either budget. */
  async spend(caller: string, cost: number): Promise<Budget> {
    await this.requests.consume(caller, 1).catch(refused);
    const res = await this.cost.consume(caller, Math.max(cost, 0)).catch(refused);
    return { remaining: res.remainingPoints, resetAt: new Date(Date.now() + res.msBeforeNext) };
  }

  /** Counts a login attempt against the email and the client IP (brute force protection). */
  async loginAttempt(email: string, ip: string): Promise<void> {
    await this.loginIp.consume(ip, 1).catch(refused);
    await this.loginEmail.consume(email.trim().toLowerCase(), 1).catch(refused);
  }

  /** R31: counts a leak report against the client IP (an open mutation must not be a free hammer). */
  async leakReport(ip: string): Promise<void> {
    await this.leakReports.consume(ip, 1).catch(refused);
  }

  /** A successful login clears the email's failed attempts. */
  async loginSucceeded(email: string): Promise<void> {
    await this.loginEmail.delete(email.trim().toLowerCase());
  }
}
