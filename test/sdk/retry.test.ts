import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createClient, ErrorCode, NokkelError, type RetryEvent, type RetryOptions } from '../../client-sdk/src';
import { rateLimitedBody } from './rate-limiting-proxy';

/**
 * The SDK's retries against a local fake server (real HTTP, the global fetch, real headers) that
 * answers from a script; waits go through an injected sleep, so no test waits for real.
 */
interface Answer {
  status: number;
  headers?: Record<string, string>;
  body: string;
}

const ok = (data: unknown): Answer => ({ status: 200, body: JSON.stringify({ data }) });
const limited = (retryAfter?: string): Answer => ({
  status: 429,
  headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  body: rateLimitedBody(Number(retryAfter ?? 1)),
});
const unavailable = (retryAfter?: string): Answer => ({
  status: 503,
  headers: retryAfter === undefined ? {} : { 'retry-after': retryAfter },
  body: JSON.stringify({
    errors: [
      {
        message: 'The database is not reachable right now. Retry in a moment.',
        extensions: { code: 'SERVICE_UNAVAILABLE', retryable: true },
      },
    ],
  }),
});

let server: Server;
let url: string;
let script: Answer[] = [];
let received: string[] = [];

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      received.push((JSON.parse(body) as { operationName: string }).operationName);
      const answer = script.shift() ?? { status: 500, body: 'no scripted answer left' };
      response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      response.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/graphql`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

beforeEach(() => {
  script = [];
  received = [];
});

/** A client whose waits are recorded instead of slept. */
function clientWith(retry: RetryOptions | boolean | undefined) {
  const slept: number[] = [];
  const events: RetryEvent[] = [];
  const options: RetryOptions | boolean | undefined =
    typeof retry === 'object'
      ? {
          ...retry,
          sleep: async (ms) => void slept.push(ms),
          onRetry: (event) => void events.push(event),
        }
      : retry;
  return { client: createClient({ url, token: 'nks_test', retry: options }), slept, events };
}

const VIEWER = { viewer: { company: { name: 'Regnskap AS' } } };

test('429 with Retry-After: 1, then 200: the call waits 1 s and returns the data of the second answer', async () => {
  script = [limited('1'), ok(VIEWER)];
  const { client, slept, events } = clientWith({ maxAttempts: 3 });
  const data = await client.viewer();
  expect(data).toEqual(VIEWER);
  expect(received).toEqual(['viewer', 'viewer']);
  expect(slept).toEqual([1000]);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ attempt: 1, delayMs: 1000 });
  expect(events[0]?.error.code).toBe(ErrorCode.RATE_LIMITED);
  expect(events[0]?.error.status).toBe(429);
});

test('retries are off by default: a 429 is thrown at once, with the status and Retry-After', async () => {
  script = [limited('7'), ok(VIEWER)];
  const error = await createClient({ url })
    .viewer()
    .catch((e: unknown) => e);
  expect(error).toBeInstanceOf(NokkelError);
  expect(error).toMatchObject({ code: ErrorCode.RATE_LIMITED, status: 429, retryAfter: 7 });
  expect(received).toHaveLength(1);
});

test('retry: true means the defaults: 3 attempts in all', async () => {
  // Retry-After: 0, so the real timer of the default sleep does not wait
  script = [limited('0'), limited('0'), limited('0'), ok(VIEWER)];
  const client = createClient({ url, retry: true });
  await expect(client.viewer()).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED });
  expect(received).toHaveLength(3);
});

test('without Retry-After: a jittered, doubling backoff, up to maxAttempts; then the last error is thrown', async () => {
  script = [unavailable(), unavailable(), unavailable(), unavailable(), ok(VIEWER)];
  const { client, slept } = clientWith({ maxAttempts: 4, baseDelayMs: 400, random: () => 0.5 });
  const error = (await client.viewer().catch((e: unknown) => e)) as NokkelError;
  expect(error.code).toBe(ErrorCode.SERVICE_UNAVAILABLE);
  expect(error.status).toBe(503);
  expect(received).toHaveLength(4);
  // random 0.5 × 400 ms × 2^(attempt − 1)
  expect(slept).toEqual([200, 400, 800]);
});

test('the jitter spreads the waits between 0 and the ceiling, and the ceiling stops at maxDelayMs', async () => {
  script = [unavailable(), unavailable(), unavailable(), ok(VIEWER)];
  const randoms = [0, 0.999, 0.999];
  const { client, slept } = clientWith({
    maxAttempts: 4,
    baseDelayMs: 1000,
    maxDelayMs: 1500,
    random: () => randoms.shift() ?? 0,
  });
  await client.viewer();
  expect(slept).toEqual([0, 1498, 1498]);
});

test('a Retry-After longer than maxDelayMs is not waited for: the error is thrown at once with retryAfter', async () => {
  script = [limited('120'), ok(VIEWER)];
  const { client, slept } = clientWith({ maxAttempts: 3, maxDelayMs: 30_000 });
  await expect(client.viewer()).rejects.toMatchObject({ code: ErrorCode.RATE_LIMITED, retryAfter: 120 });
  expect(slept).toEqual([]);
  expect(received).toHaveLength(1);
});

test('Retry-After as an HTTP date is honoured', async () => {
  script = [limited(new Date(Date.now() + 2_000).toUTCString()), ok(VIEWER)];
  const { client, slept } = clientWith({ maxAttempts: 2 });
  await client.viewer();
  expect(slept).toHaveLength(1);
  expect(slept[0]).toBeGreaterThanOrEqual(1000);
  expect(slept[0]).toBeLessThanOrEqual(3000);
});

test('without the header, extensions.retryAfter of the error is honoured', async () => {
  script = [{ status: 429, body: rateLimitedBody(2) }, ok(VIEWER)];
  const { client, slept } = clientWith({ maxAttempts: 2 });
  await client.viewer();
  expect(slept).toEqual([2000]);
});

test('a rate-limited mutation is retried: the server refuses it before running it', async () => {
  script = [limited('1'), ok({ revokeUserKey: { id: 'key_1' } })];
  const { client, slept } = clientWith({ maxAttempts: 2 });
  await client.revokeUserKey({ id: 'key_1' });
  expect(received).toEqual(['revokeUserKey', 'revokeUserKey']);
  expect(slept).toEqual([1000]);
});

test('a mutation answered SERVICE_UNAVAILABLE is not retried unless retryUnavailableMutations is set', async () => {
  script = [unavailable('1'), ok({ revokeUserKey: { id: 'key_1' } })];
  const careful = clientWith({ maxAttempts: 3 });
  await expect(careful.client.revokeUserKey({ id: 'key_1' })).rejects.toMatchObject({
    code: ErrorCode.SERVICE_UNAVAILABLE,
  });
  expect(received).toHaveLength(1);

  script = [unavailable('1'), ok({ revokeUserKey: { id: 'key_1' } })];
  received = [];
  const bold = clientWith({ maxAttempts: 3, retryUnavailableMutations: true });
  await bold.client.revokeUserKey({ id: 'key_1' });
  expect(received).toHaveLength(2);
  expect(bold.slept).toEqual([1000]);
});

test('other errors are never retried', async () => {
  script = [
    {
      status: 403,
      body: JSON.stringify({ errors: [{ message: 'no', extensions: { code: 'FORBIDDEN' } }] }),
    },
    ok(VIEWER),
  ];
  const { client, slept } = clientWith({ maxAttempts: 5 });
  await expect(client.viewer()).rejects.toMatchObject({ code: ErrorCode.FORBIDDEN });
  expect(slept).toEqual([]);
  expect(received).toHaveLength(1);
});

test('a 503 page from a proxy (not GraphQL) with Retry-After is retried like SERVICE_UNAVAILABLE', async () => {
  script = [{ status: 503, headers: { 'retry-after': '1' }, body: '<html>Service Unavailable</html>' }, ok(VIEWER)];
  const { client, events } = clientWith({ maxAttempts: 2 });
  await expect(client.viewer()).resolves.toEqual(VIEWER);
  expect(events[0]?.error).toMatchObject({ code: ErrorCode.BAD_RESPONSE, status: 503, retryAfter: 1 });
});

test('a call aborted while it waits is not sent again', async () => {
  script = [limited('1'), ok(VIEWER)];
  const controller = new AbortController();
  const client = createClient({ url, retry: { sleep: async () => controller.abort() } });
  await expect(client.viewer({}, { signal: controller.signal })).rejects.toMatchObject({
    code: ErrorCode.RATE_LIMITED,
  });
  expect(received).toHaveLength(1);
});

test('withToken and withCompany keep the retry settings', async () => {
  script = [limited('1'), ok(VIEWER)];
  const { client, slept } = clientWith({ maxAttempts: 2 });
  await client.withToken('nks_other').withCompany('cmp_1').viewer();
  expect(slept).toEqual([1000]);
});

test('bad retry settings are refused when the client is made', () => {
  expect(() => createClient({ url, retry: { maxAttempts: 0 } })).toThrow(RangeError);
  expect(() => createClient({ url, retry: { maxAttempts: 1.5 } })).toThrow(/whole number/);
  expect(() => createClient({ url, retry: { baseDelayMs: -1 } })).toThrow(RangeError);
});
