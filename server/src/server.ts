import 'reflect-metadata';
import { ApolloServer } from '@apollo/server';
import {
  ApolloServerPluginCacheControlDisabled,
  ApolloServerPluginLandingPageDisabled,
  ApolloServerPluginUsageReportingDisabled,
} from '@apollo/server/plugin/disabled';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Redis from 'ioredis';
import { Registry } from 'prom-client';
import type { DestinationStream } from 'pino';
import type { Config } from './config';
import type { RequestContext } from './modules/request-context';
import { createServices, type Services } from './modules/services';
import { Database, describeDatabase } from './db/database';
import { ENTITIES } from './modules/entities';
import { compiledExecutor } from './http/compiled-executor';
import { CostGate, DEFAULT_COST_GATE_OPTIONS } from './http/cost/gate';
import { costPlugin } from './http/cost';
import { AddressBudget } from './http/address-budget';
import { createEdge } from './http/edge';
import { prepareExplorer } from './http/explorer';
import { errorMaskingPlugin } from './http/error-masking';
import { metricsPlugin } from './http/metrics';
import { tracingPlugin } from './http/tracing';
import { queryShapeRule } from './http/cost/query-limits';
import { rateLimitHeadersPlugin } from './http/rate-limit-headers';
import { reachOnlyPlugin } from './http/reach-only';
import { replicaReadsPlugin } from './http/replica-reads';
import { usagePlugin } from './http/usage';
import { PreparedDocuments, PreparedPipeline } from './http/prepared-pipeline';
import { RateLimits } from './http/rate-limits';
import { createRoutes } from './http/routes';
import { buildNokkelSchema } from './schema/build-schema';
import { seedDemoIfEmpty } from './seed/demo';
import { createLogger, type Logger } from './shared/logger';

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
  /** Nøkkel's own pipeline for validated documents; null when PREPARED_PIPELINE is off (tests read `served`). */
  readonly preparedPipeline: PreparedPipeline<RequestContext> | null;
  /** Starts listening; resolves with the base URL (http://host:port). */
  listen(port?: number, host?: string): Promise<string>;
  /** Graceful stop: refuses new connections, finishes in-flight requests, closes the database. */
  close(): Promise<void>;
  /** Turns the `x-sql-statements` header on or off (benchmarks count with it, then measure without). */
  setStatementCounting(on: boolean): void;
}

/** Loads the demo data into an empty database when SEED_DEMO asks for it. */
async function seedDemoIfAsked(config: Config, db: Database, log: Logger): Promise<void> {
  if (config.seedDemo && (await seedDemoIfEmpty(db))) {
    if (config.env === 'development') log.info('loaded the demo data');
    // demo accounts share one published password: anywhere but a developer's machine that is a way in
    else
      log.warn(
        { env: config.env },
        'loaded the demo data outside development (SEED_DEMO=on): its accounts share a known password',
      );
  }
}

interface ApolloParts {
  config: Config;
  log: Logger;
  db: Database;
  services: Services;
  rateLimits: RateLimits;
  /** The registry /metrics answers from; null when metrics are off. */
  metrics: Registry | null;
}

interface GraphqlPipelines {
  apollo: ApolloServer<RequestContext>;
  /** Nøkkel's own pipeline for documents Apollo has validated; null when PREPARED_PIPELINE is off. */
  prepared: PreparedPipeline<RequestContext> | null;
}

/**
 * Apollo Server with the schema, the executor, the limits and the plugins of this configuration,
 * and beside it (PREPARED_PIPELINE) Nøkkel's own pipeline for the documents Apollo has validated,
 * which calls the same plugins and runs operations prepared in the same store.
 */
function createPipelines({ config, log, db, services, rateLimits, metrics }: ApolloParts): GraphqlPipelines {
  const development = config.env === 'development';
  const schema = buildNokkelSchema();
  const traces = config.observability.tracesEndpoint;
  const documents = new PreparedDocuments(schema, config.executor);
  const plugins = [
    ApolloServerPluginLandingPageDisabled(),
    // cache hints are never used; left on, the plugin wraps every field resolver of every request
    ApolloServerPluginCacheControlDisabled(),
    ApolloServerPluginUsageReportingDisabled(),
    reachOnlyPlugin(),
    // without replicas every read goes to the primary: the hook would only cost the hot path
    ...(config.database.dialect === 'mysql' && config.database.replicaUrls?.length ? [replicaReadsPlugin()] : []),
    usagePlugin({ recorder: services.usageRecorder }),
    costPlugin({
      limits: config.queryLimits,
      rateLimits,
      gate: new CostGate(config.queryLimits.concurrentCost, DEFAULT_COST_GATE_OPTIONS),
    }),
    errorMaskingPlugin({ log, development: config.debugErrors }),
    rateLimitHeadersPlugin({ requestsPerMinute: config.rateLimits.requestsPerMinute }),
    ...(metrics ? [metricsPlugin({ registry: metrics, poolStats: () => db.poolStats() })] : []),
    ...(traces ? [tracingPlugin({ endpoint: traces, serviceName: config.observability.serviceName })] : []),
  ];
  const apollo = new ApolloServer<RequestContext>({
    ...(config.executor === 'jit' ? { gateway: compiledExecutor(schema, documents.operationFor) } : { schema }),
    introspection: config.introspection,
    includeStacktraceInErrorResponses: config.debugErrors,
    hideSchemaDetailsFromClientErrors: !development,
    allowBatchedHttpRequests: false,
    // main.ts stops the whole server on SIGTERM/SIGINT (drain, requests in flight, then Apollo);
    // Apollo's own handlers would stop it first and leave that graceful stop waiting for ever
    stopOnTerminationSignals: false,
    csrfPrevention: true,
    // automatic persisted queries keep a shared in-memory cache of documents: only when asked for
    persistedQueries: config.edge.persistedQueries ? {} : false,
    parseOptions: { maxTokens: config.queryLimits.maxTokens },
    validationRules: [queryShapeRule(config.queryLimits)],
    // the store of validated documents hears of each one Apollo validates
    plugins: config.preparedPipeline ? [...plugins, documents.plugin()] : plugins,
    logger: {
      debug: (m: unknown) => log.debug(String(m)),
      info: (m: unknown) => log.info(String(m)),
      warn: (m: unknown) => log.warn(String(m)),
      error: (m: unknown) => log.error(String(m)),
    },
  });
  const prepared = config.preparedPipeline
    ? new PreparedPipeline<RequestContext>({
        documents,
        plugins,
        apollo: { logger: apollo.logger, cache: apollo.cache, schema },
        includeStacktrace: config.debugErrors,
      })
    : null;
  return { apollo, prepared };
}

