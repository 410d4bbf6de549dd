import type { ApolloServerPlugin } from '@apollo/server';
import type { RequestContext } from '../../modules/request-context';
import { outcomeOf } from '../operation-outcome';
import type { Tracing, TracingPluginOptions } from './types';

export type { TracingPluginOptions } from './types';

/**
 * OpenTelemetry tracing (README: Metrics and tracing): one span per GraphQL request, named after
 * its operation ("query Viewer"), with the operation's name and type, its outcome (`ok` or the
 * first error's code) and the request id, exported over OTLP/HTTP. The OpenTelemetry packages are
 * loaded when the server starts with this plugin, and never otherwise: with tracing off nothing of
 * them is in the process. Spans hold no document, variables, company or person.
 */
export function tracingPlugin(options: TracingPluginOptions): ApolloServerPlugin<RequestContext> {
  let tracing: Tracing | null = null;
  return {
    async serverWillStart() {
      // loaded here, not at the top: a server without tracing never loads OpenTelemetry
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load of this package's own module
      const { startTracing } = require('./otlp') as typeof import('./otlp');
      const started = startTracing(options);
      tracing = started;
      return {
        async serverWillStop() {
          tracing = null;
          await started.shutdown(); // sends the spans still waiting in the batch
        },
      };
    },
    async requestDidStart({ request, contextValue }) {
      const span = tracing?.start(request.http?.headers ?? new Map<string, string>(), Date.now());
      if (!span) return;
      return {
        async willSendResponse({ operationName, operation, response, errors }) {
          const body = response.body.kind === 'single' ? response.body.singleResult : null;
          span.end({
            name: operation ? (operationName ?? null) : null,
            type: operation?.operation ?? null,
            outcome: outcomeOf(errors ?? body?.errors),
            requestId: contextValue.requestId ?? null,
          });
        },
      };
    },
  };
}
