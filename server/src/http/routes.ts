import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Registry } from 'prom-client';
import type { HttpSettings } from './settings';
import type { RequestContext } from '../modules/request-context';
import type { Services } from '../modules/services';
import type { Database } from '../db/database';
import type { StatementTally } from '../db/work-scope';
import { inRequestScope } from '../db/work-scope';
import type { Logger } from '../shared/logger';
import type { AddressBudget } from './address-budget';
import { parseJsonBody, readBody } from './body';
import { explorerBody } from './explorer';
import { graphqlContext } from './graphql-context';
import { HttpError, tooManyRequests } from './http-error';
import { metricsEndpoint } from './metrics';
import { credentialDigest, type RateLimits } from './rate-limits';
import { graphqlResponseStatus } from './response-status';
import type { RequestTarget } from './request-target';
import { SECURITY_HEADERS, errorBody, header, jsonBody, send } from './respond';
import { loadWebUi } from './web-ui';
import type { PreparedPipeline } from './prepared-pipeline';

/** What the edge knows about a request once it has been admitted. */
export interface Arrival {
  requestId: string;
  /** The client's address (through trusted proxies), as budgets and the login limit see it. */
  clientIp: string;
}

export interface RouteDependencies {
  config: HttpSettings;
  db: Database;
  services: Services;
  log: Logger;
  apollo: ApolloServer<RequestContext>;
  /** Nøkkel's own pipeline for validated documents (PREPARED_PIPELINE); Apollo answers what it does not. */
  prepared: PreparedPipeline<RequestContext> | null;
  addressBudget: AddressBudget;
  /** The per-credential budgets: a spent one is refused here, before the body and the lookup. */
  rateLimits: RateLimits;
  /** The metrics registry `/metrics` serves; null when METRICS is off. */
  metrics: Registry | null;
  /** Whether to count SQL statements into `x-sql-statements` (benchmarks switch it). */
  counting(): boolean;
  /** True once the server is stopping: /readyz answers 503 so a load balancer sends nothing new. */
  draining?(): boolean;
}

export type Route = (
  req: IncomingMessage,
  res: ServerResponse,
  target: RequestTarget,
  arrival: Arrival,
) => Promise<void>;

/** The server's routes: /graphql (GraphQL and the explorer), /healthz, /readyz, /metrics, the web app, and 404 for anything else. */
export function createRoutes(deps: RouteDependencies): Route {
  const { config, db, log } = deps;
  const writeTimeout = config.edge.writeTimeoutMs;
  const sendJson = (res: ServerResponse, status: number, value: unknown) => {
    const { headers, body } = jsonBody(value);
    send(res, status, headers, body, writeTimeout);
  };
  const graphql = graphqlRoute(deps);
  const metrics = deps.metrics
    ? metricsEndpoint({
        registry: deps.metrics,
        token: config.observability.metricsToken,
        writeTimeoutMs: writeTimeout,
      })
    : null;
  const webUi = config.webUi ? loadWebUi() : null;
  if (config.webUi && !webUi)
    log.warn('WEB_UI is on but the web app is not built (npm run build -w web): / is not served');

  return async (req, res, target, arrival) => {
    if (target.pathname === '/graphql') return graphql(req, res, target, arrival);
    if (target.pathname === '/healthz' && req.method === 'GET') return sendJson(res, 200, { status: 'ok' });
    if (target.pathname === '/readyz' && req.method === 'GET') {
      if (deps.draining?.()) return sendJson(res, 503, { status: 'draining' });
      const [ready, replicas] = await Promise.all([db.ping(), db.replicaStatus()]);
      // a replica that is down is skipped (its reads go to the primary): reported, not unready
      return sendJson(res, ready ? 200 : 503, {
        status: ready ? 'ready' : 'database unreachable',
        ...(replicas.length ? { replicas } : {}),
      });
    }
    if (target.pathname === '/metrics' && metrics) return metrics(req, res);
    if (webUi?.(req, res, target.pathname, SECURITY_HEADERS)) return;
    log.debug({ requestId: arrival.requestId, path: target.pathname }, 'no such route');
    return sendJson(
      res,
      404,
      errorBody(`Nothing at ${target.pathname.slice(0, 200)}. The API is at /graphql.`, { code: 'NOT_FOUND' }),
    );
  };
}

