import './production-env';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describeDatabase, type DatabaseConfig } from '../server/src/db/database';
import { openRawDb } from './baseline/raw-db';
import { checkServers } from './checks';
import { buildDataInChild } from './data-set/build-in-child';
import { BENCH_SIZES, type BenchData } from './data-set/sizes';
import { databaseVersion, dropDatabase, recreateDatabase } from './database-admin';
import { KEY_OVERVIEW, PARTNER_READ, expectOk, post } from './graphql';
import { LoadDriver } from './driver/load-driver';
import { Measurements } from './measurements';
import { OtherRelease } from './other-release/release';
import { ServerProcess } from './servers/server-process';
import { bulkLink, deepPage, keyOverview, partnerRead, partnerReadMultiClient, type Bench } from './scenarios';
import { benchDatabase, benchSettings } from './settings';

/**
 * `npm run bench`: builds a large data set with the server's SeedBuilder in bulk mode, starts the
 * server (with each executor) and a hand-written baseline, each in a process of its own as
 * production runs a server, drives them with autocannon (in a child process too) at fixed
 * concurrency, and prints a table and, as the last line, the ratios the performance targets are
 * stated in.
 */

const settings = benchSettings();

function log(line = ''): void {
  console.log(line);
}

function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** The first line: where and under what load the bench runs (the process id names its CPU profile). */
async function describeRun(database: DatabaseConfig): Promise<void> {
  const load = loadavg()[0];
  log(
    `bench: ${describeDatabase(database)} (${await databaseVersion(database)}), Node ${process.version}, ${cpus().length} cores; ` +
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per server and scenario, in ${settings.rounds} turns; ` +
      `load average ${load.toFixed(2)} at start; process ${process.pid}`,
  );
  if (load > cpus().length)
    log(
      `WARNING: the machine is busy (1-minute load average ${load.toFixed(2)} on ${cpus().length} cores): ` +
        'other processes compete with the server and the figures will be low and noisy',
    );
}

/** Runs the chosen scenarios; returns the last line (the figures) and the notes printed above it. */
async function runScenarios(b: Bench): Promise<{ line: string; notes: string[] }> {
  log('scenarios:');
  const want = (name: string): boolean => settings.scenarios.includes(name);
  const figures = {
    partner: want('partner') ? await partnerRead(b) : 'n/a',
    multi: want('multi') ? await partnerReadMultiClient(b) : 'n/a',
    overview: want('overview') ? await keyOverview(b) : 'n/a',
    deep: want('deep') ? await deepPage(b) : 'n/a',
    bulk: want('bulk') ? await bulkLink(b) : 'n/a',
  };
  const sql = b.checked.overviewSql;
  const m = b.measurements;
  const { rssMb: rssNow } = await b.server.usage();
  const line =
    `bench: partner_read_vs_raw=${figures.partner} overview_vs_raw=${figures.overview}` +
    ` overview_sql=${sql[50] ?? 'n/a'} deep_vs_first=${figures.deep} bulk_link_vs_raw=${figures.bulk}` +
    ` partner_read_multi_client_vs_raw=${figures.multi} rss_mb=${Math.round(m.peakRss)}`;
  const notes = [
    `overview SQL statements by N: 10 → ${sql[10]}, 50 → ${sql[50]}, 100 → ${sql[100]}`,
    `CPU ms/req: CPU time of the server's own process per response; 3a and 3b share one figure`,
    `bulk link: p50/p99 columns are the median and max of ${settings.bulkCalls} calls; req/s = 1000 / mean`,
    ...m.notes,
    `RSS of the Nøkkel (graphql-jit) server's process: ${rssNow.toFixed(0)} MB now; its peak ${m.peakRss.toFixed(0)} MB, the largest V8 heap seen ${m.peakHeap.toFixed(0)} MB`,
  ];
  return { line, notes };
}

/**
 * Starts the other releases (BENCH_OTHER_RELEASE), one after the other, each with its own data set
 * in a child process, and checks that each answers the two scenarios it is measured in.
 */
