import type { AddressBudgetSettings } from './address-budget';
import type { TrustProxy } from './client-address';
import type { ObservabilitySettings } from './observability-settings';

/*
 * What of the configuration the HTTP layer reads: a type-only contract, so http/ never imports
 * config.ts (which reads the environment and sits above every layer). `Config` extends it.
 */

export interface EdgeSettings {
  /** Open connections one client address may hold (MAX_CONNECTIONS_PER_ADDRESS); the socket's address. */
  maxConnectionsPerAddress: number;
  /** A response that makes no progress this long (the client stopped reading) loses its socket (WRITE_TIMEOUT_MS). */
  writeTimeoutMs: number;
  /** Requests and failed authentications per address, counted as a request arrives. */
  addressBudget: AddressBudgetSettings;
  /** Host header values accepted (ALLOWED_HOSTS); null: any. */
  allowedHosts: string[] | null;
  /** Apollo's automatic persisted queries (PERSISTED_QUERIES, off). */
  persistedQueries: boolean;
  /**
   * How long a refusal of a spent budget at the edge (429) is held before it is answered
   * (REFUSAL_HOLD_MS, 1000; 0: at once).
   */
  refusalHoldMs: number;
}

/** Which engine executes operations: graphql-jit (compiled, the default) or graphql-js. */
export type Executor = 'jit' | 'graphql-js';

/** The settings the edge and the routes read. */
export interface HttpSettings {
  /** The execution engine (GRAPHQL_EXECUTOR; README: Configuration); both give the same answers and errors. */
  executor: Executor;
  /**
   * Documents already parsed and validated are run by Nøkkel's own pipeline, Apollo's otherwise
   * (PREPARED_PIPELINE, on; README: Configuration). Both give the same answers and errors.
   */
  preparedPipeline: boolean;
  /** Proxies whose `X-Forwarded-For` names the client (README: Behind a proxy); none by default. */
  trustProxy: TrustProxy;
  /** The HTTP edge: connections, timeouts, the per-address budget, hosts (README: Configuration). */
  edge: EdgeSettings;
  /** Serves the web app (web/dist, the "API-tilgang" screens) at `/` (README: The web app). */
  webUi: boolean;
  /** Serves the explorer to a browser's GET of /graphql. */
  explorer: boolean;
  /** The largest request body (BODY_LIMIT_BYTES). */
  bodyLimitBytes: number;
  /**
   * The largest body of a request without an `Authorization` header (ANONYMOUS_BODY_LIMIT_BYTES):
   * what such a caller may send (a login, an explorer document) fits in a few kilobytes, and a
   * megabyte that is read, decoded and parsed costs the server ~10 ms of CPU before it is refused.
   */
  anonymousBodyLimitBytes: number;
  /** The clock every request reads its `now` from: the system clock unless tests give another. */
  clock?: () => Date;
  /** On SIGTERM, how long /readyz answers 503 before the listener closes (SHUTDOWN_DRAIN_MS; docs/SCALING.md). */
  shutdownDrainMs?: number;
  /** Prometheus metrics at /metrics and OpenTelemetry tracing (README: Metrics and tracing). */
  observability: ObservabilitySettings;
}
