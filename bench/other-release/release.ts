import { execFileSync } from 'node:child_process';
import { basename, join, resolve } from 'node:path';
import type { DatabaseConfig } from '../../server/src/db/database';
import { BenchChild } from '../child-process';
import type { ProcessUsage } from '../measurements';
import type { FromChild, OtherCredentials, ToChild } from './protocol';

/** The database the n-th other release builds its data set in: the bench's own, with a suffix. */
export function otherDatabaseUrl(database: DatabaseConfig, n: number): string {
  if (database.dialect === 'sqlite')
    return `sqlite:${database.path === ':memory:' ? ':memory:' : `${database.path}.other${n}`}`;
  const url = new URL(database.url);
  url.pathname = `${url.pathname.replace(/^\//, '')}_other${n}`;
  return url.toString();
}

/** The short commit of a checkout (with `+` when its tracked files were changed), or its folder's name when git cannot tell. */
function describe(dir: string): string {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? '+' : ''}`;
  } catch {
    return basename(dir);
  }
}

/**
 * Another release of Nøkkel, served by its own bench modules in a child process (child.ts), so
 * the bench can put it in the same turns as this release (BENCH_OTHER_RELEASE=<a built checkout>).
 */
export class OtherRelease {
  private constructor(
    private readonly child: BenchChild<ToChild, FromChild>,
    readonly label: string,
    readonly url: string,
    readonly partner: OtherCredentials,
    readonly session: OtherCredentials,
    readonly seconds: number,
  ) {}

  /** Starts the n-th other release (from 1): its label and database carry n when it is not the first. */
  static async start(dir: string, database: DatabaseConfig, n: number): Promise<OtherRelease> {
    // a relative folder is taken from this checkout's root (npm runs the bench in its workspace)
    const checkout = resolve(__dirname, '..', '..', '..', dir);
    const child = new BenchChild<ToChild, FromChild>(
      join(__dirname, 'child.js'),
      { BENCH_OTHER_RELEASE: checkout },
      'the other release',
    );
    const ready = await child.request({ type: 'start', databaseUrl: otherDatabaseUrl(database, n) }, 'ready');
    return new OtherRelease(
      child,
      `release ${describe(checkout)}${n > 1 ? ` (#${n})` : ''}`,
      ready.url,
      ready.partner,
      ready.session,
      ready.seconds,
    );
  }

  /** The child's CPU time so far and its peak RSS since it started (its server, and nothing else, runs there). */
  async usage(): Promise<ProcessUsage> {
    const { usage, maxRssMb } = await this.child.request({ type: 'cpu' }, 'cpu');
    return { cpu: usage, maxRssMb };
  }

  /** Closes its server, drops its database, ends the child (killed if it does not end in 10 s). */
  async stop(): Promise<void> {
    await this.child.stop({ type: 'stop' });
  }
}
