import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { victimOrigin } from './addresses';
import { graphql } from './http';
import { sleep, Tally } from './tally';
import type { VictimReply, VictimRequest } from './victim-child';
import type { Session } from './world';

/** The victim's cheap request: five of its own clients, as an overview screen would ask. */
const CHEAP = '{ clients(first: 5) { edges { node { apiAccess company { id name } } } } }';
/** One request at a time, this often: well inside the per-credential budget over a whole run. */
const PERIOD_MS = 80;

/**
 * Another tenant (the rival office) using the service normally while the attacks run: one cheap
 * request at a time. Only successful answers give latency samples; everything is counted.
 */
export class Victim {
  readonly tally = new Tally();

  constructor(
    private readonly session: Session,
    private readonly timeoutMs: number,
  ) {}

  private async once(baseUrl: string, signal?: AbortSignal): Promise<number | null> {
    const answer = await graphql(
      baseUrl,
      this.tally,
      { query: CHEAP, token: this.session.token, origin: victimOrigin() },
      this.timeoutMs,
      signal,
    );
    return answer && answer.status === 200 && !answer.json?.errors?.length ? answer.ms : null;
  }

  /** The quiet baseline: `count` requests with nothing else running (after a short warm-up). */
  async quiet(baseUrl: string, count: number): Promise<number[]> {
    const warmUp = new Tally();
    for (let i = 0; i < 10; i++)
      await graphql(
        baseUrl,
        warmUp,
        { query: CHEAP, token: this.session.token, origin: victimOrigin() },
        this.timeoutMs,
      );
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const started = Date.now();
      const ms = await this.once(baseUrl);
      if (ms !== null) samples.push(ms);
      await sleep(Math.max(0, PERIOD_MS - (Date.now() - started)));
    }
    return samples;
  }

  /** Keeps asking until stop() is called; stop() resolves with the latencies seen. */
  start(baseUrl: string): { stop(): Promise<number[]> } {
    const samples: number[] = [];
    const stopping = new AbortController();
    const loop = (async () => {
      while (!stopping.signal.aborted) {
        const started = Date.now();
        // a request in flight when the step ends may finish: it was sent under attack
        const ms = await this.once(baseUrl);
        if (ms !== null) samples.push(ms);
        await sleep(Math.max(0, PERIOD_MS - (Date.now() - started)), stopping.signal);
      }
    })();
    return {
      async stop() {
        stopping.abort();
        await loop;
        return samples;
      },
    };
  }
}

/**
 * The victim as the harness drives it: the same client (Victim) in a forked process of its own,
 * asked over IPC. Its tally mirrors the child's.
 */
export class RemoteVictim {
  readonly tally = new Tally();
  private next = 1;
  private readonly pending = new Map<number, (reply: VictimReply) => void>();

  private constructor(private readonly child: ChildProcess) {
    child.on('message', (reply: VictimReply) => {
      const t = reply.tally;
      Object.assign(this.tally, { sent: t.sent, answeredCount: t.answeredCount, unanswered: t.unanswered });
      this.tally.statuses.clear();
      for (const [key, n] of t.statuses) this.tally.statuses.set(key, n);
      this.pending.get(reply.id)?.(reply);
      this.pending.delete(reply.id);
    });
  }

  static async fork(session: Session, timeoutMs: number): Promise<RemoteVictim> {
    const child = fork(join(__dirname, 'victim-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const victim = new RemoteVictim(child);
    await victim.ask({ op: 'init', session, timeoutMs });
    return victim;
  }

  private ask(request: DistributiveOmit<VictimRequest, 'id'>): Promise<number[]> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (reply) =>
        reply.error ? reject(new Error(`victim: ${reply.error}`)) : resolve(reply.samples),
      );
      this.child.send({ ...request, id });
    });
  }

  quiet(baseUrl: string, count: number): Promise<number[]> {
    return this.ask({ op: 'quiet', baseUrl, count });
  }

  start(baseUrl: string): { stop(): Promise<number[]> } {
    const started = this.ask({ op: 'start', baseUrl });
    return { stop: () => started.then(() => this.ask({ op: 'stop' })) };
  }

  async close(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.send({ op: 'exit', id: 0 });
    await Promise.race([exited, sleep(2_000)]);
    this.child.kill();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