function graphqlRoute(deps: RouteDependencies): Route {
  const { config, db, services, log, apollo, prepared, addressBudget, rateLimits, counting } = deps;
  const writeTimeout = config.edge.writeTimeoutMs;
  return async (req, res, target, { requestId, clientIp }) => {
    if (req.method === 'GET' && config.explorer && /text\/html/.test(header(req, 'accept') ?? '')) {
      const page = await explorerBody(header(req, 'accept-encoding'));
      // the same shared Buffer for every response: nothing is copied per request
      return send(res, 200, { ...page.headers, 'cache-control': 'no-cache' }, page.body, writeTimeout);
    }
    if (req.method !== 'GET' && req.method !== 'POST')
      throw new HttpError(405, 'Use GET or POST.', 'METHOD_NOT_ALLOWED');
    const authorization = header(req, 'authorization');
    const companyId = header(req, 'x-company-id');
    const credential = authorization?.trim() ? credentialDigest(authorization, companyId) : null;
    // a credential whose owner spent the minute's request or cost budget is refused until it refills,
    // before its body is read and its credential looked up (rate-limits.ts: SpentBudgets)
    const spentMs = credential ? rateLimits.spent.remainingMs(credential) : 0;
    if (spentMs > 0) throw tooManyRequests(rateLimits.settings.requestsPerMinute, spentMs, 'Too many requests.');
    // a caller without a credential sends a login or a document, never a megabyte: its smaller
    // limit refuses a large body by its declared length, before it is read, decoded or parsed
    const limit = credential ? config.bodyLimitBytes : Math.min(config.anonymousBodyLimitBytes, config.bodyLimitBytes);
    // a large body costs its address by size (a 1 MB e-mail, 64 requests' worth): by its declared
    // length before it is read, else once read, and before it is parsed either way
    const declared = Number(header(req, 'content-length'));
    const charged = Number.isSafeInteger(declared) && declared > 0 && declared <= limit;
    if (req.method === 'POST' && charged) await addressBudget.chargeBody(clientIp, declared);
    const raw = req.method === 'POST' ? await readBody(req, limit) : '';
    if (!charged && raw.length > 0) await addressBudget.chargeBody(clientIp, Buffer.byteLength(raw));
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const body = req.method === 'POST' && /json/.test(headers.get('content-type') ?? '') ? parseJsonBody(raw) : raw;
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method, headers, search: target.search, body };
    const context = graphqlContext(
      { db, services, log, addressBudget, clock: config.clock },
      { authorization, companyId, requestId, clientIp, credentialDigest: credential },
    );
    const execute = async () =>
      (await prepared?.handle(httpGraphQLRequest, context)) ??
      apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context });
    // one scope for the request's database work (db/work-scope.ts): its tenant for the pool's share
    // (set once the cost plugin knows it), whether its lag-tolerant reads may go to a replica
    // (docs/SCALING.md), and its statement count when asked for
    const tally: StatementTally | null = counting() ? { statements: 0 } : null;
    const response = await inRequestScope(execute, tally);
    const out: Record<string, string> = { 'cache-control': 'no-store' };
    for (const [name, value] of response.headers) out[name] = value;
    if (tally) out['x-sql-statements'] = String(tally.statements);
    let text = '';
    if (response.body.kind === 'complete') text = response.body.string;
    else for await (const chunk of response.body.asyncIterator) text += chunk;
    send(res, graphqlResponseStatus(response.status ?? 200, out['content-type'], text), out, text, writeTimeout);
  };
}
