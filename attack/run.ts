import 'reflect-metadata';
import { parseDatabaseUrl } from '../server/src/db/database';
import { probeLoopbackBinding } from './addresses';
import { FAMILIES } from './families';
import { hostPort } from './raw-socket';
import { describeFamily, Lab, log } from './lab';
import { readOptions, sized } from './options';
import { graphql } from './http';
import { prepareKariKeys } from './keys';
import { percentile, Tally } from './tally';
import { RemoteVictim } from './victim';
import { meetWorld, prepareDatabase, recreateDatabase } from './world';

/** The summary line, the one line the run prints on stdout. */
export interface Summary {
  crashes: number;
  victimP99Ratio: number;
  rssPeakMb: number;
  unanswered: number;
}

export function summaryLine(s: Summary): string {
  return `attack: crashes=${s.crashes} victim_p99_ratio=${s.victimP99Ratio.toFixed(2)} rss_peak_mb=${Math.round(s.rssPeakMb)} unanswered=${s.unanswered}`;
}

/**
 * `npm run attack [-- --short]`: the hostile-load harness of docs/SECURITY.md. Builds a fresh
 * database (demo data and a second office), starts the server from dist/ as a child process,
 * measures a victim tenant quietly, then runs every attack family with the victim asking
 * alongside; restarts the server after each crash. Progress on stderr; one summary line on stdout.
 */
async function main(): Promise<number> {
  const options = readOptions(process.argv.slice(2), process.env);
  const started = Date.now();
  const database = parseDatabaseUrl(options.databaseUrl);
  log(
    `attack: ${options.short ? 'short' : 'full'} run on ${database.dialect === 'sqlite' ? `SQLite (${database.path})` : 'MySQL/MariaDB'}`,
  );
  const prepared = await prepareDatabase(options.databaseUrl, sized(options, 10_000, 1_000));
  log(`  database ready: demo data, a second office, ${prepared.massClientIds.length} more clients of Regnskap AS`);
  const lab = new Lab(options, {
    NODE_ENV: 'production',
    DATABASE_URL: options.databaseUrl,
    PORT: '0',
    HOST: '127.0.0.1',
    SEED_DEMO: 'off',
    EXPLORER: 'on',
    // the harness's clients come "through a proxy" on 127.0.0.0/24 (X-Forwarded-For names them);
    // a client on 127.0.1.x is a direct one, whose connections the server caps
    TRUST_PROXY: '127.0.0.0/24',
    LOG_LEVEL: 'warn',
  });
  let exitCode: number;
  let victim: RemoteVictim | null = null;
  try {
    await lab.start();
    const bindable = await probeLoopbackBinding(hostPort(lab.server.url).port);
    log(`  server up at ${lab.server.url}${bindable ? '' : ' (clients cannot bind 127.0.0.x here: one peer address)'}`);
    lab.world = await meetWorld(lab.server.url, prepared, options.requestTimeoutMs);
    // the victim's client runs in a process of its own: the attackers' client work is not its latency
    victim = await RemoteVictim.fork(lab.world.victim, options.requestTimeoutMs);
    const setupTally = new Tally();
    const made = await prepareKariKeys(
      {
        shared: lab.shared,
        signal: new AbortController().signal,
        world: lab.world,
        graphql: (call, timeoutMs = options.requestTimeoutMs) => graphql(lab.server.url, setupTally, call, timeoutMs),
      },
      options,
    );
    log(`  ${made} keys of Kari made for the families`);
    // the machine may be shared: the quiet baseline is measured again just before each family and
    // pooled, so a busy moment at the start does not set (or spoil) the yardstick for the whole run
    const quiet = await victim.quiet(lab.server.url, sized(options, 100, 40));
    log(
      `  victim quiet: p99 ${percentile(quiet, 99).toFixed(1)} ms, p50 ${percentile(quiet, 50).toFixed(1)} ms (${quiet.length} requests)`,
    );

    const results = [];
    for (const [i, family] of FAMILIES.entries()) {
      if (options.only && !options.only.includes(family.name)) continue;
      const before = await victim.quiet(lab.server.url, sized(options, 50, 20));
      quiet.push(...before);
      log(
        `[${i + 1}/${FAMILIES.length}] ${family.name} (finding ${family.findings}); victim quiet just before: p99 ${percentile(before, 99).toFixed(1)} ms`,
      );
      const result = await lab.runFamily(family, victim);
      results.push(result);
      log(describeFamily(result, percentile(quiet, 99)));
    }

    const quietP99 = percentile(quiet, 99);
    log(
      `victim quiet, pooled: p99 ${quietP99.toFixed(1)} ms, p50 ${percentile(quiet, 50).toFixed(1)} ms (${quiet.length} requests)`,
    );
    const underAttack = results.flatMap((r) => r.victimSamples);
    const summary: Summary = {
      crashes: results.reduce((n, r) => n + r.crashes, 0),
      victimP99Ratio: percentile(underAttack, 99) / quietP99,
      rssPeakMb: lab.rssPeakMb,
      unanswered: results.reduce((n, r) => n + r.tally.unanswered, 0) + victim.tally.unanswered,
    };
    log(`victim: ${victim.tally.sent} requests, ${victim.tally.histogram()}`);
    const findings = results.flatMap((r) => r.findings.map((f) => `  ${r.name}: ${f}`));
    log(findings.length ? `findings:\n${findings.join('\n')}` : 'findings: none');
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    process.stdout.write(`${summaryLine(summary)}\n`);
    exitCode = summary.crashes === 0 && summary.unanswered === 0 ? 0 : 1;
  } finally {
    await victim?.close();
    await lab.stop();
    await recreateDatabase(database, true);
  }
  return exitCode;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    log(`attack: the run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(2);
  },
);
