import { mkdtempSync, rmSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { issueSecret } from '../../../server/src/auth/secrets';
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
    expect(lines.filter((line) => line.level === 40 && line.msg === 'request refused').length).toBeGreaterThanOrEqual(2);
    expect(app.logs.slice(before).join('\n')).not.toMatch(/stack|    at /);
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
    const base = await import('../../../server/src/config').then((m) => m.loadConfig({ NODE_ENV: 'test' }));
    app = await startTestApp({
      edge: {
        ...base.edge,
        maxConnectionsPerAddress: 1000,
        addressBudget: { requestsPerMinute: 1_000_000, authFailuresPer15Minutes: 1_000_000 },
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
