import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueSecret } from '../../../server/src/auth/secrets';
import { loadConfig, type EdgeSettings } from '../../../server/src/config';
import { UNREAD_LINGER_MS } from '../../../server/src/http/body';
import { explorerBody } from '../../../server/src/http/explorer';
import { DEFAULT_RATE_LIMITS } from '../../../server/src/http/rate-limits';
import { startTestApp, type TestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { rawRequest, requestFrom } from '../../testkit/raw-http';
import { startServerProcess, type ServerProcess } from '../../testkit/server-process';
import { buildWorld } from '../../testkit/world';

/**
 * The HTTP edge under hostile input: every request is answered, none crashes the process, a
 * client that never reads pins no memory, and an address pays for malformed requests and guessed
 * secrets before any body, parse or lookup.
 */
const onSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

const QUERY = JSON.stringify({ query: '{ permissions { permission } }' });
const JSON_POST = { 'content-type': 'application/json' };

function errorCode(body: string): string | undefined {
  return (JSON.parse(body) as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
}

onSqlite('an unreadable request target (a real process, as `npm start` runs it)', () => {
  let dir: string;
  let server: ServerProcess;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'nokkel-edge-'));
    server = await startServerProcess(join(dir, 'db.sqlite'));
  });
  afterAll(() => {
    server?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  test.each(['//[', 'http://[', '//a b', 'http://%zz/', '//x:99999/graphql', '*', '//evil.example/graphql'])(
    'GET %s is answered 400 and the server keeps serving',
    async (target) => {
      const answer = await rawRequest(server.url, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(answer).toMatch(/^HTTP\/1\.1 400 /);
      expect(answer).toMatch(/\r\nx-request-id: \S+\r\n/i);
      const health = await fetch(`${server.url}/healthz`);
      expect(health.status).toBe(200);
      expect(server.child.exitCode).toBeNull();
    },
  );

  test('the 400 for an unreadable target is JSON with BAD_REQUEST and a request id', async () => {
    const answer = await rawRequest(server.url, 'GET //[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(answer).toMatch(/x-request-id: \S+/i);
    const body = answer.slice(answer.indexOf('\r\n\r\n') + 4);
    expect(errorCode(body)).toBe('BAD_REQUEST');
    expect(server.output()).not.toMatch(/unhandled|uncaught/i);
  });
});

describe('requests that are answered before GraphQL', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ explorer: false });
  });
  afterAll(() => app.close());

  test('x-request-id is on 400, 404, 405 and 413 answers, and a well-formed incoming id is kept', async () => {
    const bad = await fetch(`${app.url}/graphql`, { method: 'POST', headers: JSON_POST, body: '{' });
    const missing = await fetch(`${app.url}/nothing`);
    const method = await fetch(`${app.url}/graphql`, { method: 'PUT', body: QUERY, headers: JSON_POST });
    const large = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: 'x'.repeat(app.server.config.bodyLimitBytes + 1),
    });
    expect([bad.status, missing.status, method.status, large.status]).toEqual([400, 404, 405, 413]);
    for (const res of [bad, missing, method, large]) expect(res.headers.get('x-request-id')).toMatch(/^\S{8,}$/);

    const mine = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, 'x-request-id': 'job-42.batch-7' },
      body: QUERY,
    });
    expect(mine.headers.get('x-request-id')).toBe('job-42.batch-7');
    const odd = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, 'x-request-id': 'has spaces and <tags>' },
      body: QUERY,
    });
    expect(odd.headers.get('x-request-id')).not.toBe('has spaces and <tags>');
  });

  test('a body without a credential is refused by its declared length at the anonymous limit, before it is sent', async () => {
    const { anonymousBodyLimitBytes, bodyLimitBytes } = app.server.config;
    expect(anonymousBodyLimitBytes).toBeLessThan(bodyLimitBytes);
    // only the headers go out: a server that waited for the megabyte would answer nothing
    const head = (extra: string) =>
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${extra}` +
      `Content-Length: ${anonymousBodyLimitBytes + 1}\r\nConnection: close\r\n\r\n`;
    const anonymous = await rawRequest(app.url, head(''), 2_000);
    expect(anonymous).toMatch(/^HTTP\/1\.1 413 /);
    expect(errorCode(anonymous.slice(anonymous.indexOf('\r\n\r\n') + 4))).toBe('PAYLOAD_TOO_LARGE');

    // with a credential the same size is read, parsed and reaches the credential check
    const login = 'mutation ($e: String!, $p: String!) { login(email: $e, password: $p) { token } }';
    const large = JSON.stringify({ query: login, variables: { e: 'a'.repeat(anonymousBodyLimitBytes), p: 'x' } });
    const withCredential = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, authorization: 'Bearer nothing-like-a-token' },
      body: large,
    });
    expect(withCredential.status).toBe(401);
    expect(errorCode(await withCredential.text())).toBe('UNAUTHENTICATED');
    const withoutCredential = await fetch(`${app.url}/graphql`, { method: 'POST', headers: JSON_POST, body: large });
    expect(withoutCredential.status).toBe(413);
  });

  test('a 413 by declared length leaves the body unread and closes the connection soon after its answer', async () => {
    const limit = app.server.config.anonymousBodyLimitBytes;
    // a client that keeps its side open after the server's FIN, as one still uploading does
    const socket = connect({ port: Number(new URL(app.url).port), host: '127.0.0.1', allowHalfOpen: true });
    let answer = '';
    let answeredAt = 0;
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('latin1');
      answeredAt ||= Date.now();
    });
    socket.on('error', () => undefined);
    // the server has said it is done (FIN); the client goes on with its upload, as a client does
    // that sends its body before it looks at the answer
    let uploading: NodeJS.Timeout | undefined;
    socket.once('end', () => {
      uploading = setInterval(() => {
        if (!socket.destroyed) socket.write('x'.repeat(64 * 1024));
      }, 20);
    });
    let gaveUp = false;
    const closed = new Promise<number>((resolve) => socket.once('close', () => resolve(Date.now())));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    // a keep-alive request announcing a megabyte, of which only the first 16 KiB are ever sent:
    // a server that pulled the rest off the wire to throw it away would wait for it, keeping the socket
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${limit * 16}\r\nConnection: keep-alive\r\n\r\n${'x'.repeat(16 * 1024)}`,
    );
    const timeout = setTimeout(() => {
      gaveUp = true;
      socket.destroy();
    }, 4_000);
    const closedAt = await closed;
    clearTimeout(timeout);
    clearInterval(uploading);
    expect(gaveUp).toBe(false);
    expect(answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(answer).toMatch(/\r\nconnection: close\r\n/i);
    // the client had the answer for a while before the connection went
    expect(closedAt - answeredAt).toBeGreaterThanOrEqual(UNREAD_LINGER_MS - 50);
  });

  test('bytes the HTTP parser refuses are answered as JSON with a request id, and the connection closed', async () => {
    const huge = await rawRequest(app.url, `GET /graphql HTTP/1.1\r\nHost: x\r\nx-pad: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(huge).toMatch(/^HTTP\/1\.1 431 /);
    const garbage = await rawRequest(app.url, 'HELLO THERE\r\n\r\n');
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    for (const answer of [huge, garbage]) {
      expect(answer).toMatch(/\r\nx-request-id: \S+\r\n/i);
      expect(errorCode(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toBe('BAD_REQUEST');
    }
    expect((await fetch(`${app.url}/healthz`)).status).toBe(200);
  });

  test('client faults are logged at warn without stack traces: bad JSON, an aborted body', async () => {
    const before = app.logs.length;
    await fetch(`${app.url}/graphql`, { method: 'POST', headers: JSON_POST, body: '{"query": ' });
    // a body announced as 1000 bytes that stops after 10, then the client goes away
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(app.url).port) });
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.write(
      'POST /graphql HTTP/1.1\r\nHost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{"query":',
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const lines = app.logs.slice(before).map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(lines.filter((line) => line.level === 40 && line.msg === 'request refused').length).toBeGreaterThanOrEqual(
      2,
    );
    expect(app.logs.slice(before).join('\n')).not.toMatch(/stack| {4}at /);
  });

  test('automatic persisted queries are off: a hash is refused, a hash mismatch is not a server error', async () => {
    const before = app.logs.length;
    const hashOnly = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({ extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } }),
    });
    expect(errorCode(await hashOnly.text())).toBe('PERSISTED_QUERY_NOT_SUPPORTED');
    const mismatch = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({
        query: '{ permissions { permission } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'b'.repeat(64) } },
      }),
    });
    expect(mismatch.status).toBeLessThan(500);
    const lines = app.logs.slice(before).map((line) => JSON.parse(line) as { level: number });
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
  });
});

describe('ALLOWED_HOSTS', () => {
  let app: TestApp;
  beforeAll(async () => {
    const base = loadConfig({ NODE_ENV: 'test' });
    app = await startTestApp({
      edge: {
        ...base.edge,
        maxConnectionsPerAddress: 1000,
        addressBudget: {
          requestsPerMinute: 1_000_000,
          authFailuresPer15Minutes: 1_000_000,
          badRequestsPerMinute: 1_000_000,
        },
        allowedHosts: ['127.0.0.1', 'localhost:4000'],
      },
    });
  });
  afterAll(() => app.close());

  test('a Host not listed (a DNS-rebinding page) gets 421; listed hosts are served', async () => {
    const port = new URL(app.url).port;
    const rebound = await requestFrom('127.0.0.1', `${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, host: `attacker.example:${port}` },
      body: QUERY,
    });
    expect(rebound.status).toBe(421);
    expect(errorCode(rebound.body)).toBe('BAD_REQUEST');
    const wrongPort = await requestFrom('127.0.0.1', `${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, host: 'localhost:5000' },
      body: QUERY,
    });
    expect(wrongPort.status).toBe(421);
    const listed = await requestFrom('127.0.0.1', `${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, host: `127.0.0.1:${port}` },
      body: QUERY,
    });
    expect(listed.status).toBe(200);
    const health = await requestFrom('127.0.0.1', `${app.url}/healthz`, { headers: { host: 'lb.internal' } });
    expect(health.status).toBe(200);
  });
});