/** The background work of the services: usage and network trackers, the usage recorder, the event engine. */
function startServices(services: Services): void {
  for (const work of services.background) work.start();
}

async function stopServices(services: Services): Promise<void> {
  for (const work of services.background) await work.stop();
}

interface RunningParts {
  config: Config;
  httpServer: Server;
  drained: () => Promise<void>;
  apollo: ApolloServer<RequestContext>;
  prepared: PreparedPipeline<RequestContext> | null;
  services: Services;
  db: Database;
  redis: Redis | null;
}

/**
 * Graceful stop: drain (/readyz answers 503, answers close their connections) for
 * shutdownDrainMs, stop listening, wait for the requests in flight, then stop the rest.
 */
async function stopServer(parts: RunningParts, startDraining: () => void): Promise<void> {
  const { config, httpServer, drained, apollo, prepared, services, db, redis } = parts;
  startDraining();
  if ((config.shutdownDrainMs ?? 0) > 0 && httpServer.listening)
    await new Promise((resolve) => setTimeout(resolve, config.shutdownDrainMs));
  await new Promise<void>((resolve) => {
    httpServer.close(() => resolve());
    httpServer.closeIdleConnections();
  });
  // a request whose client went away has no connection left, but may still be running
  await drained();
  prepared?.stop();
  await apollo.stop();
  await stopServices(services);
  await db.close();
  redis?.disconnect();
}

/** Builds the server without listening, so tests start it in-process. */
export async function createServer({ config, logDestination }: CreateServerOptions): Promise<NokkelServer> {
  const log = createLogger(config.logLevel, logDestination);
  const db = new Database(config.database, ENTITIES, (message) => log.error(message));
  await db.connect();
  const migrations = await db.prepareSchema();
  if (migrations.length) log.info({ migrations }, 'ran migrations');
  await seedDemoIfAsked(config, db, log);

  const redis = config.redisUrl
    ? new Redis(config.redisUrl, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: false })
    : null;
  redis?.on('error', (error: Error) =>
    log.warn({ err: error.message }, 'redis unavailable; rate limits fall back to memory'),
  );
  const rateLimits = new RateLimits(config.rateLimits, redis);
  const services = createServices(db, config, log, rateLimits);
  startServices(services);
  const metrics = config.observability.metrics ? new Registry() : null;
  const { apollo, prepared } = createPipelines({ config, log, db, services, rateLimits, metrics });
  await apollo.start();
  // the explorer's page is rendered and gzipped once, in the background, outside tests
  if (config.explorer && config.env !== 'test')
    void prepareExplorer().catch((error: unknown) =>
      log.error({ err: { message: (error as Error).message } }, 'the explorer page could not be prepared'),
    );
  let counting = config.exposeStatementCount;
  const addressBudget = new AddressBudget(config.edge.addressBudget, redis, config.rateLimits.prefix);
  // on close: /readyz answers 503 and every answer closes its connection for shutdownDrainMs, so a
  // load balancer stops sending here before the listener closes (docs/SCALING.md)
  let draining = false;
  const route = createRoutes({
    config,
    db,
    services,
    log,
    apollo,
    prepared,
    addressBudget,
    rateLimits,
    metrics,
    counting: () => counting,
    draining: () => draining,
  });
  const { httpServer, drained } = createEdge(config, log, addressBudget, route);
  httpServer.prependListener('request', (_req, res) => {
    if (draining) res.setHeader('connection', 'close');
  });

  let closing: Promise<void> | null = null;
  return {
    config,
    db,
    services,
    log,
    httpServer,
    preparedPipeline: prepared,
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
      closing ??= stopServer({ config, httpServer, drained, apollo, prepared, services, db, redis }, () => {
        draining = true;
      });
      return closing;
    },
  };
}
