import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphQLClient } from '../../testkit/graphql-client';
import { startServerProcess, type ServerProcess } from '../../testkit/server-process';

/**
 * OpenTelemetry tracing (README: Metrics and tracing): with OTEL_EXPORTER_OTLP_ENDPOINT set, each
 * GraphQL request becomes a span sent over OTLP/HTTP, here to a collector made of a plain HTTP
 * server in the test; without it, no OpenTelemetry module is loaded at all.
 */

interface OtlpAttribute {
  key: string;
  value: { stringValue?: string; intValue?: string | number };
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: OtlpAttribute[];
  status?: { code?: number; message?: string };
}
interface OtlpExport {
  resourceSpans: { resource: { attributes: OtlpAttribute[] }; scopeSpans: { spans: OtlpSpan[] }[] }[];
}

class Collector {
  readonly posts: { path: string; contentType: string; body: OtlpExport }[] = [];
  private server!: Server;
  url = '';

  async start(): Promise<this> {
    this.server = createServer((req: IncomingMessage, res) => {
      let text = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (text += chunk));
      req.on('end', () => {
        this.posts.push({
          path: req.url ?? '',
          contentType: req.headers['content-type'] ?? '',
          body: JSON.parse(text),
        });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  spans(): OtlpSpan[] {
    return this.posts.flatMap((post) => post.body.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans)));
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

const attributes = (list: OtlpAttribute[]) =>
  Object.fromEntries(list.map((a) => [a.key, a.value.stringValue ?? a.value.intValue]));

let collector: Collector;
let server: ServerProcess | null = null;
let dir = '';

beforeAll(async () => {
  collector = await new Collector().start();
  dir = mkdtempSync(join(tmpdir(), 'nokkel-tracing-'));
});
afterAll(async () => {
  server?.child.kill('SIGKILL');
  await collector.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Stops the server as an operator would (SIGTERM), which sends the spans still in the batch. */
async function stop(process: ServerProcess): Promise<void> {
  const exited = new Promise((resolve) => process.child.once('exit', resolve));
  process.child.kill('SIGTERM');
  await exited;
}

// the server runs as `npm start` runs it: OpenTelemetry's exporter loads Node's http with a dynamic
// import, which Jest's module sandbox does not run
test('a span per operation, with its name and outcome, reaches an OTLP/HTTP collector (and joins the caller’s trace)', async () => {
  server = await startServerProcess(join(dir, 'tracing.sqlite'), {
    OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
    OTEL_SERVICE_NAME: 'nokkel-test',
    WEB_UI: 'off',
  });
  const api = new GraphQLClient(`${server.url}/graphql`);
  const per = await api.login('per@regnskap.example');
  const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
  const parentId = '00f067aa0ba902b7';
  const viewer = await api.request(
    'query Viewer { viewer { company { id name } employee { id } } }',
    {},
    { token: per, headers: { traceparent: `00-${traceId}-${parentId}-01`, 'x-request-id': 'trace-test-1' } },
  );
  expect(viewer.errors).toEqual([]);
  const salary = await api.request('query Salary { viewer { employee { annualSalary } } }', {}, { token: per });
  expect(salary.errors[0]?.extensions?.code).toBe('FORBIDDEN');
  await stop(server);
  server = null;

  expect(collector.posts.length).toBeGreaterThan(0);
  for (const post of collector.posts) {
    expect(post.path).toBe('/v1/traces');
    expect(post.contentType).toMatch(/^application\/json/);
    expect(attributes(post.body.resourceSpans[0].resource.attributes)['service.name']).toBe('nokkel-test');
  }
  const spans = collector.spans();
  const byName = new Map(spans.map((span) => [span.name, span]));
  const viewerSpan = byName.get('query Viewer');
  expect(viewerSpan && attributes(viewerSpan.attributes)).toEqual({
    'graphql.operation.name': 'Viewer',
    'graphql.operation.type': 'query',
    'nokkel.outcome': 'ok',
    'nokkel.request_id': 'trace-test-1',
  });
  expect(viewerSpan?.traceId.toLowerCase()).toBe(traceId);
  expect(viewerSpan?.parentSpanId?.toLowerCase()).toBe(parentId);
  expect(viewerSpan?.kind).toBe(2); // SERVER
  expect(viewerSpan?.status?.code ?? 0).not.toBe(2);

  const salarySpan = byName.get('query Salary');
  expect(salarySpan && attributes(salarySpan.attributes)['nokkel.outcome']).toBe('FORBIDDEN');
  expect(salarySpan?.status).toMatchObject({ code: 2, message: 'FORBIDDEN' }); // ERROR, with the code only
  expect(salarySpan?.traceId.toLowerCase()).not.toBe(traceId);

  // the login (an anonymous mutation) is a span too; no span holds a document, a company or a person
  expect(spans.some((span) => span.name === 'mutation')).toBe(true);
  const everything = JSON.stringify(collector.posts);
  const { company, employee } = viewer.data.viewer;
  for (const forbidden of [company.id, employee.id, company.name, 'per@regnskap.example', 'demo-password', per])
    expect({ forbidden, found: everything.includes(forbidden) }).toEqual({ forbidden, found: false });
});

test('without OTEL_EXPORTER_OTLP_ENDPOINT the server loads no OpenTelemetry SDK or exporter module', () => {
  // a process of its own, from the build, so its module cache is Node's own; prom-client loads the
  // small @opentelemetry/api package for itself, which is not what is counted here
  const script = `
    const { loadConfig } = require('./dist/server/src/config');
    const { createServer } = require('./dist/server/src/server');
    const loaded = () => Object.keys(require.cache).filter((path) => /@opentelemetry\\/(?!api\\/)/.test(path)).length;
    (async () => {
      const env = { NODE_ENV: 'test', DATABASE_URL: 'sqlite::memory:', LOG_LEVEL: 'silent', WEB_UI: 'off' };
      const off = await createServer({ config: loadConfig(env) });
      const withoutTracing = loaded();
      await off.close();
      const on = await createServer({ config: loadConfig({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }) });
      const withTracing = loaded();
      await on.close();
      console.log(JSON.stringify({ withoutTracing, withTracing }));
    })().catch((error) => { console.error(error); process.exit(1); });
  `;
  const out = execFileSync(process.execPath, ['-e', script], { encoding: 'utf8', timeout: 60_000 });
  const { withoutTracing, withTracing } = JSON.parse(out.trim().split('\n').at(-1)!);
  expect(withoutTracing).toBe(0);
  expect(withTracing).toBeGreaterThan(0); // the check sees them when they are there
});
