/** The contracts between the tracing plugin and the OpenTelemetry machinery it loads on demand. */

export interface TracingPluginOptions {
  /** Where spans are sent: the OTLP/HTTP traces URL (`…/v1/traces`). Required. */
  endpoint: string;
  /** The `service.name` of every span. Default: `nokkel`. */
  serviceName: string;
  /** Extra headers for the exporter's requests (a collector's API key). Default: none. */
  headers?: Record<string, string>;
}

export interface OperationEnd {
  /** The operation's name, if it has one and it was resolved. */
  name: string | null;
  /** `query`, `mutation` or `subscription`, once resolved. */
  type: string | null;
  /** `ok`, or the code of the first error. */
  outcome: string;
  requestId: string | null;
}

export interface OperationSpan {
  end(what: OperationEnd): void;
}

export interface Tracing {
  /** Starts the span of one request, as a child of the caller's `traceparent` when it sent one. */
  start(headers: Map<string, string>, startTime: number): OperationSpan;
  /** Sends what is left and stops. */
  shutdown(): Promise<void>;
}
