import { parseDatabaseUrl, type DatabaseConfig } from './db/database';

export type Environment = 'development' | 'production' | 'test';

export interface Config {
  env: Environment;
  port: number;
  host: string;
  database: DatabaseConfig;
  seedDemo: boolean;
  explorer: boolean;
  introspection: boolean;
  sessionTtlHours: number;
  /** Adds `x-sql-statements` to responses (tests and benchmarks). */
  exposeStatementCount: boolean;
  logLevel: string;
  /** Stack traces in error responses (never in production). */
  debugErrors: boolean;
}

function flag(value: string | undefined, fallback: boolean, name: string): boolean {
  if (value === undefined || value === '') return fallback;
  if (/^(1|on|true|yes)$/i.test(value)) return true;
  if (/^(0|off|false|no)$/i.test(value)) return false;
  throw new Error(`${name} must be on or off (got "${value}")`);
}

function int(value: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new Error(`${name} must be an integer ${min}–${max} (got "${value}")`);
  return n;
}

/** Reads the configuration from the environment (README: Configuration); fails fast on bad values. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const mode = (env.NODE_ENV ?? 'development') as Environment;
  const production = mode === 'production';
  return {
    env: mode,
    port: int(env.PORT, 4000, 'PORT', 0, 65535),
    host: env.HOST || '127.0.0.1',
    database: parseDatabaseUrl(env.DATABASE_URL, int(env.DATABASE_POOL_SIZE, 10, 'DATABASE_POOL_SIZE', 1, 200)),
    seedDemo: flag(env.SEED_DEMO, true, 'SEED_DEMO'),
    explorer: flag(env.EXPLORER, !production, 'EXPLORER'),
    introspection: flag(env.INTROSPECTION, !production, 'INTROSPECTION'),
    sessionTtlHours: int(env.SESSION_TTL_HOURS, 12, 'SESSION_TTL_HOURS', 1, 24 * 30),
    exposeStatementCount: flag(env.EXPOSE_SQL_COUNT, false, 'EXPOSE_SQL_COUNT'),
    logLevel: env.LOG_LEVEL || (mode === 'test' ? 'warn' : 'info'),
    debugErrors: !production && flag(env.DEBUG_ERRORS, false, 'DEBUG_ERRORS'),
  };
}
