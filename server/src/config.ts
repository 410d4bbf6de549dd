import { parseDatabaseUrl, type DatabaseConfig } from './db/database';
import { DEFAULT_ADDRESS_BUDGET } from './http/address-budget';
import { parseTrustProxy } from './http/client-address';
import type { EdgeSettings, Executor, HttpSettings } from './http/settings';
import type { ServiceSettings } from './modules/services';
import { DEFAULT_QUERY_LIMITS, type QueryLimits } from './http/cost/query-limits';
import { loadObservabilitySettings } from './http/observability-settings';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './http/rate-limits';
import { loadEventSettings } from './modules/events/event-settings';
import { flag, int } from './shared/settings';

export type Environment = ServiceSettings['env'];

export type { EdgeSettings, Executor };

export interface Config extends HttpSettings, ServiceSettings {
  port: number;
  host: string;
  database: DatabaseConfig;
  seedDemo: boolean;
  introspection: boolean;
  /** Adds `x-sql-statements` to responses (tests and benchmarks). */
  exposeStatementCount: boolean;
  logLevel: string;
  /** Stack traces in error responses (never in production). */
  debugErrors: boolean;
  queryLimits: QueryLimits;
  rateLimits: RateLimitSettings;
  /** Shared rate-limit store for several instances; memory when unset. */
  redisUrl: string | null;
}

/**
 * The mode from NODE_ENV: exactly `development` (or unset) and `test` are what they say; any other
 * value — `production`, `prod`, `staging`, a typo — is production, so a misspelt setting never
 * turns the explorer, introspection or debug output on in a deployment.
 */
export function environmentOf(nodeEnv: string | undefined): Environment {
  if (nodeEnv === undefined || nodeEnv === '' || nodeEnv === 'development') return 'development';
  return nodeEnv === 'test' ? 'test' : 'production';
}

/** `ALLOWED_HOSTS`: a comma-separated list of host names (with or without port), compared lower-case. */
function hostList(value: string | undefined): string[] | null {
  const hosts = (value ?? '')
    .split(',')
    .map((host) => host.trim().toLowerCase())
    .filter(Boolean);
  for (const host of hosts)
    if (!/^[a-z0-9.\-_:[\]]+$/.test(host)) throw new Error(`ALLOWED_HOSTS must list host names (got "${host}")`);
  return hosts.length ? hosts : null;
}

function loadEdgeSettings(env: NodeJS.ProcessEnv): EdgeSettings {
  return {
    maxConnectionsPerAddress: int(env.MAX_CONNECTIONS_PER_ADDRESS, 64, 'MAX_CONNECTIONS_PER_ADDRESS', 1, 1_000_000),
    writeTimeoutMs: int(env.WRITE_TIMEOUT_MS, 20_000, 'WRITE_TIMEOUT_MS', 100, 600_000),
    addressBudget: {
      requestsPerMinute: int(
        env.ADDRESS_REQUESTS_PER_MINUTE,
        DEFAULT_ADDRESS_BUDGET.requestsPerMinute,
        'ADDRESS_REQUESTS_PER_MINUTE',
        1,
        100_000_000,
      ),
      authFailuresPer15Minutes: int(
        env.ADDRESS_AUTH_FAILURES_PER_15_MIN,
        DEFAULT_ADDRESS_BUDGET.authFailuresPer15Minutes,
        'ADDRESS_AUTH_FAILURES_PER_15_MIN',
        1,
        10_000_000,
      ),
      badRequestsPerMinute: int(
        env.ADDRESS_BAD_REQUESTS_PER_MINUTE,
        DEFAULT_ADDRESS_BUDGET.badRequestsPerMinute,
        'ADDRESS_BAD_REQUESTS_PER_MINUTE',
        1,
        100_000_000,
      ),
    },
    allowedHosts: hostList(env.ALLOWED_HOSTS),
    persistedQueries: flag(env.PERSISTED_QUERIES, false, 'PERSISTED_QUERIES'),
    refusalHoldMs: int(env.REFUSAL_HOLD_MS, 1_000, 'REFUSAL_HOLD_MS', 0, 10_000),
  };
}

function executorSetting(value: string | undefined): Executor {
  if (value === undefined || value === '' || value === 'jit') return 'jit';
  if (value === 'graphql-js') return 'graphql-js';
  throw new Error(`GRAPHQL_EXECUTOR must be jit or graphql-js (got "${value}")`);
}

