import { Agent, request, type IncomingHttpHeaders } from 'node:http';
import type { Origin } from './addresses';
import type { Tally } from './tally';

/** An answer the server gave: status, headers and the body as text (JSON parsed when it is). */
export interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  text: string;
  json: GraphQLBody | null;
  ms: number;
}

export interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: { code?: string; [key: string]: unknown } }[];
  extensions?: { cost?: { requested?: number; remaining?: number; resetAt?: string } };
}

/** Why no answer came. */
export type NoAnswer = 'timeout' | 'reset' | 'refused' | 'cancelled' | 'error';

export interface HttpCall {
  method?: 'GET' | 'POST';
  path?: string;
  headers?: Record<string, string>;
  body?: string;
  origin: Origin;
  timeoutMs: number;
  signal?: AbortSignal;
}

const agents = new Map<string, Agent>();

/** One keep-alive pool per origin, so each simulated client has its own connections. */
function agentFor(origin: Origin): Agent {
  const key = origin.localAddress ?? 'default';
  let agent = agents.get(key);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 64, localAddress: origin.localAddress });
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every pooled connection (between servers and at the end). */
export function closeAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}

function noAnswerOf(error: NodeJS.ErrnoException | undefined, timedOut: boolean, cancelled: boolean): NoAnswer {
  if (timedOut) return 'timeout';
  if (cancelled) return 'cancelled';
  if (error?.code === 'ECONNREFUSED') return 'refused';
  if (error?.code === 'ECONNRESET' || error?.code === 'EPIPE' || /socket hang up/.test(error?.message ?? ''))
    return 'reset';
  return 'error';
}

/**
 * One HTTP request with a hard deadline: it resolves with the answer or with why none came, never
 * hangs. A request sent on a pooled keep-alive connection that the server closed as idle at that
 * very moment is reset before the server read it; as Node's documentation advises (and as HTTP
 * clients do), it is sent once more on a fresh connection. Any other reset counts as unanswered.
 */
export async function httpCall(baseUrl: string, call: HttpCall): Promise<Answer | NoAnswer> {
  const started = performance.now();
  const first = await httpCallOnce(baseUrl, call);
  if (first !== STALE_CONNECTION) return first;
  const again = await httpCallOnce(baseUrl, call);
  if (again === STALE_CONNECTION) return 'reset';
  // the time of both attempts: the client waited for all of it
  if (typeof again !== 'string') again.ms = performance.now() - started;
  return again;
}

/** A reused keep-alive connection was reset before any answer came. */
const STALE_CONNECTION = Symbol('stale keep-alive connection');

function httpCallOnce(baseUrl: string, call: HttpCall): Promise<Answer | NoAnswer | typeof STALE_CONNECTION> {
  const started = performance.now();
  const url = new URL(call.path ?? '/graphql', baseUrl);
  return new Promise((resolve) => {
    let settled = false;
    let timedOut = false;
    let cancelled = false;
    const finish = (value: Answer | NoAnswer | typeof STALE_CONNECTION): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
      resolve(value);
    };
    const headers: Record<string, string> = { 'x-forwarded-for': call.origin.forwardedFor, ...call.headers };
    if (call.body !== undefined) headers['content-length'] = String(Buffer.byteLength(call.body));
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: call.method ?? (call.body === undefined ? 'GET' : 'POST'),
        headers,
        agent: agentFor(call.origin),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('error', (error) => finish(noAnswerOf(error, timedOut, cancelled)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let json: GraphQLBody | null = null;
          if (/json/.test(res.headers['content-type'] ?? '')) {
            try {
              json = JSON.parse(text) as GraphQLBody;
            } catch {
              json = null;
            }
          }
          finish({ status: res.statusCode ?? 0, headers: res.headers, text, json, ms: performance.now() - started });
        });
      },
    );
    const timer = setTimeout(() => {
      timedOut = true;
      req.destroy(new Error('timeout'));
    }, call.timeoutMs);
    const onAbort = (): void => {
      cancelled = true;
      req.destroy(new Error('cancelled'));
    };
    if (call.signal?.aborted) onAbort();
    else call.signal?.addEventListener('abort', onAbort, { once: true });
    let responded = false;
    req.on('response', () => (responded = true));
    req.on('error', (error: NodeJS.ErrnoException) => {
      const why = noAnswerOf(error, timedOut, cancelled);
      finish(why === 'reset' && req.reusedSocket && !responded ? STALE_CONNECTION : why);
    });
    req.end(call.body);
  });
}

/** The histogram key of an answer: the status, and the first GraphQL error code if there is one. */
export function answerKey(answer: Answer): string {
  const code = answer.json?.errors?.[0]?.extensions?.code;
  return code ? `${answer.status} ${code}` : String(answer.status);
}

export interface GraphQLCall {
  query: string;
  variables?: Record<string, unknown>;
  token?: string;
  companyId?: string;
  origin: Origin;
  headers?: Record<string, string>;
  /** Request extensions, e.g. an automatic persisted query's hash. */
  extensions?: Record<string, unknown>;
}

/** A GraphQL POST, counted in the tally; resolves with the answer, or null when none came. */
export async function graphql(
  baseUrl: string,
  tally: Tally,
  call: GraphQLCall,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<Answer | null> {
  const headers: Record<string, string> = { 'content-type': 'application/json', ...call.headers };
  if (call.token) headers.authorization = `Bearer ${call.token}`;
  if (call.companyId) headers['x-company-id'] = call.companyId;
  tally.sent++;
  const result = await httpCall(baseUrl, {
    body: JSON.stringify({ query: call.query, variables: call.variables ?? {}, extensions: call.extensions }),
    headers,
    origin: call.origin,
    timeoutMs,
    signal,
  });
  if (typeof result === 'string') {
    tally.noAnswer(result);
    return null;
  }
  tally.answered(answerKey(result));
  return result;
}

/** The data of an answer that has no errors, or throws saying what went wrong (codes only, no secrets). */
export function dataOf<T>(answer: Answer | null, what: string): T {
  if (!answer) throw new Error(`${what}: no answer`);
  const errors = answer.json?.errors ?? [];
  if (errors.length || !answer.json?.data)
    throw new Error(
      `${what}: HTTP ${answer.status} ${errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ')}`,
    );
  return answer.json.data as T;
}