/** Opens a TCP connection from `localAddress` and resolves once it is connected. */
function openSocket(app: TestApp, localAddress: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port: Number(new URL(app.url).port), localAddress });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

const closed = (socket: Socket) =>
  new Promise<void>((resolve) => (socket.destroyed ? resolve() : socket.once('close', () => resolve())));

/** A test app with the edge's defaults, out of the way except for what `edge` sets (budgets by field). */
async function edgeApp(
  {
    addressBudget,
    ...edge
  }: Partial<Omit<EdgeSettings, 'addressBudget'>> & {
    addressBudget?: Partial<EdgeSettings['addressBudget']>;
  },
  explorer = false,
) {
  const base = loadConfig({ NODE_ENV: 'test' }).edge;
  return startTestApp({
    explorer,
    edge: {
      ...base,
      maxConnectionsPerAddress: 1000,
      addressBudget: {
        requestsPerMinute: 1_000_000,
        authFailuresPer15Minutes: 1_000_000,
        badRequestsPerMinute: 1_000_000,
        ...addressBudget,
      },
      ...edge,
    },
  });
}

describe('the address budget, counted as a request arrives', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await edgeApp({ addressBudget: { requestsPerMinute: 30, authFailuresPer15Minutes: 5 } });
    await buildWorld(app.seed);
  });
  afterAll(() => app.close());

  test('parse failures from one address end in 429 RATE_LIMITED with Retry-After; another address is served', async () => {
    const statuses: number[] = [];
    let last = { status: 0, headers: {} as Record<string, string | string[] | undefined>, body: '' };
    for (let i = 0; i < 31; i++) {
      last = await requestFrom('127.0.0.2', `${app.url}/graphql`, {
        method: 'POST',
        headers: JSON_POST,
        body: i % 2 ? '{"query": "{ permissions {"}' : '{ not json',
      });
      statuses.push(last.status);
    }
    expect(statuses.slice(0, 30).every((s) => s === 400)).toBe(true);
    expect(last.status).toBe(429);
    expect(errorCode(last.body)).toBe('RATE_LIMITED');
    expect(Number(last.headers['retry-after'])).toBeGreaterThan(0);
    expect(last.headers['ratelimit-limit']).toBe('30');
    expect(last.headers['ratelimit-remaining']).toBe('0');
    expect(Number(last.headers['ratelimit-reset'])).toBeGreaterThan(0);
    expect(last.headers['x-request-id']).toBeTruthy();

    const other = await requestFrom('127.0.0.3', `${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: QUERY,
    });
    expect(other.status).toBe(200);
  });

  test('forged well-formed secrets: after the failure budget the address gets 429 before any lookup', async () => {
    const forged = () =>
      requestFrom('127.0.0.4', `${app.url}/graphql`, {
        method: 'POST',
        headers: { ...JSON_POST, authorization: `Bearer ${issueSecret('nkl').token}` },
        body: '{"query":"{ viewer { company { name } } }"}',
      });
    for (let i = 0; i < 5; i++) {
      const res = await forged();
      expect(errorCode(res.body)).toBe('UNAUTHENTICATED');
    }
    const refused = await forged();
    expect(refused.status).toBe(429);
    expect(errorCode(refused.body)).toBe('RATE_LIMITED');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // refused at the edge: no statement ran for it
    expect(refused.headers['x-sql-statements']).toBeUndefined();

    // the same address without a credential, and a real caller elsewhere, are unaffected
    const anonymous = await requestFrom('127.0.0.4', `${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: QUERY,
    });
    expect(anonymous.status).toBe(200);
    const login = await requestFrom('127.0.0.5', `${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({
        query: 'mutation { login(email: "kari@regnskap.example", password: "demo-password") { token } }',
      }),
    });
    const token = (JSON.parse(login.body) as { data: { login: { token: string } } }).data.login.token;
    const viewer = await requestFrom('127.0.0.5', `${app.url}/graphql`, {
      method: 'POST',
      headers: { ...JSON_POST, authorization: `Bearer ${token}` },
      body: '{"query":"{ viewer { company { name } } }"}',
    });
    expect(viewer.status).toBe(200);
    expect(JSON.parse(viewer.body).data.viewer.company.name).toBeTruthy();
  });
});

describe('malformed requests, counted per address after they are answered', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await edgeApp({ addressBudget: { badRequestsPerMinute: 3 } });
    await buildWorld(app.seed);
  });
  afterAll(() => app.close());

  const from = (address: string, body: string, headers: Record<string, string> = {}) =>
    requestFrom(address, `${app.url}/graphql`, { method: 'POST', headers: { ...JSON_POST, ...headers }, body });

  test('past its bad requests an address gets 429 for everything it sends, before any parse or lookup; others are served', async () => {
    // a body that is not JSON, a document that does not parse, one that does not validate
    const bad = [
      await from('127.0.0.20', '{ not json'),
      await from('127.0.0.20', '{"query": "{ permissions {"}'),
      await from('127.0.0.20', '{"query": "{ noSuchField }"}'),
    ];
    expect(bad.map((r) => r.status)).toEqual([400, 400, 400]);
    expect(bad.map((r) => errorCode(r.body))).toEqual([
      'BAD_REQUEST',
      'GRAPHQL_PARSE_FAILED',
      'GRAPHQL_VALIDATION_FAILED',
    ]);
    // the fourth is refused on arrival, even a valid document with a credential
    const kari = await app.api.login('kari@regnskap.example');
    const refused = await from('127.0.0.20', QUERY, { authorization: `Bearer ${kari}` });
    expect(refused.status).toBe(429);
    expect(errorCode(refused.body)).toBe('RATE_LIMITED');
    expect(JSON.parse(refused.body).errors[0].message).toMatch(/malformed/);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect(refused.headers['x-sql-statements']).toBeUndefined();
    expect((await from('127.0.0.20', QUERY)).status).toBe(429);
    // another address, and the same person from it, are served
    expect((await from('127.0.0.21', QUERY)).status).toBe(200);
    const served = await from('127.0.0.21', '{"query":"{ viewer { company { name } } }"}', {
      authorization: `Bearer ${kari}`,
    });
    expect(JSON.parse(served.body).data.viewer.company.name).toBeTruthy();
  });

  test("answers with errors that are not the request's fault (a wrong password, an unknown key) do not count", async () => {
    for (let i = 0; i < 5; i++) {
      // a wrong password: a 401, the caller's fault but not a malformed request
      const login = await from(
        '127.0.0.22',
        JSON.stringify({
          query: 'mutation { login(email: "kari@regnskap.example", password: "wrong-password") { token } }',
        }),
      );
      expect(login.status).toBe(401);
      expect(errorCode(login.body)).toBeDefined();
      // an unknown key
      const unknown = await from('127.0.0.22', QUERY, { authorization: `Bearer ${issueSecret('nkl').token}` });
      expect(errorCode(unknown.body)).toBe('UNAUTHENTICATED');
    }
    expect((await from('127.0.0.22', QUERY)).status).toBe(200);
  });
});

describe('a refusal of a spent budget, held before it is answered', () => {
  let app: TestApp;
  const HOLD_MS = 400;
  beforeAll(async () => {
    app = await edgeApp({ addressBudget: { requestsPerMinute: 3 }, refusalHoldMs: HOLD_MS });
  });
  afterAll(() => app.close());

  const from = (address: string) =>
    requestFrom(address, `${app.url}/graphql`, { method: 'POST', headers: JSON_POST, body: QUERY });

  test('is answered after the hold, with its Retry-After; other addresses are served meanwhile', async () => {
    for (let i = 0; i < 3; i++) expect((await from('127.0.0.40')).status).toBe(200);
    const order: string[] = [];
    const started = performance.now();
    const held = from('127.0.0.40').then((res) => {
      order.push('refused');
      return { res, ms: performance.now() - started };
    });
    const other = await from('127.0.0.41');
    order.push('served');
    expect(other.status).toBe(200);
    const { res, ms } = await held;
    expect(res.status).toBe(429);
    expect(errorCode(res.body)).toBe('RATE_LIMITED');
    expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(ms).toBeGreaterThanOrEqual(HOLD_MS - 20);
    // the other address did not wait for the held refusal
    expect(order).toEqual(['served', 'refused']);
  });

  test('a client that goes away during the hold leaves nothing behind; the server keeps serving', async () => {
    for (let i = 0; i < 3; i++) await from('127.0.0.42');
    const count = (pattern: RegExp) => app.logs.filter((line) => pattern.test(line)).length;
    const errorsBefore = count(/"level":50/);
    const refusalsBefore = count(/"status":429/);
    const socket = connect({ port: Number(new URL(app.url).port), host: '127.0.0.1', localAddress: '127.0.0.42' });
    let answered = false;
    socket.on('data', () => (answered = true));
    socket.on('error', () => undefined);
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n` +
        `Content-Length: ${Buffer.byteLength(QUERY)}\r\n\r\n${QUERY}`,
    );
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS / 4));
    // still held: nothing answered yet
    expect(answered).toBe(false);
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, HOLD_MS));
    expect(count(/"status":429/)).toBeGreaterThan(refusalsBefore);
    expect(count(/"level":50/)).toBe(errorsBefore);
    expect((await from('127.0.0.43')).status).toBe(200);
  });
});

