import { createHash } from 'node:crypto';
import type Redis from 'ioredis';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { instrument } from '../shared/instrumentation';
import { SpentBudgets } from './rate-limits';
import { tooManyRequests } from './http-error';
import { remembered } from './remembered';

/**
 * What one client address may spend at the edge, before any body is read, any document parsed or
 * any credential looked up: so malformed requests, invalid queries and guessed secrets cost the
 * caller its budget like any other request (the per-credential budgets only start once a
 * credential is known).
 */
export interface AddressBudgetSettings {
  /** Requests per client address per minute, whatever they are. */
  requestsPerMinute: number;
  /** Requests with a credential that turned out unknown, expired or malformed, per address per 15 minutes. */
  authFailuresPer15Minutes: number;
  /**
   * Requests answered 400 (a body that is not JSON, a document that does not parse or validate,
   * variables of the wrong type) per address per minute; past it every request of the address is
   * refused until the minute is over.
   */
  badRequestsPerMinute: number;
}

export const DEFAULT_ADDRESS_BUDGET: AddressBudgetSettings = {
  requestsPerMinute: 3000,
  authFailuresPer15Minutes: 30,
  badRequestsPerMinute: 300,
};

/** The numbers for `RateLimit-*` headers. */
export interface AddressAllowance {
  limit: number;
  remaining: number;
  resetSeconds: number;
}

function store(redis: Redis | null, keyPrefix: string, points: number, duration: number): RateLimiterAbstract {
  if (!redis) return new RateLimiterMemory({ keyPrefix, points, duration });
  return new RateLimiterRedis({
    storeClient: redis,
    keyPrefix,
    points,
    duration,
    rejectIfRedisNotReady: true,
    insuranceLimiter: new RateLimiterMemory({ keyPrefix, points, duration }),
  });
}

/**
 * The store key of an address: an IPv6 address counts by its /64 (one subscriber usually holds a
 * whole /64 and can rotate through it at will); keys have a bounded size whatever the caller sent.
 * Worked out once per recent address, not once per request.
 */
export const budgetKey: (address: string) => string = remembered((address: string): string => {
  if (ipaddr.isValid(address)) {
    const parsed = ipaddr.process(address); // an IPv4-mapped IPv6 address is its IPv4 address
    if (parsed.kind() === 'ipv4') return parsed.toString();
    const parts = (parsed as ipaddr.IPv6).parts.slice(0, 4);
    return `${parts.map((part) => part.toString(16)).join(':')}::/64`;
  }
  return address.length <= 64 ? address : `h:${createHash('sha256').update(address).digest('base64url')}`;
});

/**
 * A request body is charged to its address's request budget by size: one request's point covers
 * this many bytes, each further part of it one point more. A body of 1 MB (a login with a
 * megabyte e-mail) costs 64 requests, so an address cannot make the server read and parse
 * megabytes at the rate of small requests; a bulk call of 5,000 ids (~170 KB) costs 11.
 */
export const BODY_BYTES_PER_POINT = 16 * 1024;

export class AddressBudget {
  private readonly requests: RateLimiterAbstract;
  private readonly authFailures: RateLimiterAbstract;
  private readonly badRequests: RateLimiterAbstract;
  /** Addresses past their bad-request budget, and until when: refused with one map lookup. */
  private readonly spentOnBadRequests = new SpentBudgets();

  constructor(
    readonly settings: AddressBudgetSettings,
    redis: Redis | null,
    prefix: string,
  ) {
    this.requests = store(redis, `${prefix}:addr-req`, settings.requestsPerMinute, 60);
    this.authFailures = store(redis, `${prefix}:addr-authfail`, settings.authFailuresPer15Minutes, 15 * 60);
    this.badRequests = store(redis, `${prefix}:addr-bad`, settings.badRequestsPerMinute, 60);
  }

  /**
   * Counts a request as it arrives. Throws a 429 RATE_LIMITED past the address's budget, and —
   * when the request carries a credential — once the address has used up its failed
   * authentications, so a guessed secret costs no lookup; and every request once the address has
   * used up its bad requests, so a stream of broken documents costs no parse or validation.
   */
  async arrive(address: string, carriesCredential: boolean): Promise<AddressAllowance> {
    const key = budgetKey(address);
    const badMs = this.spentOnBadRequests.remainingMs(key);
    if (badMs > 0) {
      instrument('nokkel:rate-limit.refused', { limiter: 'address_bad_requests' });
      throw tooManyRequests(
        this.settings.badRequestsPerMinute,
        badMs,
        'Too many malformed requests from this address.',
      );
    }
    let res: RateLimiterRes;
    try {
      res = await this.requests.consume(key, 1);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        instrument('nokkel:rate-limit.refused', { limiter: 'address_requests' });
        throw tooManyRequests(
          this.settings.requestsPerMinute,
          error.msBeforeNext,
          'Too many requests from this address.',
        );
      }
      throw error;
    }
    if (carriesCredential) {
      const failures = await this.authFailures.get(key);
      if (failures && failures.consumedPoints >= this.settings.authFailuresPer15Minutes) {
        instrument('nokkel:rate-limit.refused', { limiter: 'address_auth_failures' });
        throw tooManyRequests(
          this.settings.authFailuresPer15Minutes,
          failures.msBeforeNext,
          'Too many failed authentications from this address.',
        );
      }
    }
    return {
      limit: this.settings.requestsPerMinute,
      remaining: res.remainingPoints,
      resetSeconds: Math.max(1, Math.ceil(res.msBeforeNext / 1000)),
    };
  }

  /**
   * Charges a request body beyond its first BODY_BYTES_PER_POINT bytes to the address's request
   * budget (the request itself was counted on arrival). Throws a 429 RATE_LIMITED when the
   * address's budget cannot cover it: the body is not parsed.
   */
  async chargeBody(address: string, bytes: number): Promise<void> {
    const points = Math.floor(Math.max(0, bytes - 1) / BODY_BYTES_PER_POINT);
    if (points <= 0) return;
    try {
      await this.requests.consume(budgetKey(address), points);
    } catch (error) {
      if (error instanceof RateLimiterRes)
        throw tooManyRequests(
          this.settings.requestsPerMinute,
          error.msBeforeNext,
          'Too many requests from this address (large bodies count by size).',
        );
      throw error;
    }
  }

  /** Counts a credential that did not authenticate (unknown, forged, expired, malformed). */
  async authenticationFailed(address: string): Promise<void> {
    // past the budget the store refuses the point: the address is blocked either way, and a
    // counter that cannot count must not turn the request's 401 into a 500
    await this.authFailures.consume(budgetKey(address), 1).catch(() => undefined);
  }

  /**
   * Counts a request answered 400. Once the address has used up the minute's bad requests, its
   * next requests (whatever they are) are refused on arrival until the minute is over: on this
   * instance at once, on the others sharing Redis from their own next bad request of the address.
   */
  async badRequest(address: string): Promise<void> {
    const key = budgetKey(address);
    const counted = await this.badRequests.consume(key, 1).catch((error: unknown) =>
      // a counter that cannot count (Redis gone and no insurance) refuses nothing
      error instanceof RateLimiterRes ? error : null,
    );
    if (counted && counted.remainingPoints <= 0) this.spentOnBadRequests.note(key, counted.msBeforeNext);
  }
}
