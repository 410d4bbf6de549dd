import 'reflect-metadata';
import { ApolloServer, HeaderMap, type HTTPGraphQLRequest } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import type { DestinationStream } from 'pino';
import { authenticate } from './auth/authenticate';
import type { Config } from './config';
import { createLoaders } from './context/loaders';
import type { RequestContext } from './context/request-context';
import { Services } from './context/services';
import { Database, describeDatabase } from './db/database';
import { countStatements } from './db/statement-counter';
import { clientAddress } from './http/client-address';
import { explorerBody } from './http/explorer';
import { loadWebUi } from './http/web-ui';
import { compiledExecutor } from './http/compiled-executor';
import { CostGate } from './http/cost-gate';
import { costPlugin } from './http/cost-plugin';
import { errorMaskingPlugin, maskPreExecutionError } from './http/graphql-errors';
import { queryShapeRule } from './http/query-limits';
import { reachOnlyPlugin } from './http/reach-only-plugin';
import { usagePlugin } from './http/usage-plugin';
import { RequestUsage } from './modules/usage/request-usage';
import { RateLimits } from './http/rate-limits';
import { buildNokkelSchema } from './schema/build-schema';
import { seedDemoIfEmpty } from './seed/demo';
import { createLogger, type Logger } from './shared/logger';

const SECURITY_HEADERS: Record<string, string> = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
};

export interface CreateServerOptions {
  config: Config;
  /** Where the JSON log goes (stdout by default); tests capture it to scan for secrets. */
  logDestination?: DestinationStream;
}

export interface NokkelServer {
  readonly config: Config;
  readonly db: Database;
  readonly services: Services;
  readonly log: Logger;
  readonly httpServer: Server;
  /** Starts listening; resolves with the base URL (http://host:port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful stop: refuses new connections, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
  /** Turns the `x-sql-statements` header on or off (benchmarks count with it, then measure without). */
  setStatementCounting(on: boolean): void;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code = 'BAD_REQUEST',
  ) {
    super(message);
  }
}

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    if (declared > limit)
      return reject(new HttpError(413, `The request body is larger than ${limit} bytes.`, 'PAYLOAD_TOO_LARGE'));
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new HttpError(413, `The request body is larger than ${limit} bytes.`, 'PAYLOAD_TOO_LARGE'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: string | Buffer): void {
  res.writeHead(status, { ...SECURITY_HEADERS, ...headers });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  send(res, status, { 'content-type': 'application/json; charset=utf-8', ...headers }, JSON.stringify(value));
}

/** Headers for the debug access log, with anything shaped like a credential blanked wherever a caller put it. */
function loggableHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    const text = Array.isArray(value) ? value.join(', ') : value;
    if (text !== undefined) out[name] = text.replace(/\b(nkl|nks)_[0-9A-Za-z]+/g, '$1_[redacted]');
  }
  return out;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Builds the server without listening, so tests start it in-process. */
