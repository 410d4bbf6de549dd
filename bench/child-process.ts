import { fork, type ChildProcess } from 'node:child_process';

/** A message to or from a child of the bench: each has a type. */
interface Typed {
  type: string;
}

/**
 * A child process of the bench that serves something (a server of this release, or another
 * release) and answers the bench's messages. Each child runs as `npm start` runs a server:
 * production settings and 512 MB of old space, then any Node flags of BENCH_NODE_FLAGS (to try
 * one), and the CPU profile when the bench is profiled.
 */
export class BenchChild<ToChild extends Typed, FromChild extends Typed> {
  private readonly child: ChildProcess;

  constructor(
    file: string,
    env: Record<string, string>,
    /** What the child is, in error messages ("the raw server"). */
    private readonly what: string,
  ) {
    this.child = fork(file, [], {
      env: { ...process.env, NODE_ENV: 'production', ...env },
      execArgv: [
        '--max-old-space-size=512',
        ...(process.env.BENCH_NODE_FLAGS ?? '').split(' ').filter(Boolean),
        ...process.execArgv.filter((a) => a.startsWith('--cpu-prof')),
      ],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
  }

  /** Sends a message and waits for the reply of the given type; a `failed` reply or an exit rejects. */
  request<T extends FromChild['type']>(message: ToChild, type: T): Promise<Extract<FromChild, { type: T }>> {
    const child = this.child;
    return new Promise((done, fail) => {
      const onMessage = (m: FromChild & { message?: string }) => {
        if (m.type === type) finish(() => done(m as Extract<FromChild, { type: T }>));
        else if (m.type === 'failed') finish(() => fail(new Error(`${this.what} failed: ${m.message}`)));
      };
      const onExit = (code: number | null) =>
        finish(() => fail(new Error(`${this.what}'s process ended (code ${code}) before it answered`)));
      const finish = (then: () => void) => {
        child.off('message', onMessage);
        child.off('exit', onExit);
        then();
      };
      child.on('message', onMessage);
      child.once('exit', onExit);
      child.send(message);
    });
  }

  /**
   * Asks the child to stop (`stop`, answered by `stopped`), waits for it to end, and kills it when
   * it does not within 10 s. Returns the `stopped` reply, or null when there was none.
   */
  async stop(message: ToChild): Promise<Extract<FromChild, { type: 'stopped' }> | null> {
    const ended = new Promise<void>((done) => {
      if (this.child.exitCode !== null || this.child.signalCode !== null) done();
      else this.child.once('exit', () => done());
    });
    const killer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    let stopped: Extract<FromChild, { type: 'stopped' }> | null = null;
    try {
      if (this.child.connected) stopped = await this.request(message, 'stopped');
    } catch {
      this.child.kill('SIGKILL');
    }
    await ended;
    clearTimeout(killer);
    return stopped;
  }
}

/** In a child: sends a message to the bench (nothing when the bench is gone). */
export function sendToBench(message: Typed): void {
  process.send?.(message);
}

/** In a child: its CPU time so far and its peak RSS (MB) since it started. */
export function ownUsage(): { cpu: NodeJS.CpuUsage; maxRssMb: number } {
  return { cpu: process.cpuUsage(), maxRssMb: process.resourceUsage().maxRSS / 1024 };
}
