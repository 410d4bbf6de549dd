import { Registry } from 'prom-client';
import { CostGate } from '../../server/src/http/cost/gate';
import { metricsPlugin } from '../../server/src/http/metrics';
import { OperationLabels } from '../../server/src/http/metrics/operation-labels';
import { loadObservabilitySettings } from '../../server/src/http/observability-settings';
import { parsePrometheusText } from '../testkit/prometheus-text';

/**
 * The parts of the metrics that a request cannot reach deterministically on SQLite, whose queries
 * never yield mid-operation (so nothing waits at the cost gate there): the gate's instrumentation
 * into the plugin's registry, the cap on operation names, and the settings.
 */

async function startedPlugin() {
  const registry = new Registry();
  const plugin = metricsPlugin({ registry, processMetrics: false });
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the hook's argument is not read
  const listener = await plugin.serverWillStart!({} as any);
  return { registry, stop: () => listener?.serverWillStop?.() };
}

test('cost-gate waits and refusals (timeout, backlog) reach /metrics through the plugin', async () => {
  const { registry, stop } = await startedPlugin();
  try {
    const gate = new CostGate(10, { maxWaitMs: 50, maxWaitingPerTenant: 1 });
    await gate.enter(10, 'a');
    const waiting = gate.enter(5, 'b'); // waits for room
    await expect(gate.enter(5, 'b')).rejects.toMatchObject({ extensions: { code: 'RATE_LIMITED' } }); // backlog
    await new Promise((resolve) => setTimeout(resolve, 20));
    gate.leave(10, 'a');
    await waiting;
    await gate.enter(10, 'c').catch(() => undefined); // b holds 5: c waits, then times out
    const text = await registry.metrics();
    const m = parsePrometheusText(text);
    expect(m.value('nokkel_cost_gate_wait_seconds_count')).toBe(1);
    expect(m.value('nokkel_cost_gate_wait_seconds_sum')).toBeGreaterThanOrEqual(0.015);
    expect(m.value('nokkel_cost_gate_refusals_total', { reason: 'backlog' })).toBe(1);
    expect(m.value('nokkel_cost_gate_refusals_total', { reason: 'timeout' })).toBe(1);
  } finally {
    await stop();
  }
});

test('after serverWillStop the plugin no longer counts', async () => {
  const { registry, stop } = await startedPlugin();
  await stop();
  const gate = new CostGate(1, { maxWaitingPerTenant: 0 });
  await gate.enter(1, 'a');
  await expect(gate.enter(1, 'a')).rejects.toBeTruthy();
  expect(
    parsePrometheusText(await registry.metrics()).value('nokkel_cost_gate_refusals_total', { reason: 'backlog' }),
  ).toBe(0);
});

test('operation names: GraphQL names only, and only the first N distinct ones', () => {
  const labels = new OperationLabels(2);
  expect(labels.of(undefined)).toBe('anonymous');
  expect(labels.of('Viewer')).toBe('Viewer');
  expect(labels.of('not a name')).toBe('unknown');
  expect(labels.of('Clients')).toBe('Clients');
  expect(labels.of('Third')).toBe('other');
  expect(labels.of('Viewer')).toBe('Viewer');
});

test('settings: metrics on by default, METRICS_TOKEN checked, OTLP endpoint as the OpenTelemetry variables say', () => {
  expect(loadObservabilitySettings({})).toEqual({
    metrics: true,
    metricsToken: null,
    tracesEndpoint: null,
    serviceName: 'nokkel',
  });
  expect(loadObservabilitySettings({ METRICS: 'off' }).metrics).toBe(false);
  expect(() => loadObservabilitySettings({ METRICS: 'maybe' })).toThrow(/METRICS must be on or off/);
  expect(() => loadObservabilitySettings({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN/);
  expect(loadObservabilitySettings({ METRICS_TOKEN: 'a-long-enough-token-123' }).metricsToken).toBe(
    'a-long-enough-token-123',
  );
  expect(loadObservabilitySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' }).tracesEndpoint).toBe(
    'http://collector:4318/v1/traces',
  );
  expect(
    loadObservabilitySettings({
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318',
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://other:4318/traces',
    }).tracesEndpoint,
  ).toBe('http://other:4318/traces');
  expect(() => loadObservabilitySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318' })).toThrow(/http/);
});
