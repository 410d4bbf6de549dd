import type { LoadDriver } from './driver/load-driver';
import type { RequestVariant, StreamResult, StreamSpec } from './driver/protocol';
import type { BenchSettings } from './settings';
import { ms, summarise, table } from './stats';

/** One line of the bench's table. */
export interface Row {
  scenario: string;
  /** 'Nøkkel' (the default executor), 'Nøkkel graphql-js', or 'raw'. */
  server: string;
  reqPerSec: number;
  mean: number;
  p50: number;
  p99: number;
  statements: string;
  rssMb: number | null;
  /** CPU time of the server's process per response, user + system. */
  cpuMsPerReq: number | null;
  errors: number;
}

export interface Measured {
  result: StreamResult;
  rss: number | null;
  /** CPU ms of the server's process per response, over every stream of the run. */
  cpuMsPerReq: number | null;
}

/**
 * autocannon drops its connections at the end of a run with requests still being processed; give
 * the server time to finish them so they do not spill into the next measurement.
 */
export function settle(results: StreamResult[]): Promise<void> {
  const slowest = Math.max(...results.map((r) => r.latency.p99));
  return new Promise((resolve) => setTimeout(resolve, Math.min(5000, Math.max(300, slowest * 1.5))));
}

/** One server in a comparison (Measurements.compare). */
export interface Contender {
  url: string;
  name: string;
  variants: RequestVariant[];
  /** Whether its peak RSS counts in the bench's figure (this release's graphql-jit server). */
  trackRss: boolean;
  /** Wraps each of its turns (the Nøkkel servers turn statement counting off meanwhile). */
  around?: (run: () => Promise<Measured[]>) => Promise<Measured[]>;
  /**
   * The CPU time and peak RSS of the process that serves it (every server runs in a process of
   * its own): its row shows that CPU, and that process's peak RSS since it started.
   */
  processUsage: () => Promise<ProcessUsage>;
}

/** CPU time so far, the peak RSS (MB) since the process started and, when known, its largest V8 heap (MB). */
export interface ProcessUsage {
  cpu: NodeJS.CpuUsage;
  maxRssMb: number;
  heapMb?: number;
}

const weighted = (turns: Measured[], pick: (m: Measured) => number): number => {
  const responses = turns.reduce((n, t) => n + t.result.responses, 0);
  return responses ? turns.reduce((sum, t) => sum + pick(t) * t.result.responses, 0) / responses : 0;
};

function addCounts(a: Record<string, number>, b: Record<string, number>): Record<string, number> {
  const sum = { ...a };
  for (const [k, v] of Object.entries(b)) sum[k] = (sum[k] ?? 0) + v;
  return sum;
}

/** A contender's turns as one measurement: counts added, latencies and CPU weighted by responses. */
function mergeTurns(turns: Measured[]): Measured {
  const results = turns.map((t) => t.result);
  const sum = (pick: (r: StreamResult) => number) => results.reduce((n, r) => n + pick(r), 0);
  const result: StreamResult = {
    name: results[0].name,
    seconds: sum((r) => r.seconds),
    responses: sum((r) => r.responses),
    ok: sum((r) => r.ok),
    latency: {
      mean: weighted(turns, (t) => t.result.latency.mean),
      p50: weighted(turns, (t) => t.result.latency.p50),
      p90: weighted(turns, (t) => t.result.latency.p90),
      p99: weighted(turns, (t) => t.result.latency.p99),
      max: Math.max(...results.map((r) => r.latency.max)),
    },
    statuses: results.reduce((a, r) => addCounts(a, r.statuses), {}),
    errorCodes: results.reduce((a, r) => addCounts(a, r.errorCodes), {}),
    expectedErrors: sum((r) => r.expectedErrors),
    unexpectedErrors: sum((r) => r.unexpectedErrors),
    transportErrors: sum((r) => r.transportErrors),
    timeouts: sum((r) => r.timeouts),
    firstUnexpected: results.find((r) => r.firstUnexpected)?.firstUnexpected ?? null,
  };
  const rss = turns.some((t) => t.rss !== null) ? Math.max(...turns.map((t) => t.rss ?? 0)) : null;
  const cpu = turns.every((t) => t.cpuMsPerReq !== null) ? weighted(turns, (t) => t.cpuMsPerReq ?? 0) : null;
  return { result, rss, cpuMsPerReq: cpu };
}

/** Runs measured load through the driver and keeps the rows of the table and the peaks of memory. */
export class Measurements {
  readonly rows: Row[] = [];
  /** Lines the scenarios add below the table. */
  readonly notes: string[] = [];
  /** Peak RSS and V8 heap (MB) of this release's graphql-jit server's process. */
  peakRss = 0;
  peakHeap = 0;

