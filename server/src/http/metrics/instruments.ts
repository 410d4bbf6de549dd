import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';
import type { PoolStats } from '../../db/database';
import { observe, type LimiterName, type WebhookOutcome } from '../../shared/instrumentation';

const LIMITERS: LimiterName[] = [
  'requests',
  'cost',
  'login_account_address',
  'login_account',
  'login_address',
  'leak_reports',
  'address_requests',
  'address_auth_failures',
  'address_bad_requests',
];
const WEBHOOK_OUTCOMES: WebhookOutcome[] = ['delivered', 'retrying', 'failed'];

/** Seconds: a cheap read is a few milliseconds; 10 s is where the cost gate gives up waiting. */
const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface InstrumentsOptions {
  registry: Registry;
  prefix: string;
  poolStats: (() => PoolStats | null) | undefined;
  processMetrics: boolean;
}

/**
 * The server's metrics, registered in one registry. Requests are counted by the plugin; what
 * happens elsewhere (limits, the cost gate, webhooks, statements) arrives through the
 * instrumentation channels while `listen()` is on.
 */
export class Instruments {
  readonly requests: Counter<'operation' | 'outcome'>;
  readonly duration: Histogram<'operation'>;
  private readonly refusals: Counter<'limiter'>;
  private readonly gateWait: Histogram;
  private readonly gateRefusals: Counter<'reason'>;
  private readonly webhookAttempts: Counter<'outcome'>;
  private readonly webhookDisabled: Counter;
  private readonly statements: Counter;
  private readonly statementErrors: Counter;

  constructor({ registry, prefix, poolStats, processMetrics }: InstrumentsOptions) {
    const registers = [registry];
    // a counter by one label starts at 0 for each of its values, so a scrape shows every series
    const counter = (name: string, help: string, labelNames: string[] = [], zeroes: readonly string[] = []) => {
      const made = new Counter({ name: `${prefix}${name}`, help, labelNames, registers });
      for (const value of zeroes) made.inc({ [labelNames[0]]: value }, 0);
      return made;
    };
    this.requests = counter(
      'graphql_requests_total',
      'GraphQL requests by operation name and outcome (ok, or the code of the first error).',
      ['operation', 'outcome'],
    );
    this.duration = new Histogram({
      name: `${prefix}graphql_request_duration_seconds`,
      help: 'Time from the start of a GraphQL request to its response, by operation name.',
      labelNames: ['operation'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.refusals = counter(
      'rate_limit_refusals_total',
      'Requests refused with RATE_LIMITED, by the limit that refused them.',
      ['limiter'],
      LIMITERS,
    );
    this.gateWait = new Histogram({
      name: `${prefix}cost_gate_wait_seconds`,
      help: 'How long operations that had to wait at the cost gate waited before they ran.',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.gateRefusals = counter(
      'cost_gate_refusals_total',
      'Operations refused at the cost gate: waited too long (timeout) or too many waiting for one company (backlog).',
      ['reason'],
      ['timeout', 'backlog'],
    );
    this.webhookAttempts = counter(
      'webhook_delivery_attempts_total',
      'Webhook delivery attempts by outcome: delivered, failed with a retry to come (retrying), failed for good (failed).',
      ['outcome'],
      WEBHOOK_OUTCOMES,
    );
    this.webhookDisabled = counter(
      'webhook_endpoints_disabled_total',
      'Webhook endpoints turned off because every delivery failed for too long.',
    );
    this.statements = counter('db_statements_total', 'SQL statements sent to the database.');
    this.statementErrors = counter('db_statement_errors_total', 'SQL statements the database answered with an error.');
    if (poolStats?.()) this.poolGauges(prefix, registers, poolStats);
    if (processMetrics) collectDefaultMetrics({ register: registry, prefix });
  }

  private poolGauges(prefix: string, registers: Registry[], poolStats: () => PoolStats | null): void {
    // read from the pool when scraped
    const gauge = (
      name: string,
      help: string,
      read: (set: Gauge['set'], stats: PoolStats | null) => void,
      labelNames: string[] = [],
    ) =>
      new Gauge({
        name: `${prefix}${name}`,
        help,
        labelNames,
        registers,
        collect() {
          read(this.set.bind(this) as Gauge['set'], poolStats());
        },
      });
    gauge(
      'db_pool_connections',
      'Connections of the database pool, in use or idle.',
      (set, stats) => {
        if (!stats) return;
        set({ state: 'in_use' }, stats.inUse);
        set({ state: 'idle' }, stats.idle);
      },
      ['state'],
    );
    gauge(
      'db_pool_waiting',
      'Requests for a database connection waiting because every connection is in use.',
      (set, stats) => set(stats?.waiting ?? 0),
    );
    gauge('db_pool_max', 'The most connections the pool opens (DATABASE_POOL_SIZE).', (set, stats) =>
      set(stats?.max ?? 0),
    );
  }

  /** Subscribes to the instrumentation channels; returns the function that unsubscribes. */
  listen(): () => void {
    const stops = [
      observe('nokkel:rate-limit.refused', ({ limiter }) => this.refusals.inc({ limiter })),
      observe('nokkel:cost-gate.waited', ({ ms }) => this.gateWait.observe(ms / 1000)),
      observe('nokkel:cost-gate.refused', ({ reason }) => this.gateRefusals.inc({ reason })),
      observe('nokkel:webhook.attempt', ({ outcome, disabledEndpoint }) => {
        this.webhookAttempts.inc({ outcome });
        if (disabledEndpoint) this.webhookDisabled.inc();
      }),
      observe('nokkel:db.statement', ({ failed }) => (failed ? this.statementErrors : this.statements).inc()),
    ];
    return () => stops.forEach((stop) => stop());
  }
}
