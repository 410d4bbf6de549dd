import { victimOrigin } from './addresses';
import { graphql } from './http';
import { sleep, Tally } from './tally';
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
