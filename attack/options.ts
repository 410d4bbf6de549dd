import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** How a run is set up (`npm run attack [-- --short] [--database=<url>]`). */
export interface AttackOptions {
  /** The CI version: fewer requests, shorter holds (about 40 s in all). */
  short: boolean;
  /** `sqlite:<file>` (a fresh temporary file by default) or a MySQL/MariaDB URL. */
  databaseUrl: string;
  /** The server is killed (and counted as crashed) when its RSS passes this, to spare the machine. */
  rssCeilingMb: number;
  /** A request without an answer after this long counts as unanswered. */
  requestTimeoutMs: number;
  /** Only these families (`--only=floods,bulk-link`), or all. */
  only: string[] | null;
}

function flag(value: string | undefined): boolean {
  return value !== undefined && /^(1|on|true|yes)$/i.test(value);
}

/**
 * Reads the options from the command line and the environment. A MySQL/MariaDB database is
 * dropped and re-created by the run, so its name must say "attack" (`…/nokkel_attack`): a
 * DATABASE_URL left pointing at real data is refused rather than wiped.
 */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv): AttackOptions {
  const arg = (name: string): string | undefined =>
    argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3) ?? undefined;
  const short = argv.includes('--short') || flag(env.ATTACK_SHORT);
  let databaseUrl = arg('database') ?? env.ATTACK_DATABASE_URL ?? env.DATABASE_URL ?? '';
  if (databaseUrl === '' || databaseUrl.startsWith('sqlite')) {
    if (databaseUrl === '' || databaseUrl === 'sqlite' || databaseUrl === 'sqlite:')
      databaseUrl = `sqlite:${join(tmpdir(), `nokkel-attack-${process.pid}.sqlite`)}`;
  } else if (/^(mysql|mariadb):/.test(databaseUrl)) {
    const url = new URL(databaseUrl);
    if (url.pathname === '' || url.pathname === '/') url.pathname = '/nokkel_attack';
    if (!/attack/i.test(url.pathname))
      throw new Error(
        `the attack run drops and re-creates its database: give one whose name says "attack" (got "${url.pathname.slice(1)}")`,
      );
    databaseUrl = url.toString();
  } else {
    throw new Error(`DATABASE_URL must be sqlite:<file> or mysql://… (got "${databaseUrl.split(':')[0]}:…")`);
  }
  const ceiling = Number(arg('rss-ceiling-mb') ?? env.ATTACK_RSS_CEILING_MB ?? 1024);
  if (!Number.isFinite(ceiling) || ceiling < 128) throw new Error('the RSS ceiling must be at least 128 MB');
  const only = arg('only') ?? env.ATTACK_ONLY;
  return {
    short,
    databaseUrl,
    rssCeilingMb: ceiling,
    requestTimeoutMs: short ? 8_000 : 10_000,
    only: only ? only.split(',').map((name) => name.trim()) : null,
  };
}

/** How many of something: the full run's count, or the short run's. */
export function sized(options: AttackOptions, full: number, short: number): number {
  return options.short ? short : full;
}