function loadQueryLimits(env: NodeJS.ProcessEnv): QueryLimits {
  return {
    maxDepth: int(env.MAX_QUERY_DEPTH, DEFAULT_QUERY_LIMITS.maxDepth, 'MAX_QUERY_DEPTH', 1, 100),
    maxAliases: int(env.MAX_QUERY_ALIASES, DEFAULT_QUERY_LIMITS.maxAliases, 'MAX_QUERY_ALIASES', 0, 1000),
    maxDirectives: int(env.MAX_QUERY_DIRECTIVES, DEFAULT_QUERY_LIMITS.maxDirectives, 'MAX_QUERY_DIRECTIVES', 0, 1000),
    maxTokens: int(env.MAX_QUERY_TOKENS, DEFAULT_QUERY_LIMITS.maxTokens, 'MAX_QUERY_TOKENS', 50, 100_000),
    maxCost: int(env.MAX_QUERY_COST, DEFAULT_QUERY_LIMITS.maxCost, 'MAX_QUERY_COST', 1, 10_000_000),
    concurrentCost: int(
      env.MAX_CONCURRENT_COST,
      DEFAULT_QUERY_LIMITS.concurrentCost,
      'MAX_CONCURRENT_COST',
      1,
      100_000_000,
    ),
    maxResolvedObjects: int(
      env.MAX_RESOLVED_OBJECTS,
      DEFAULT_QUERY_LIMITS.maxResolvedObjects,
      'MAX_RESOLVED_OBJECTS',
      1,
      100_000_000,
    ),
  };
}

function loadRateLimits(env: NodeJS.ProcessEnv): RateLimitSettings {
  return {
    requestsPerMinute: int(
      env.RATE_LIMIT_REQUESTS_PER_MINUTE,
      DEFAULT_RATE_LIMITS.requestsPerMinute,
      'RATE_LIMIT_REQUESTS_PER_MINUTE',
      1,
      10_000_000,
    ),
    costPerMinute: int(
      env.RATE_LIMIT_COST_PER_MINUTE,
      DEFAULT_RATE_LIMITS.costPerMinute,
      'RATE_LIMIT_COST_PER_MINUTE',
      1,
      1_000_000_000,
    ),
    loginsPerEmail: int(
      env.RATE_LIMIT_LOGINS_PER_EMAIL,
      DEFAULT_RATE_LIMITS.loginsPerEmail,
      'RATE_LIMIT_LOGINS_PER_EMAIL',
      1,
      100_000,
    ),
    loginsPerAccount: int(
      env.RATE_LIMIT_LOGINS_PER_ACCOUNT,
      DEFAULT_RATE_LIMITS.loginsPerAccount,
      'RATE_LIMIT_LOGINS_PER_ACCOUNT',
      1,
      1_000_000,
    ),
    loginsPerIp: int(
      env.RATE_LIMIT_LOGINS_PER_IP,
      DEFAULT_RATE_LIMITS.loginsPerIp,
      'RATE_LIMIT_LOGINS_PER_IP',
      1,
      1_000_000,
    ),
    leakReportsPerIp: int(
      env.RATE_LIMIT_LEAK_REPORTS_PER_IP,
      DEFAULT_RATE_LIMITS.leakReportsPerIp ?? 60,
      'RATE_LIMIT_LEAK_REPORTS_PER_IP',
      1,
      1_000_000,
    ),
    prefix: env.RATE_LIMIT_PREFIX || DEFAULT_RATE_LIMITS.prefix,
  };
}

/** Reads the configuration from the environment (README: Configuration); fails fast on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = environmentOf(env.NODE_ENV);
  const production = mode === 'production';
  return {
    env: mode,
    port: int(env.PORT, 4000, 'PORT', 0, 65535),
    host: env.HOST || '127.0.0.1',
    database: parseDatabaseUrl(
      env.DATABASE_URL,
      int(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE', 1, 200),
      env.DATABASE_REPLICA_URLS,
    ),
    // demo accounts with a known password: by default only in development (createServer warns elsewhere)
    seedDemo: flag(env.SEED_DEMO, mode === 'development', 'SEED_DEMO'),
    explorer: flag(env.EXPLORER, !production, 'EXPLORER'),
    introspection: flag(env.INTROSPECTION, !production, 'INTROSPECTION'),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 12, 'SESSION_TTL_HOURS', 1, 24 * 30),
    exposeStatementCount: flag(env.EXPOSE_SQL_COUNT, false, 'EXPOSE_SQL_COUNT'),
    logLevel: env.LOG_LEVEL || (mode === 'test' ? 'warn' : 'info'),
    debugErrors: !production && flag(env.DEBUG_ERRORS, false, 'DEBUG_ERRORS'),
    queryLimits: loadQueryLimits(env),
    rateLimits: loadRateLimits(env),
    redisUrl: env.REDIS_URL || null,
    bodyLimitBytes: int(env.BODY_LIMIT_BYTES, 1024 * 1024, 'BODY_LIMIT_BYTES', 1024, 100 * 1024 * 1024),
    anonymousBodyLimitBytes: int(
      env.ANONYMOUS_BODY_LIMIT_BYTES,
      64 * 1024,
      'ANONYMOUS_BODY_LIMIT_BYTES',
      1024,
      100 * 1024 * 1024,
    ),
    executor: executorSetting(env.GRAPHQL_EXECUTOR),
    preparedPipeline: flag(env.PREPARED_PIPELINE, true, 'PREPARED_PIPELINE'),
    trustProxy: parseTrustProxy(env.TRUST_PROXY),
    events: loadEventSettings(env),
    edge: loadEdgeSettings(env),
    webUi: flag(env.WEB_UI, true, 'WEB_UI'),
    shutdownDrainMs: int(env.SHUTDOWN_DRAIN_MS, 0, 'SHUTDOWN_DRAIN_MS', 0, 120_000),
    observability: loadObservabilitySettings(env),
  };
}
