import { Victim } from './victim';
import type { Session } from './world';

/** What the harness asks of the victim's own process. */
export type VictimRequest =
  | { id: number; op: 'init'; session: Session; timeoutMs: number }
  | { id: number; op: 'quiet'; baseUrl: string; count: number }
  | { id: number; op: 'start'; baseUrl: string }
  | { id: number; op: 'stop' }
  | { id: number; op: 'exit' };

/** Its answer: the latencies asked for (if any), and its counts so far. */
export interface VictimReply {
  id: number;
  samples: number[];
  tally: { sent: number; answeredCount: number; unanswered: number; statuses: [string, number][] };
  error?: string;
}

/**
 * The victim tenant's client in a process of its own (`npm run attack` forks it): its requests
 * are timed on its own event loop, so the attackers' client work in the harness's process (1 MB
 * bodies built, thousands of answers parsed) is not counted as the server's latency.
 */
let victim: Victim | null = null;
let asking: { stop(): Promise<number[]> } | null = null;

async function handle(request: VictimRequest): Promise<number[]> {
  switch (request.op) {
    case 'init':
      victim = new Victim(request.session, request.timeoutMs);
      return [];
    case 'quiet':
      return victim!.quiet(request.baseUrl, request.count);
    case 'start':
      asking = victim!.start(request.baseUrl);
      return [];
    case 'stop': {
      const samples = (await asking?.stop()) ?? [];
      asking = null;
      return samples;
    }
    case 'exit':
      setImmediate(() => process.exit(0));
      return [];
  }
}

process.on('message', (request: VictimRequest) => {
  void handle(request).then(
    (samples) => reply(request.id, samples),
    (error: unknown) => reply(request.id, [], error instanceof Error ? error.message : String(error)),
  );
});

function reply(id: number, samples: number[], error?: string): void {
  const t = victim?.tally;
  const message: VictimReply = {
    id,
    samples,
    tally: {
      sent: t?.sent ?? 0,
      answeredCount: t?.answeredCount ?? 0,
      unanswered: t?.unanswered ?? 0,
      statuses: t ? [...t.statuses.entries()] : [],
    },
    ...(error ? { error } : {}),
  };
  process.send?.(message);
}