describe('connections and clients that never read', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await edgeApp({ maxConnectionsPerAddress: 5, writeTimeoutMs: 1_000 }, true);
  });
  afterAll(() => app.close());

  test('one address holds at most MAX_CONNECTIONS_PER_ADDRESS connections; another address is served', async () => {
    const held = await Promise.all([1, 2, 3, 4, 5].map(() => openSocket(app, '127.0.0.6')));
    const extra = await openSocket(app, '127.0.0.6');
    await closed(extra);
    const other = await requestFrom('127.0.0.7', `${app.url}/healthz`);
    expect(other.status).toBe(200);
    held[0].destroy();
    await closed(held[0]);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const again = await requestFrom('127.0.0.6', `${app.url}/healthz`);
    expect(again.status).toBe(200);
    for (const socket of held) socket.destroy();
  });

  test('explorer pages nobody reads share one buffer, pin no memory per socket, and lose their sockets', async () => {
    // the same Buffer instance every time (compared by identity: a diff of 9 MB is no help)
    expect((await explorerBody(undefined)).body === (await explorerBody(undefined)).body).toBe(true);
    expect((await explorerBody('gzip')).body === (await explorerBody('gzip')).body).toBe(true);
    const page = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(await page.text()).toMatch(/<html/i);

    global.gc?.();
    const before = process.memoryUsage().rss;
    const sockets: Socket[] = [];
    for (let batch = 0; batch < 10; batch++) {
      const opened = await Promise.all([1, 2, 3, 4].map((n) => openSocket(app, `127.0.1.${batch * 4 + n}`)));
      for (const socket of opened) {
        socket.pause(); // never reads
        socket.write('GET /graphql HTTP/1.1\r\nHost: x\r\nAccept: text/html\r\n\r\n');
        sockets.push(socket);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
    const grown = (process.memoryUsage().rss - before) / 1024 / 1024;
    // 40 copies of the 9 MB page would be 360 MB; the shared buffer costs next to nothing per socket
    expect(grown).toBeLessThan(120);
    const health = await fetch(`${app.url}/healthz`);
    expect(health.status).toBe(200);
    // the write timeout (or, for a response the socket buffers took whole, the idle timeout) lets
    // go of every one of them
    const open = () => new Promise<number>((resolve) => app.server.httpServer.getConnections((_e, n) => resolve(n)));
    while ((await open()) >= sockets.length) await new Promise((resolve) => setTimeout(resolve, 200));
    for (const socket of sockets) socket.destroy();
  });
});

