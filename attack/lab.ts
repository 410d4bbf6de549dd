import { setMaxListeners } from 'node:events';
import { statSync } from 'node:fs';
import { attackerOrigin, setupOrigin } from './addresses';
import type { AttackContext, Family } from './family';
import { closeAgents, graphql, httpCall } from './http';
import type { AttackOptions } from './options';
import { describeExit, rssOf, ServerChild, type LoopDelay } from './server-child';
import { percentile, sleep, Tally } from './tally';
import type { RemoteVictim } from './victim';
import type { World } from './world';

/** RSS above the baseline a family may leave behind before the next one gets a fresh server. */
const BLOAT_MB = 150;
/** A server that answers /readyz this fast is not still working off an attack. */
const SETTLED_MS = 250;

export const log = (text: string): void => void process.stderr.write(`${text}\n`);

/** What one family did, for the report. */
export interface FamilyResult {
  name: string;
  tally: Tally;
  crashes: number;
  stalls: number;
  victimSamples: number[];
  rssPeakMb: number;
  /** The server's event-loop delay during the family: what a request waited for on its main thread. */
  loopDelay: LoopDelay | null;
  seconds: number;
  findings: string[];
}

/**
 * Keeps one server child running for the attacks: restarts it after a crash (or when it stopped
 * answering), samples its RSS (killing it above the ceiling, which counts as a crash), and runs
 * each step of a family with the victim asking alongside.
 */
export class Lab {
  server!: ServerChild;
  world!: World;
  rssPeakMb = 0;
  private familyRssPeak = 0;
  private baselineRssMb = 0;
  private sampler: NodeJS.Timeout | null = null;
  readonly shared = new Map<string, unknown>();

  constructor(
    readonly options: AttackOptions,
    private readonly env: Record<string, string>,
  ) {}

  async start(): Promise<void> {
    this.server = await ServerChild.start(this.env);
    this.sampler ??= setInterval(() => void this.sampleRss(), 100);
  }

  private async sampleRss(): Promise<void> {
    const server = this.server;
    if (!server?.alive) return;
    const mb = await rssOf(server.pid);
    if (mb === null) return;
    this.rssPeakMb = Math.max(this.rssPeakMb, mb);
    this.familyRssPeak = Math.max(this.familyRssPeak, mb);
    if (mb > this.options.rssCeilingMb)
      server.kill(`RSS ${Math.round(mb)} MB passed the harness's ${this.options.rssCeilingMb} MB ceiling`);
  }

  /** Whether the server answers /healthz (its event loop turns), or /readyz (its database answers too). */
  async healthy(path: '/healthz' | '/readyz' = '/healthz'): Promise<boolean> {
    if (!this.server.alive) return false;
    const answer = await httpCall(this.server.url, { path, origin: setupOrigin(2), timeoutMs: 2_000 });
    return typeof answer !== 'string' && answer.status === 200;
  }

  /** Runs one family step by step; returns its counts. */
  async runFamily(family: Family, victim: RemoteVictim): Promise<FamilyResult> {
    const started = Date.now();
    const result: FamilyResult = {
      name: family.name,
      tally: new Tally(),
      crashes: 0,
      stalls: 0,
      victimSamples: [],
      rssPeakMb: 0,
      loopDelay: null,
      seconds: 0,
      findings: [],
    };
    this.familyRssPeak = 0;
    await this.server.loopDelay(); // starts the family's reading afresh
    const steps = family.steps(this.options);
    for (const [index, step] of steps.entries()) {
      log(`  step ${index + 1}/${steps.length}: ${step.name}`);
      const server = this.server;
      const errorLinesBefore = server.errorLines;
      const stackLinesBefore = server.stackLines;
      const controller = new AbortController();
      // every request in flight listens for the abort
      setMaxListeners(0, controller.signal);
      void server.exited.then(() => controller.abort());
      const hardLimitMs = step.budgetMs + this.options.requestTimeoutMs + 2_000;
      const limit = setTimeout(() => controller.abort(), hardLimitMs);
      const ctx: AttackContext = {
        options: this.options,
        world: this.world,
        baseUrl: server.url,
        tally: result.tally,
        signal: controller.signal,
        deadline: Date.now() + step.budgetMs,
        graphql: (call, timeoutMs = this.options.requestTimeoutMs) =>
          graphql(server.url, result.tally, call, timeoutMs, controller.signal),
        finding: (text) => {
          result.findings.push(text);
          log(`    ! ${text}`);
        },
        progress: (text) => log(`    ${text}`),
        attacker: attackerOrigin,
        shared: this.shared,
      };
      const asking = step.victimRests ? { stop: async (): Promise<number[]> => [] } : victim.start(server.url);
      const settled = step.run(ctx).catch((error: unknown) => {
        if (!controller.signal.aborted)
          ctx.finding(`the step failed: ${error instanceof Error ? error.message : String(error)}`);
      });
      // a step cut off by its limit gets a moment to count its last requests, then is left behind
      await Promise.race([
        settled,
        new Promise<void>((resolve) =>
          controller.signal.addEventListener('abort', () => void sleep(2_000).then(resolve), { once: true }),
        ),
      ]);
      clearTimeout(limit);
      const cutOff = controller.signal.aborted && server.alive;
      controller.abort();
      result.victimSamples.push(...(await asking.stop()));
      if (cutOff) ctx.finding(`the step did not finish within ${hardLimitMs / 1000} s`);
      const errors = server.errorLines - errorLinesBefore;
      if (errors > 0)
        ctx.finding(
          `the server logged ${errors} error-level line(s)${server.stackLines > stackLinesBefore ? ', with stack traces' : ''}`,
        );
      await this.afterStep(server, result);
    }
    result.rssPeakMb = this.familyRssPeak;
    result.loopDelay = await this.server.loopDelay();
    await this.settle();
    result.seconds = (Date.now() - started) / 1000;
    return result;
  }

