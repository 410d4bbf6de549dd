import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import type { GraphQLError } from 'graphql';
import type { Registry } from 'prom-client';
import type { PoolStats } from '../../db/database';
import { outcomeOf } from '../operation-outcome';
import { Instruments } from './instruments';
import { OperationLabels } from './operation-labels';

export { metricsEndpoint, type MetricsEndpointOptions } from './endpoint';

export interface MetricsPluginOptions {
  /** The registry the metrics are kept in; `/metrics` serves it (metricsEndpoint). Required. */
  registry: Registry;
  /** The database pool's state (`Database.poolStats`); when absent or null (SQLite), no pool gauges. Default: none. */
  poolStats?: () => PoolStats | null;
  /** Distinct operation names kept as label values; later names count as `other`. Default: 200. */
  maxOperationNames?: number;
  /** Also report Node.js process metrics (memory, CPU, event loop lag, GC) from prom-client. Default: true. */
  processMetrics?: boolean;
  /** Prefix of every metric's name. Default: `nokkel_`. */
  prefix?: string;
}

/**
 * Prometheus metrics for the server (README: Metrics): every GraphQL request counted by operation
 * name and outcome, with its latency; rate-limit refusals by limiter, cost-gate waits and refusals,
 * webhook delivery attempts by outcome, SQL statements and, on MySQL/MariaDB, the connection pool.
 * Labels never hold a tenant, a person or a credential; operation names are the client's own, so
 * their number is capped.
 */
export function metricsPlugin(options: MetricsPluginOptions): ApolloServerPlugin<BaseContext> {
  const instruments = new Instruments({
    registry: options.registry,
    prefix: options.prefix ?? 'nokkel_',
    poolStats: options.poolStats,
    processMetrics: options.processMetrics ?? true,
  });
  const labels = new OperationLabels(options.maxOperationNames ?? 200);
  const count = (operation: string, outcome: string, seconds: number | null) => {
    instruments.requests.inc({ operation, outcome });
    if (seconds !== null) instruments.duration.observe({ operation }, seconds);
  };

  return {
    async serverWillStart() {
      const stop = instruments.listen();
      return {
        async serverWillStop() {
          stop();
        },
      };
    },
    // refused before an operation was known: a credential that does not authenticate, a malformed request
    async contextCreationDidFail({ error }) {
      count(OperationLabels.UNKNOWN, outcomeOf([error as GraphQLError]), null);
    },
    async invalidRequestWasReceived() {
      count(OperationLabels.UNKNOWN, 'BAD_REQUEST', null);
    },
    async requestDidStart() {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          // only names of operations the document really has: a name sent with a document that does not parse is unverified
          const name = operation ? labels.of(operationName) : OperationLabels.UNKNOWN;
          count(name, outcomeOf(errors ?? body?.errors), (performance.now() - started) / 1000);
        },
      };
    },
  };
}
