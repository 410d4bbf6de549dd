import autocannon from 'autocannon';
import type { DriveJob, FromDriver, StreamResult, StreamSpec, ToDriver } from './protocol';
import { Samples, summarise } from '../stats';

/**
 * The load driver: a child process that runs autocannon (as a library) for the bench and load
 * scripts, so the load generator does not share the event loop of the server it measures.
 * Latencies are taken from autocannon's per-response event (fractional milliseconds; its own
 * histogram rounds to whole milliseconds); response bodies are checked for GraphQL errors.
 */

interface GraphQLBody {
  errors?: { message?: string; extensions?: { code?: string } }[];
}

function send(message: FromDriver): void {
  process.send?.(message);
}

function runStream(url: string, seconds: number, spec: StreamSpec): Promise<StreamResult> {
  const latencies = new Samples();
  const statuses: Record<string, number> = {};
  const errorCodes: Record<string, number> = {};
  const expected = new Set(spec.expectedErrorCodes);
  let ok = 0;
  let expectedErrors = 0;
  let unexpectedErrors = 0;
  let firstUnexpected: string | null = null;
  let turn = 0;
  const variants = spec.variants;

  const classify = (status: number, body: string): void => {
    statuses[status] = (statuses[status] ?? 0) + 1;
    const codes = new Set<string>();
    let message = '';
    if (body.includes('"errors"')) {
      try {
        const parsed = JSON.parse(body) as GraphQLBody;
        for (const error of parsed.errors ?? []) {
          codes.add(error.extensions?.code ?? 'NO_CODE');
          message ||= error.message ?? '';
        }
      } catch {
        codes.add('UNPARSEABLE_BODY');
      }
    }
    if ((status < 200 || status >= 300) && codes.size === 0) codes.add(`HTTP_${status}`);
    for (const code of codes) errorCodes[code] = (errorCodes[code] ?? 0) + 1;
    if (codes.size === 0) ok++;
    else if ([...codes].every((c) => expected.has(c))) expectedErrors++;
    else {
      unexpectedErrors++;
      firstUnexpected ??= `HTTP ${status} ${[...codes].join(',')}: ${message}`.slice(0, 300);
    }
  };

  const request: autocannon.Request = {
    method: 'POST',
    setupRequest: (req) => {
      const v =
        spec.pick === 'random'
          ? variants[Math.floor(Math.random() * variants.length)]
          : variants[turn++ % variants.length];
      return { ...req, method: 'POST', path: v.path, headers: { ...v.headers }, body: v.body };
    },
    onResponse: (status, body) => classify(status, body),
  };

  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url, connections: spec.connections, duration: seconds, requests: [request], timeout: 30 },
      (error: unknown, result: autocannon.Result) => {
        if (error) return reject(error instanceof Error ? error : new Error(String(error)));
        resolve({
          name: spec.name,
          seconds: result.duration,
          responses: latencies.length,
          ok,
          latency: summarise(latencies.values()),
          statuses,
          errorCodes,
          expectedErrors,
          unexpectedErrors,
          transportErrors: result.errors,
          timeouts: result.timeouts,
          firstUnexpected,
        });
      },
    );
    instance.on('response', (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
  });
}

async function run(job: DriveJob): Promise<StreamResult[]> {
  return Promise.all(job.streams.map((spec) => runStream(job.url, job.seconds, spec)));
}

process.on('message', (message: ToDriver) => {
  if (message.type === 'exit') {
    process.disconnect?.();
    return;
  }
  run(message.job).then(
    (results) => send({ type: 'result', id: message.id, results }),
    (error: unknown) =>
      send({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error) }),
  );
});

send({ type: 'ready' });