async function startOtherReleases(database: DatabaseConfig): Promise<OtherRelease[]> {
  const started: OtherRelease[] = [];
  try {
    for (const [i, dir] of settings.otherReleases.entries()) {
      const other = await OtherRelease.start(dir, database, i + 1);
      started.push(other);
      const customers = await post<{ customers: { edges: unknown[] } }>(
        other.url,
        '/graphql',
        PARTNER_READ,
        {},
        other.partner,
      );
      const keys = await post<{ userKeys: { edges: unknown[] } }>(
        other.url,
        '/graphql',
        KEY_OVERVIEW,
        { n: 50 },
        other.session,
      );
      const found = [
        expectOk(customers, `${other.label}: partner read`).customers.edges.length,
        expectOk(keys, `${other.label}: key overview`).userKeys.edges.length,
      ];
      if (found.join() !== '20,50')
        throw new Error(`${other.label} answered ${found[0]} customers and ${found[1]} keys, not 20 and 50`);
      log(
        `${other.label} (${dir}): its data set built and its server started in ${other.seconds.toFixed(1)} s, in a child process; it answers scenarios 1 and 2`,
      );
    }
    return started;
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}

const stopAll = (others: OtherRelease[]): Promise<unknown> => Promise.all(others.map((o) => o.stop()));

/** Starts the three servers, each in its own process, and the load driver; runs the checks and the scenarios; stops everything. */
async function measureServers(database: DatabaseConfig, data: BenchData, others: OtherRelease[]) {
  const t = performance.now();
  const started: ServerProcess[] = [];
  const db = openRawDb(database);
  let driver: LoadDriver | null = null;
  // the servers' warnings and errors, filled in when they stop
  const warnings: string[] = [];
  try {
    for (const kind of ['jit', 'graphql-js', 'raw'] as const) started.push(await ServerProcess.start(kind, database));
    const [server, graphqlJs, raw] = started;
    log(
      `servers (graphql-jit, graphql-js, raw) started in ${elapsed(t)}, each in a process of its own; ` +
        `RSS before any request ${started.map((p) => p.startRssMb.toFixed(0)).join(', ')} MB`,
    );
    driver = await LoadDriver.start();
    const measurements = new Measurements(driver, settings, log);
    const checked = await checkServers(server.url, raw.url, data, log);
    await checkServers(graphqlJs.url, raw.url, data, () => undefined);
    const summary = await runScenarios({
      ...{ url: server.url, rawUrl: raw.url, data, checked, server, raw, db, measurements, settings },
      ...{ graphqlJsUrl: graphqlJs.url, graphqlJsServer: graphqlJs, others },
    });
    return { summary, measurements, warnings };
  } finally {
    await driver?.stop();
    warnings.push(...(await Promise.all(started.map((p) => p.stop()))).flat());
    await db.close();
  }
}

async function main(): Promise<void> {
  const started = performance.now();
  const { config: database } = benchDatabase('BENCH_DATABASE_URL', 'mysql://root@127.0.0.1:3306/nokkel_bench');
  await describeRun(database);
  await recreateDatabase(database);
  try {
    const t = performance.now();
    const data = await buildDataInChild(database, { ...BENCH_SIZES, bulkKeys: 2 * (settings.bulkCalls + 1) });
    log(`schema and data set built in ${elapsed(t)} (in a child process)`);
    const others = await startOtherReleases(database);
    const { summary, measurements, warnings } = await measureServers(database, data, others).finally(() =>
      stopAll(others),
    );
    if (warnings.length) log(`server logged ${warnings.length} warnings/errors, e.g. ${warnings[0].slice(0, 300)}`);
    log(
      `total bench time (without the build): ${elapsed(started)}; load average ${loadavg()[0].toFixed(2)} at the end`,
    );
    log('');
    log(measurements.table());
    for (const note of summary.notes) log(`  ${note}`);
    log(summary.line);
  } finally {
    if (!settings.keepDatabase) await dropDatabase(database);
  }
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
