import { ROOT_CONTEXT, SpanKind, SpanStatusCode, type Context, type TextMapGetter } from '@opentelemetry/api';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import type { OperationSpan, Tracing, TracingPluginOptions } from './types';

const headerGetter: TextMapGetter<Map<string, string>> = {
  keys: (headers) => [...headers.keys()],
  get: (headers, key) => headers.get(key.toLowerCase()),
};

/**
 * The OpenTelemetry machinery, loaded only when tracing is on: a tracer provider of its own (the
 * global one is left alone), a batch processor and the OTLP/HTTP (JSON) exporter. A caller's
 * `traceparent` makes the operation's span a child of the caller's trace.
 */
export function startTracing(options: TracingPluginOptions): Tracing {
  const exporter = new OTLPTraceExporter({ url: options.endpoint, headers: options.headers ?? {} });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [new BatchSpanProcessor(exporter)],
  });
  const tracer = provider.getTracer('nokkel');
  const propagator = new W3CTraceContextPropagator();
  return {
    start(headers: Map<string, string>, startTime: number): OperationSpan {
      const parent: Context = propagator.extract(ROOT_CONTEXT, headers, headerGetter);
      const span = tracer.startSpan('graphql', { kind: SpanKind.SERVER, startTime }, parent);
      return {
        end({ name, type, outcome, requestId }) {
          // the span's name, as OpenTelemetry's GraphQL conventions have it: "query Viewer"
          span.updateName(name ? `${type ?? 'operation'} ${name}` : (type ?? 'graphql'));
          if (name) span.setAttribute('graphql.operation.name', name);
          if (type) span.setAttribute('graphql.operation.type', type);
          span.setAttribute('nokkel.outcome', outcome);
          if (requestId) span.setAttribute('nokkel.request_id', requestId);
          // only the code: messages can name a company or a person
          if (outcome !== 'ok') span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
          span.end();
        },
      };
    },
    async shutdown() {
      await provider.shutdown();
    },
  };
}
