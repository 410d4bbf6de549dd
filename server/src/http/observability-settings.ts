/** Metrics and tracing (README: Metrics and tracing). */
export interface ObservabilitySettings {
  /** Serves Prometheus metrics at `/metrics` (METRICS, on). */
  metrics: boolean;
  /** When set, `/metrics` needs `Authorization: Bearer <token>` (METRICS_TOKEN). */
  metricsToken: string | null;
  /**
   * Where OpenTelemetry traces go over OTLP/HTTP: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT as it is, or
   * OTEL_EXPORTER_OTLP_ENDPOINT + `/v1/traces`; null (neither set): no tracing, nothing loaded.
   */
  tracesEndpoint: string | null;
  /** The `service.name` of the spans (OTEL_SERVICE_NAME, `nokkel`). */
  serviceName: string;
}

function url(value: string, name: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw new Error(`${name} must be an http(s) URL (got "${value.slice(0, 100)}")`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    throw new Error(`${name} must be an http(s) URL (got "${parsed.protocol}…")`);
  return parsed;
}

/** The traces URL from the OpenTelemetry environment variables, as the OTLP exporter specification combines them. */
function tracesEndpoint(env: NodeJS.ProcessEnv): string | null {
  const traces = env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT?.trim();
  if (traces) return url(traces, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT').href;
  const base = env.OTEL_EXPORTER_OTLP_ENDPOINT?.trim();
  if (!base) return null;
  const parsed = url(base, 'OTEL_EXPORTER_OTLP_ENDPOINT');
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/v1/traces`;
  return parsed.href;
}

export function loadObservabilitySettings(env: NodeJS.ProcessEnv): ObservabilitySettings {
  const metrics = env.METRICS ?? '';
  if (metrics !== '' && !/^(1|on|true|yes|0|off|false|no)$/i.test(metrics))
    throw new Error(`METRICS must be on or off (got "${metrics}")`);
  const token = env.METRICS_TOKEN ?? '';
  if (token !== '' && !/^[\x21-\x7e]{16,512}$/.test(token))
    throw new Error('METRICS_TOKEN must be 16–512 printable characters without spaces');
  return {
    metrics: !/^(0|off|false|no)$/i.test(metrics),
    metricsToken: token || null,
    tracesEndpoint: tracesEndpoint(env),
    serviceName: env.OTEL_SERVICE_NAME?.trim() || 'nokkel',
  };
}
