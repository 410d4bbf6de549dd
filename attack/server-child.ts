import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** The server as `npm start` runs it: compiled, with the same heap cap. */
const MAIN = join(__dirname, '../server/src/main.js');
const NODE_FLAGS = ['--max-old-space-size=512'];
/** Measures the server's event-loop delay, read per family (`loopDelay`). */
const LOOP_DELAY_PROBE = ['--require', join(__dirname, 'loop-delay-probe.js')];

/** How long the server's event loop was held since the last reading, in ms. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

/**
 * Node flags for profiling the server (`ATTACK_SERVER_CPU_PROF=<dir>`: a V8 CPU profile per server
 * process, written when it stops), so what the victim waits for on the server's event loop can be
 * read per family (`--only=<family>`).
 */
export function profilingFlags(env: NodeJS.ProcessEnv): string[] {
  const dir = env.ATTACK_SERVER_CPU_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

/** How the server process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The RSS of a process in MB: /proc/<pid>/status (VmRSS), or `ps` where there is no /proc. */
export async function rssOf(pid: number): Promise<number | null> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8');
    const kb = /VmRSS:\s+(\d+)\s+kB/.exec(status);
    return kb ? Number(kb[1]) / 1024 : null;
  } catch {
    return new Promise((resolve) =>
      execFile('ps', ['-o', 'rss=', '-p', String(pid)], (error, stdout) => {
        const kb = Number(stdout.trim());
        resolve(error || !Number.isFinite(kb) || kb === 0 ? null : kb / 1024);
      }),
    );
  }
}

/**
 * One server child process on a free port. Its output is not printed: error-level log lines are
 * counted (finding 14: client faults must not be logged as server errors), and the last lines are
 * kept to say why it died.
 */
export class ServerChild {
  readonly exited: Promise<Exit>;
  exit: Exit | null = null;
  url = '';
  errorLines = 0;
  stackLines = 0;
  private tail: string[] = [];
  private loopDelayWaiter: ((delay: LoopDelay) => void) | null = null;
  /** Set when the harness killed it (memory ceiling, or it stopped answering). */
  killedBecause: string | null = null;

  private constructor(private readonly child: ChildProcess) {
    this.exited = new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        resolve(this.exit);
      }),
    );
    const watch = (chunk: Buffer): void => {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const delay = /^attack-loop-delay (\{.*\})$/.exec(line.trim());
        if (delay) {
          this.loopDelayWaiter?.(JSON.parse(delay[1]) as LoopDelay);
          continue;
        }
        if (/"level":(50|60)/.test(line)) this.errorLines++;
        if (/"stack"|\n\s+at /.test(line)) this.stackLines++;
        this.tail.push(line.length > 300 ? `${line.slice(0, 300)}…` : line);
        if (this.tail.length > 40) this.tail.shift();
      }
    };
    child.stdout?.on('data', watch);
    child.stderr?.on('data', watch);
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Starts the server and waits until it says where it listens (or fails). */
  static async start(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerChild> {
    const inherited = { ...process.env };
    for (const name of ['REDIS_URL', 'PORT', 'HOST', 'DATABASE_URL', 'NODE_OPTIONS']) delete inherited[name];
    const child = spawn(process.execPath, [...NODE_FLAGS, ...LOOP_DELAY_PROBE, ...profilingFlags(process.env), MAIN], {
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerChild(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the server did not start in time:\n${out}`)), timeoutMs);
      const onData = (chunk: Buffer): void => {
        out += chunk.toString('utf8');
        const match = /running at (http:\/\/[^/\s]+)\/graphql/.exec(out);
        if (match) {
          clearTimeout(timer);
          server.url = match[1];
          child.stdout?.off('data', onData);
          resolve();
        }
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
      void server.exited.then((exit) => {
        clearTimeout(timer);
        reject(new Error(`the server exited while starting (${describeExit(exit)}):\n${out}`));
      });
    });
    return server;
  }

  /** The last line that says why the process died (an uncaught error, the heap), if any. */
  crashLine(): string {
    const reason = [...this.tail]
      .reverse()
      .find((l) => /Error|heap|FATAL|uncaught|unhandled|Aborted|Killed/i.test(l) && !/^\s+at /.test(l));
    return reason?.trim() ?? '';
  }

  /** The server's event-loop delay since the last reading (null if it does not answer within 2 s). */
  async loopDelay(): Promise<LoopDelay | null> {
    if (!this.alive) return null;
    const reading = new Promise<LoopDelay | null>((resolve) => {
      const timer = setTimeout(() => resolve(null), 2_000);
      this.loopDelayWaiter = (delay) => {
        clearTimeout(timer);
        resolve(delay);
      };
    });
    this.child.kill('SIGUSR2');
    const delay = await reading;
    this.loopDelayWaiter = null;
    return delay;
  }

  kill(reason: string): void {
    if (!this.alive) return;
    this.killedBecause ??= reason;
    this.child.kill('SIGKILL');
  }

  /** Stops it as an operator would (SIGTERM), and for good after a few seconds. */
  async stop(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    // a profiled server needs its moment to write the profile
    const timer = setTimeout(() => this.child.kill('SIGKILL'), profilingFlags(process.env).length ? 30_000 : 5_000);
    await this.exited;
    clearTimeout(timer);
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`;
}