export async function createServer({ config, logDestination }: CreateServerOptions): Promise<NokkelServer> {
  const log = createLogger(config.logLevel, logDestination);
  const db = new Database(config.database, (message) => log.error(message));
  await db.connect();
  const migrations = await db.prepareSchema();
  if (migrations.length) log.info({ migrations }, 'ran migrations');
  if (config.seedDemo && (await seedDemoIfEmpty(db))) log.info('loaded the demo data');

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : null;
  redis?.on('error', (error: Error) =>
    log.warn({ err: error.message }, 'redis unavailable; rate limits fall back to memory'),
  );
  const services = new Services(db, config, log, new RateLimits(config.rateLimits, redis));
  services.keyUsage.start();
  services.usageRecorder.start();
  services.events.engine.start();
  const development = config.env === 'development';
  const schema = buildNokkelSchema();
  const apollo = new ApolloServer<RequestContext>({
    ...(config.executor === 'jit' ? { gateway: compiledExecutor(schema) } : { schema }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.debugErrors,
    hideSchemaDetailsFromClientErrors: !development,
    allowBatchedHttpRequests: false,
    csrfPrevention: true,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    validationRules: [queryShapeRule(config.queryLimits)],
    plugins: [
      ApolloServerPluginLandingPageDisabled(),
      // cache hints are never used; left on, the plugin wraps every field resolver of every request
      ApolloServerPluginCacheControlDisabled(),
      ApolloServerPluginUsageReportingDisabled(),
      reachOnlyPlugin(),
      usagePlugin(services.usageRecorder),
      costPlugin(config.queryLimits, services.rateLimits, new CostGate(config.queryLimits.concurrentCost)),
      errorMaskingPlugin(log, config.debugErrors),
    ],
    logger: {
      debug: (m: unknown) => log.debug(String(m)),
      info: (m: unknown) => log.info(String(m)),
      warn: (m: unknown) => log.warn(String(m)),
      error: (m: unknown) => log.error(String(m)),
    },
  });
  await apollo.start();
  let counting = config.exposeStatementCount;
  const webUi = config.webUi ? loadWebUi() : null;
  if (config.webUi && !webUi)
    log.warn('WEB_UI is on but the web app is not built (npm run build -w web): / is not served');

  async function graphql(req: IncomingMessage, res: ServerResponse, url: URL, requestId: string): Promise<void> {
    if (req.method === 'GET' && config.explorer && /text\/html/.test(header(req, 'accept') ?? '')) {
      const page = explorerBody(header(req, 'accept-encoding'));
      res.writeHead(200, { ...SECURITY_HEADERS, ...page.headers, 'cache-control': 'no-cache' });
      res.end(page.body);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'POST')
      throw new HttpError(405, 'Use GET or POST.', 'METHOD_NOT_ALLOWED');
    const raw = req.method === 'POST' ? await readBody(req, config.bodyLimitBytes) : '';
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    let body: unknown = raw;
    if (req.method === 'POST' && /json/.test(headers.get('content-type') ?? '')) {
      try {
        body = JSON.parse(raw);
      } catch {
        throw new HttpError(400, 'The request body is not valid JSON.');
      }
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method, headers, search: url.search, body };
    const execute = () =>
      apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => {
          const now = new Date();
          try {
            const acting = await authenticate(
              db,
              { authorization: header(req, 'authorization'), companyId: header(req, 'x-company-id') },
              { now, onKeyUsed: (key, at) => services.keyUsage.touch(key, at) },
            );
            return {
              acting,
              loaders: createLoaders(db),
              services,
              requestId,
              now,
              clientIp: clientAddress(req, config.trustProxy),
              usage: acting.userKey ? new RequestUsage() : null,
            };
          } catch (error) {
            throw maskPreExecutionError(error, requestId, log);
          }
        },
      });
    // counting statements costs an AsyncLocalStorage scope per request: only when asked for
    const counted = counting ? countStatements(execute) : { result: execute(), scope: null };
    const response = await counted.result;
    const out: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [name, value] of response.headers) out[name] = value;
    if (counted.scope) out['x-sql-statements'] = String(counted.scope.statements);
    let text = '';
    if (response.body.kind === 'complete') text = response.body.string;
    else for await (const chunk of response.body.asyncIterator) text += chunk;
    send(res, response.status ?? 200, out, text);
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const started = performance.now();
    res.setHeader('x-request-id', requestId);
    const url = new URL(req.url ?? '/', 'http://localhost');
    res.on('finish', () => {
      // headers only at debug level, and `authorization` is redacted by the logger
      const entry = {
        requestId,
        method: req.method,
        path: url.pathname,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      };
      if (log.isLevelEnabled('debug')) log.debug({ ...entry, headers: loggableHeaders(req) }, 'request');
      else log.info(entry, 'request');
    });
    try {
      if (url.pathname === '/graphql') return await graphql(req, res, url, requestId);
      if (url.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
      if (webUi?.(req, res, url.pathname, SECURITY_HEADERS)) return;
      if (url.pathname === '/readyz' && req.method === 'GET') {
        const ready = await db.ping();
        return sendJson(res, ready ? 200 : 503, { status: ready ? 'ready' : 'database unreachable' });
      }
      return sendJson(res, 404, {
        errors: [{ message: `Nothing at ${url.pathname}. The API is at /graphql.`, extensions: { code: 'NOT_FOUND' } }],
      });
    } catch (error) {
      const status = error instanceof HttpError ? error.status : 500;
      const code = error instanceof HttpError ? error.code : 'INTERNAL_SERVER_ERROR';
      if (!(error instanceof HttpError))
        log.error(
          { requestId, err: { message: (error as Error).message, stack: (error as Error).stack } },
          'request failed',
        );
      const message =
        error instanceof HttpError ? error.message : `Internal error. Quote reference ${requestId} when reporting it.`;
      if (!res.headersSent) sendJson(res, status, { errors: [{ message, extensions: { code, requestId } }] });
      else res.destroy();
    }
  }

  // requests being handled: shutdown waits for them before it closes the database
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const httpServer = createHttpServer((req, res) => {
    inFlight++;
    void handle(req, res).finally(() => {
      inFlight--;
      if (inFlight === 0) drained?.();
    });
  });
  httpServer.keepAliveTimeout = 5_000;
  httpServer.headersTimeout = 10_000;
  httpServer.requestTimeout = 30_000;

  let closing: Promise<void> | null = null;
  return {
    config,
    db,
    services,
    log,
    httpServer,
    setStatementCounting(on: boolean) {
      counting = on;
    },
    listen(port = config.port, host = config.host) {
      return new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(port, host, () => {
          const address = httpServer.address() as AddressInfo;
          log.info({ database: describeDatabase(config.database) }, `listening on http://${host}:${address.port}`);
          resolve(`http://${host}:${address.port}`);
        });
      });
    },
    close() {
      closing ??= (async () => {
        await new Promise<void>((resolve) => {
          httpServer.close(() => resolve());
          httpServer.closeIdleConnections();
        });
        // a request whose client went away has no connection left, but may still be running
        if (inFlight > 0) await new Promise<void>((resolve) => (drained = resolve));
        await apollo.stop();
        await services.keyUsage.stop();
        await services.usageRecorder.stop();
        await services.events.engine.stop();
        await db.close();
        redis?.disconnect();
      })();
      return closing;
    },
  };
}