describe('rate-limited GraphQL answers', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ rateLimits: { ...DEFAULT_RATE_LIMITS, prefix: 'edge-headers', requestsPerMinute: 2 } });
  });
  afterAll(() => app.close());

  test('a 429 past the per-caller budget carries Retry-After, RateLimit-* and x-request-id', async () => {
    const ask = () => fetch(`${app.url}/graphql`, { method: 'POST', headers: JSON_POST, body: QUERY });
    expect((await ask()).status).toBe(200);
    expect((await ask()).status).toBe(200);
    const limited = await ask();
    expect(limited.status).toBe(429);
    expect(errorCode(await limited.text())).toBe('RATE_LIMITED');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(limited.headers.get('ratelimit-limit')).toBe('2');
    expect(limited.headers.get('ratelimit-remaining')).toBe('0');
    expect(Number(limited.headers.get('ratelimit-reset'))).toBe(retryAfter);
    expect(limited.headers.get('x-request-id')).toBeTruthy();
  });
});

describe('a credential whose request budget is spent', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ rateLimits: { ...DEFAULT_RATE_LIMITS, prefix: 'edge-spent', requestsPerMinute: 3 } });
  });
  afterAll(() => app.close());

  test('is refused before its body is read or its credential looked up, until the budget refills; others are served', async () => {
    await buildWorld(app.seed);
    const kari = await app.api.login('kari@regnskap.example');
    const ola = await app.api.login('ola@regnskap.example');
    const post = (token: string, body: string) =>
      fetch(`${app.url}/graphql`, {
        method: 'POST',
        headers: { ...JSON_POST, authorization: `Bearer ${token}` },
        body,
      });
    for (let i = 0; i < 3; i++) expect((await post(kari, QUERY)).status).toBe(200);
    // the first refusal comes from GraphQL, after the lookup
    const looked = await post(kari, QUERY);
    expect(looked.status).toBe(429);
    expect(Number(looked.headers.get('x-sql-statements'))).toBeGreaterThan(0);
    // the next ones are refused at the edge: an unparseable body is never read, nothing is looked up
    const early = await post(kari, '{');
    expect(early.status).toBe(429);
    expect(early.headers.get('x-sql-statements')).toBeNull();
    expect(errorCode(await early.text())).toBe('RATE_LIMITED');
    const retryAfter = Number(early.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(early.headers.get('ratelimit-limit')).toBe('3');
    expect(early.headers.get('ratelimit-remaining')).toBe('0');
    // another person keeps a budget of their own
    expect((await post(ola, QUERY)).status).toBe(200);
  });

  test('a spent cost budget is refused before the lookup as well, however cheap the next request', async () => {
    const costly = await startTestApp({
      rateLimits: { ...DEFAULT_RATE_LIMITS, prefix: 'edge-spent-cost', requestsPerMinute: 1_000, costPerMinute: 2 },
    });
    try {
      await buildWorld(costly.seed);
      const kari = await costly.api.login('kari@regnskap.example');
      const post = (body: string) =>
        fetch(`${costly.url}/graphql`, {
          method: 'POST',
          headers: { ...JSON_POST, authorization: `Bearer ${kari}` },
          body,
        });
      const answers = [];
      for (let i = 0; i < 3; i++) answers.push(await post(QUERY));
      expect(answers.map((a) => a.status)).toEqual([200, 200, 429]);
      expect(Number(answers[2].headers.get('x-sql-statements'))).toBeGreaterThan(0);
      const early = await post('{');
      expect(early.status).toBe(429);
      expect(early.headers.get('x-sql-statements')).toBeNull();
      expect(errorCode(await early.text())).toBe('RATE_LIMITED');
    } finally {
      await costly.close();
    }
  });
});

