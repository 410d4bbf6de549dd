import './production-env';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describeDatabase, type DatabaseConfig } from '../server/src/db/database';
import { startRawServer } from './baseline/raw-server';
import { checkServers } from './checks';
import { buildDataInChild } from './data-set/build-in-child';
import { BENCH_SIZES, type BenchData } from './data-set/sizes';
import { databaseVersion, dropDatabase, recreateDatabase } from './database-admin';
import { KEY_OVERVIEW, PARTNER_READ, expectOk, post } from './graphql';
import { LoadDriver } from './driver/load-driver';
import { Measurements } from './measurements';
import { createBenchServer } from './nokkel';
import { OtherRelease } from './other-release/release';
import { rssMb } from './rss';
import { bulkLink, deepPage, keyOverview, partnerRead, partnerReadMultiClient, type Bench } from './scenarios';
import { benchDatabase, benchSettings } from './settings';

/**
 * `npm run bench`: builds a large data set with the server's SeedBuilder in bulk mode, starts the
 * server in-process and a hand-written baseline, drives both with autocannon (in a child process)
 * at fixed concurrency, and prints a table and, as the last line, the ratios the performance
 * targets are stated in.
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
  const line =
    `bench: partner_read_vs_raw=${figures.partner} overview_vs_raw=${figures.overview}` +
    ` overview_sql=${sql[50] ?? 'n/a'} deep_vs_first=${figures.deep} bulk_link_vs_raw=${figures.bulk}` +
    ` partner_read_multi_client_vs_raw=${figures.multi} rss_mb=${Math.round(m.peakRss)}`;
  const notes = [
    `overview SQL statements by N: 10 → ${sql[10]}, 50 → ${sql[50]}, 100 → ${sql[100]}`,
    `CPU ms/req: CPU time of the bench process (the server under test) per response; 3a and 3b share one figure`,
    `bulk link: p50/p99 columns are the median and max of ${settings.bulkCalls} calls; req/s = 1000 / mean`,
    ...m.notes,
    `RSS now ${rssMb().toFixed(0)} MB; peak under load (Nøkkel scenarios) ${m.peakRss.toFixed(0)} MB, of which V8 heap ${m.peakHeap.toFixed(0)} MB`,
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

/** Starts both servers and the load driver, runs the checks and the scenarios, stops everything. */
async function measureServers(database: DatabaseConfig, data: BenchData, others: OtherRelease[]) {
  const t = performance.now();
  const { server, logLines } = await createBenchServer(database, 'jit');
  const graphqlJs = await createBenchServer(database, 'graphql-js');
  log(`servers (graphql-jit, graphql-js) started in ${elapsed(t)}; RSS ${rssMb().toFixed(0)} MB before any request`);
  const url = await server.listen(0, '127.0.0.1');
  const graphqlJsUrl = await graphqlJs.server.listen(0, '127.0.0.1');
  const raw = await startRawServer(database);
  const driver = await LoadDriver.start();
  const measurements = new Measurements(driver, settings, log);
  try {
    const checked = await checkServers(url, raw.url, data, log);
    await checkServers(graphqlJsUrl, raw.url, data, () => undefined);
    const summary = await runScenarios({
      ...{ url, rawUrl: raw.url, data, checked, server, raw, measurements, settings },
      ...{ graphqlJsUrl, graphqlJsServer: graphqlJs.server, others },
    });
    return { summary, measurements, logLines: [...logLines, ...graphqlJs.logLines] };
  } finally {
    await driver.stop();
    await raw.close();
    await server.close();
    await graphqlJs.server.close();
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
    const { summary, measurements, logLines } = await measureServers(database, data, others).finally(() =>
      stopAll(others),
    );
    const warnings = logLines.filter((l) => /"level":(40|50|60)/.test(l));
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
