import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import type { DriveJob, FromDriver, StreamResult } from './protocol';

/** The parent side of the load driver: runs jobs in a child process and returns their results. */
export class LoadDriver {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: StreamResult[]) => void; reject: (e: Error) => void }>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (message: FromDriver) => {
      if (message.type === 'ready') return;
      const waiter = this.pending.get(message.id);
      if (!waiter) return;
      this.pending.delete(message.id);
      if (message.type === 'result') waiter.resolve(message.results);
      else waiter.reject(new Error(`load driver: ${message.message}`));
    });
    child.on('exit', (code) => {
      for (const waiter of this.pending.values()) waiter.reject(new Error(`load driver exited (${code})`));
      this.pending.clear();
    });
  }

  /** Starts the driver process and waits until it is ready. */
  static start(): Promise<LoadDriver> {
    const child = fork(join(__dirname, 'autocannon-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('message', (message: FromDriver) => {
        if (message.type === 'ready') resolve(new LoadDriver(child));
      });
    });
  }

  run(job: DriveJob): Promise<StreamResult[]> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.child.send({ type: 'run', id, job });
    });
  }

  /** The driver's process id (its CPU use is not the server's). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.send({ type: 'exit' });
      setTimeout(() => this.child.kill(), 2000).unref();
    });
  }
}