  /** The server's RSS once it is up and warm: what "back to normal" means between families. */
  async noteBaseline(): Promise<void> {
    this.baselineRssMb = (await rssOf(this.server.pid)) ?? 0;
  }

  /**
   * A family can leave the server busy (requests it queued still being worked off) or holding
   * much more memory than at the start (e.g. limiter keys kept for minutes); either would slow
   * the families after it. Waits a little for the server to answer /readyz (which asks the
   * database: queries queued in the pool show there) promptly again, and
   * gives the next family a fresh server if it does not or its memory stays up, so each family is
   * measured on its own. Not a crash: the server was still answering.
   */
  private async settle(): Promise<void> {
    const waitUntil = Date.now() + (this.options.short ? 3_000 : 10_000);
    let prompt = false;
    while (!prompt && Date.now() < waitUntil && this.server.alive) {
      const asked = performance.now();
      prompt = (await this.healthy('/readyz')) && performance.now() - asked < SETTLED_MS;
      if (!prompt) await sleep(200);
    }
    const mb = await rssOf(this.server.pid);
    const bloated = mb !== null && this.baselineRssMb > 0 && mb > this.baselineRssMb + BLOAT_MB;
    if (prompt && !bloated) return;
    log(
      `    the server is ${prompt ? `holding ${Math.round(mb ?? 0)} MB (${Math.round(this.baselineRssMb)} MB at the start)` : 'still busy'}: a fresh one for the next family`,
    );
    await this.server.stop();
    await this.restart();
  }

  /** A dead server is counted and restarted; a live one that does not answer /healthz is killed and restarted. */
  private async afterStep(server: ServerChild, result: FamilyResult): Promise<void> {
    if (server.alive && !(await this.healthy())) {
      await sleep(500);
      if (server.alive && !(await this.healthy())) {
        result.stalls++;
        log(`    ! the server stopped answering (even /healthz): killed and restarted`);
        server.kill('it stopped answering');
        await server.exited;
        return this.restart();
      }
    }
    if (server.alive) return;
    const exit = await server.exited;
    if (server.killedBecause === 'it stopped answering') return this.restart();
    result.crashes++;
    const why = server.killedBecause
      ? `killed by the harness: ${server.killedBecause}`
      : `${describeExit(exit)}${server.crashLine() ? `: ${server.crashLine()}` : ''}`;
    log(`    ✗ CRASH (${why}); restarting the server`);
    result.findings.push(`crash: ${why}`);
    await this.restart();
  }

  private async restart(): Promise<void> {
    closeAgents();
    const started = Date.now();
    await this.start();
    log(`    (restarted in ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }

  async stop(): Promise<void> {
    if (this.sampler) clearInterval(this.sampler);
    this.sampler = null;
    await this.server?.stop();
    closeAgents();
  }
}

/** The size of a SQLite database in MB (file and write-ahead log); null on MySQL/MariaDB. */
export function sqliteSizeMb(databaseUrl: string): number | null {
  if (!databaseUrl.startsWith('sqlite:')) return null;
  const path = databaseUrl.slice('sqlite:'.length);
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(path + suffix).size;
    } catch {
      // no write-ahead log yet
    }
  }
  return bytes / (1024 * 1024);
}

/** One line per family on stderr. */
export function describeFamily(result: FamilyResult, quietP99: number): string {
  const t = result.tally;
  const p99 = percentile(result.victimSamples, 99);
  const ratio = Number.isNaN(p99) ? 'n/a' : `${(p99 / quietP99).toFixed(1)}×`;
  return [
    `  ${result.name}: sent=${t.sent} answered=${t.answeredCount} unanswered=${t.unanswered}`,
    t.abandoned ? ` cut-off-by-us=${t.abandoned}` : '',
    ` crashes=${result.crashes}`,
    result.stalls ? ` stalls=${result.stalls}` : '',
    ` victim_p99=${Number.isNaN(p99) ? 'n/a' : `${p99.toFixed(1)}ms`} (${ratio} quiet, ${result.victimSamples.length} samples)`,
    ` rss_peak=${Math.round(result.rssPeakMb)}MB time=${result.seconds.toFixed(1)}s`,
    result.loopDelay
      ? `\n    server event-loop delay: p50 ${result.loopDelay.p50}ms p99 ${result.loopDelay.p99}ms max ${result.loopDelay.max}ms`
      : '',
    `\n    statuses: ${t.histogram() || 'none'}`,
  ].join('');
}
