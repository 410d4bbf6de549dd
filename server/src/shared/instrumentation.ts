import diagnostics from 'node:diagnostics_channel';

/**
 * Instrumentation points: the places where something worth counting happens (a rate limit refuses,
 * the cost gate makes a request wait, a webhook attempt ends, a statement runs) publish a small
 * message on a named diagnostics channel, and whoever wants to count subscribes (the metrics plugin,
 * server/src/http/metrics). Publishing costs nothing while nobody listens, and the code that limits,
 * waits or delivers stays unaware of Prometheus. Channels are per process, like the metrics.
 *
 * Messages never carry a tenant, a credential or a person: only which mechanism and what outcome.
 */

/** Which limiter refused a request (README: Limits). */
export type LimiterName =
  | 'requests'
  | 'cost'
  | 'login_account_address'
  | 'login_account'
  | 'login_address'
  | 'leak_reports'
  | 'address_requests'
  | 'address_auth_failures'
  | 'address_bad_requests';

/** How a webhook attempt ended: delivered, failed with a retry to come, or failed for good. */
export type WebhookOutcome = 'delivered' | 'retrying' | 'failed';

export interface InstrumentationMessages {
  'nokkel:rate-limit.refused': { limiter: LimiterName };
  'nokkel:cost-gate.waited': { ms: number };
  'nokkel:cost-gate.refused': { reason: 'timeout' | 'backlog' };
  'nokkel:webhook.attempt': { outcome: WebhookOutcome; ms: number; disabledEndpoint: boolean };
  'nokkel:db.statement': { failed: boolean };
}

export type InstrumentationPoint = keyof InstrumentationMessages;

// held here so the channels (and their subscribers) live as long as the process
const channels = new Map<InstrumentationPoint, diagnostics.Channel>();

function channelOf(point: InstrumentationPoint): diagnostics.Channel {
  let channel = channels.get(point);
  if (!channel) {
    channel = diagnostics.channel(point);
    channels.set(point, channel);
  }
  return channel;
}

/** Publishes a message at an instrumentation point; a no-op while nobody subscribes. */
export function instrument<P extends InstrumentationPoint>(point: P, message: InstrumentationMessages[P]): void {
  const channel = channelOf(point);
  if (channel.hasSubscribers) channel.publish(message);
}

/** Subscribes to an instrumentation point; returns the function that unsubscribes. */
export function observe<P extends InstrumentationPoint>(
  point: P,
  listener: (message: InstrumentationMessages[P]) => void,
): () => void {
  const channel = channelOf(point);
  const handler = (message: unknown) => listener(message as InstrumentationMessages[P]);
  channel.subscribe(handler);
  return () => channel.unsubscribe(handler);
}
