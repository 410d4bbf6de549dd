import { parseDatabaseUrl, type DatabaseConfig } from '../server/src/db/database';

function number(name: string, fallback: number, min = 0): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < min) throw new Error(`${name} must be a number ≥ ${min} (got "${raw}")`);
  return n;
}

function flag(name: string): boolean {
  return /^(1|on|true|yes)$/i.test(process.env[name] ?? '');
}

/** The database a run uses, from `variable` or the default URL. */
export function benchDatabase(variable: string, fallbackUrl: string): { url: string; config: DatabaseConfig } {
  const url = process.env[variable] || fallbackUrl;
  return { url, config: parseDatabaseUrl(url, number('DATABASE_POOL_SIZE', 10, 1)) };
}

export interface BenchSettings {
  /** Measured seconds per scenario (BENCH_SECONDS). */
  seconds: number;
  /** Warm-up seconds before each measured run (BENCH_WARMUP_SECONDS). */
  warmupSeconds: number;
  /**
   * Rounds a comparison is measured in (BENCH_ROUNDS): Nøkkel, graphql-js and raw take turns, each
   * running seconds ÷ rounds per turn, so a change in the machine's load meets all three alike.
   */
  rounds: number;
  /** Concurrent connections (BENCH_CONNECTIONS). */
  connections: number;
  /** bulkLinkClients calls measured, each with a fresh key (BENCH_BULK_CALLS). */
  bulkCalls: number;
  /** Clients per bulkLinkClients call (BENCH_BULK_CLIENTS). */
  bulkClients: number;
  /** Scenarios to run (BENCH_SCENARIOS, default all): partner, overview, deep, bulk. */
  scenarios: string[];
  /** Keep the benchmark database afterwards (BENCH_KEEP_DB=1). */
  keepDatabase: boolean;
  /**
   * Built checkouts of other releases (BENCH_OTHER_RELEASE=<folder>[,<folder>…]), each measured in
   * the same turns as this one in scenarios 1 and 2, with its own data set in a child process.
   */
  otherReleases: string[];
}

export function benchSettings(): BenchSettings {
  return {
    seconds: number('BENCH_SECONDS', 10, 1),
    warmupSeconds: number('BENCH_WARMUP_SECONDS', 3, 0),
    rounds: Math.floor(number('BENCH_ROUNDS', 4, 1)),
    connections: number('BENCH_CONNECTIONS', 16, 1),
    bulkCalls: number('BENCH_BULK_CALLS', 5, 1),
    bulkClients: number('BENCH_BULK_CLIENTS', 5000, 1),
    scenarios: (process.env.BENCH_SCENARIOS || 'partner,multi,overview,deep,bulk').split(',').map((s) => s.trim()),
    keepDatabase: flag('BENCH_KEEP_DB'),
    otherReleases: (process.env.BENCH_OTHER_RELEASE ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

export function loadSettings(): { seconds: number; connections: number; keepDatabase: boolean } {
  return {
    seconds: number('LOAD_SECONDS', 60, 1),
    connections: number('LOAD_CONNECTIONS', 50, 4),
    keepDatabase: flag('LOAD_KEEP_DB'),
  };
}