  constructor(
    private readonly driver: LoadDriver,
    private readonly settings: BenchSettings,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Warm-up, then the measured run of one or more streams at once (their connections add up to
   * BENCH_CONNECTIONS); the CPU time of the process that serves the streams is taken over the
   * measured run, and its peak RSS after it.
   */
  async measure(
    baseUrl: string,
    streams: { name: string; variants: RequestVariant[] }[],
    processUsage: () => Promise<ProcessUsage>,
    trackRss: boolean,
    connections = this.settings.connections,
    timing: { warmupSeconds: number; seconds: number } = this.settings,
  ): Promise<Measured[]> {
    const { warmupSeconds, seconds } = timing;
    const specs: StreamSpec[] = streams.map((s, i) => ({
      name: s.name,
      connections: Math.floor(connections / streams.length) + (i < connections % streams.length ? 1 : 0),
      variants: s.variants,
      pick: 'cycle',
      expectedErrorCodes: [],
    }));
    if (warmupSeconds > 0)
      await settle(await this.driver.run({ url: baseUrl, seconds: warmupSeconds, streams: specs }));
    const before = await processUsage();
    const results = await this.driver.run({ url: baseUrl, seconds, streams: specs });
    const after = await processUsage();
    if (trackRss) this.trackPeak(after);
    const peak = after.maxRssMb;
    await settle(results);
    const responses = results.reduce((n, r) => n + r.responses, 0);
    const used = after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system;
    const cpuMsPerReq = responses ? used / 1000 / responses : null;
    return results.map((result) => ({ result, rss: peak, cpuMsPerReq }));
  }

  /**
   * One scenario on several servers, in turns: each contender is warmed up once, then they run
   * one after the other (each round starting one further along), BENCH_ROUNDS times, for
   * seconds ÷ rounds each; a contender's figures are
   * those of its turns together (latency percentiles averaged over the turns, weighted by responses).
   */
  async compare(contenders: Contender[], connections?: number): Promise<Measured[]> {
    const { rounds, seconds, warmupSeconds } = this.settings;
    const turns: Measured[][] = contenders.map(() => []);
    for (let round = 0; round < rounds; round++) {
      // each round starts with the next contender, so none always runs right after the same one
      const order = contenders.map((_, k) => (k + round) % contenders.length);
      for (const i of order) {
        const c = contenders[i];
        const timing = { warmupSeconds: round === 0 ? warmupSeconds : 0, seconds: seconds / rounds };
        const run = () =>
          this.measure(
            c.url,
            [{ name: c.name, variants: c.variants }],
            c.processUsage,
            c.trackRss,
            connections,
            timing,
          );
        const [m] = c.around ? await c.around(run) : await run();
        turns[i].push(m);
      }
    }
    return turns.map(mergeTurns);
  }

  /** A line for below the table. */
  note(line: string): void {
    this.notes.push(line);
  }

  /** Counts the peak RSS and V8 heap (MB) of this release's graphql-jit server in the figures. */
  trackPeak(usage: ProcessUsage): void {
    this.peakRss = Math.max(this.peakRss, usage.maxRssMb);
    this.peakHeap = Math.max(this.peakHeap, usage.heapMb ?? 0);
  }

  addRow(scenario: string, server: Row['server'], m: Measured, statements: number | null): Row {
    const r = m.result;
    const row: Row = {
      scenario,
      server,
      reqPerSec: r.ok / r.seconds,
      mean: r.latency.mean,
      p50: r.latency.p50,
      p99: r.latency.p99,
      statements: statements === null ? '-' : String(statements),
      rssMb: m.rss,
      cpuMsPerReq: m.cpuMsPerReq,
      errors: r.unexpectedErrors + r.expectedErrors + r.transportErrors + r.timeouts,
    };
    this.rows.push(row);
    this.log(
      `  ${scenario} [${server}]: ${row.reqPerSec.toFixed(0)} req/s, mean ${ms(row.mean)} ms, p50 ${ms(row.p50)} ms, ` +
        `p99 ${ms(row.p99)} ms, ${row.statements} SQL/req, CPU ${ms(row.cpuMsPerReq ?? 0)} ms/req` +
        `${m.rss === null ? '' : `, RSS ${m.rss.toFixed(0)} MB`}` +
        (row.errors ? `, ${row.errors} ERRORS (${r.firstUnexpected ?? JSON.stringify(r.errorCodes)})` : ''),
    );
    return row;
  }

  /** A row of single timed calls (the bulk link): p50 and p99 columns are their median and max. */
  addCallsRow(scenario: string, server: Row['server'], times: number[], statements: string, rss: number | null): Row {
    const s = summarise(times);
    const row: Row = {
      scenario,
      server,
      reqPerSec: 1000 / s.mean,
      mean: s.mean,
      p50: s.p50,
      p99: s.max,
      statements,
      rssMb: rss,
      cpuMsPerReq: null,
      errors: 0,
    };
    this.rows.push(row);
    this.log(
      `  ${scenario} [${server}]: mean ${ms(s.mean)} ms over ${times.length} calls (min ${ms(Math.min(...times))}, max ${ms(s.max)})`,
    );
    return row;
  }

  /** The table of every row, as printed at the end. */
  table(): string {
    return table(
      ['scenario', 'server', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'SQL/req', 'CPU ms/req', 'RSS MB', 'errors'],
      this.rows.map((r) => [
        r.scenario,
        r.server,
        r.reqPerSec.toFixed(0),
        ms(r.mean),
        ms(r.p50),
        ms(r.p99),
        r.statements,
        r.cpuMsPerReq === null ? '-' : ms(r.cpuMsPerReq),
        r.rssMb === null ? '-' : r.rssMb.toFixed(0),
        String(r.errors),
      ]),
    );
  }
}
