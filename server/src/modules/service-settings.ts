import type { EventSettings } from './events/event-settings';

/** What of the configuration the services read (the whole `Config` of config.ts has these fields). */
export interface ServiceSettings {
  env: 'development' | 'production' | 'test';
  sessionTtlHours: number;
  /** The event engine and webhooks. */
  events: EventSettings;
}

/**
 * The attempt budgets resolvers spend before checking a password or taking a leak report (R31);
 * http/rate-limits.ts implements them, in memory or in Redis.
 */
export interface AttemptLimits {
  /** Spends a login attempt of `account` from `ip`; RATE_LIMITED when a budget is spent. */
  loginAttempt(account: string, ip: string): Promise<void>;
  /** Gives back what a successful login spent. */
  loginSucceeded(account: string, ip: string): Promise<void>;
  /** Spends a leak report of `ip`. */
  leakReport(ip: string): Promise<void>;
}