describe('the connection cap behind a trusted proxy', () => {
  let app: TestApp;
  beforeAll(async () => {
    const base = loadConfig({ NODE_ENV: 'test' });
    app = await startTestApp({
      trustProxy: { kind: 'networks', networks: ['127.0.0.9'] },
      edge: { ...base.edge, maxConnectionsPerAddress: 2 },
    });
  });
  afterAll(() => app.close());

  test('a proxy named in TRUST_PROXY is not capped; any other peer is', async () => {
    const proxied = await Promise.all([1, 2, 3, 4].map(() => openSocket(app, '127.0.0.9')));
    const through = await requestFrom('127.0.0.9', `${app.url}/healthz`);
    expect(through.status).toBe(200);
    expect(proxied.every((socket) => !socket.destroyed)).toBe(true);

    const direct = await Promise.all([1, 2].map(() => openSocket(app, '127.0.0.10')));
    const extra = await openSocket(app, '127.0.0.10');
    await closed(extra);
    for (const socket of [...proxied, ...direct]) socket.destroy();
  });
});

describe('PERSISTED_QUERIES=on', () => {
  let app: TestApp;
  beforeAll(async () => {
    const base = loadConfig({ NODE_ENV: 'test' });
    app = await startTestApp({ edge: { ...base.edge, maxConnectionsPerAddress: 1000, persistedQueries: true } });
  });
  afterAll(() => app.close());

  test('a hash that does not match its query is a 400 BAD_REQUEST, logged at warn without a stack', async () => {
    const before = app.logs.length;
    const mismatch = await fetch(`${app.url}/graphql`, {
      method: 'POST',
      headers: JSON_POST,
      body: JSON.stringify({
        query: '{ permissions { permission } }',
        extensions: { persistedQuery: { version: 1, sha256Hash: 'c'.repeat(64) } },
      }),
    });
    expect(mismatch.status).toBe(400);
    expect(errorCode(await mismatch.text())).toBe('BAD_REQUEST');
    const lines = app.logs.slice(before).map((line) => JSON.parse(line) as { level: number });
    expect(lines.some((line) => line.level === 40)).toBe(true);
    expect(lines.filter((line) => line.level >= 50)).toEqual([]);
    expect(app.logs.slice(before).join('\n')).not.toMatch(/stack/);
  });
});
