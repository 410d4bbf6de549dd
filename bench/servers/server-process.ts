import { join } from 'node:path';
import type { DatabaseConfig } from '../../server/src/db/database';
import { BenchChild } from '../child-process';
import type { ProcessUsage } from '../measurements';
import type { FromServer, ServerKind, ToServer } from './protocol';

const WHAT: Record<ServerKind, string> = {
  jit: 'Nøkkel (graphql-jit)',
  'graphql-js': 'Nøkkel (graphql-js)',
  raw: 'the raw baseline',
};

/**
 * One of this release's servers in a child process of its own (child.ts), on the bench's
 * database: as production runs a server, one per process, so none pays for another's heap.
 */
export class ServerProcess {
  private constructor(
    private readonly child: BenchChild<ToServer, FromServer>,
    readonly kind: ServerKind,
    readonly url: string,
    /** Its RSS (MB) when it started, before any request. */
    readonly startRssMb: number,
  ) {}

  static async start(kind: ServerKind, database: DatabaseConfig): Promise<ServerProcess> {
    const child = new BenchChild<ToServer, FromServer>(join(__dirname, 'child.js'), {}, WHAT[kind]);
    try {
      const ready = await child.request({ type: 'start', kind, database }, 'ready');
      return new ServerProcess(child, kind, ready.url, ready.rssMb);
    } catch (error) {
      await child.stop({ type: 'stop' });
      throw error;
    }
  }

  /** Its CPU time so far, its peak RSS since it started and the largest V8 heap seen. */
  async usage(): Promise<ProcessUsage & { heapMb: number; rssMb: number }> {
    const { cpu, maxRssMb, heapMb, rssMb } = await this.child.request({ type: 'usage' }, 'usage');
    return { cpu, maxRssMb, heapMb, rssMb };
  }

  /** Turns the statement count (x-sql-statements) on or off; production runs without it. */
  async setStatementCounting(on: boolean): Promise<void> {
    await this.child.request({ type: 'counting', on }, 'done');
  }

  /** Numbers every access event for the feed now (what the server does in the background). */
  async relayEvents(): Promise<void> {
    await this.child.request({ type: 'relay' }, 'done');
  }

  /** Closes the server and ends its process; returns the warnings and errors it logged. */
  async stop(): Promise<string[]> {
    return (await this.child.stop({ type: 'stop' }))?.warnings ?? [];
  }
}
