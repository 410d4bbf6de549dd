import './production-env';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { describeDatabase } from '../server/src/db/database';
import { encodeCursor } from '../server/src/shared/pagination';
import { buildDataInChild } from './build-data';
import { BENCH_SIZES, type BenchData } from './data-builder';
import { databaseVersion, dropDatabase, recreateDatabase } from './database-admin';
import type { RequestVariant, StreamResult, StreamSpec } from './driver-protocol';
import {
  BULK_LINK,
  CUSTOMER_PAGE,
  KEY_OVERVIEW,
  loginAs,
  PARTNER_READ,
  expectOk,
  post,
  variant,
  type Credentials,
} from './graphql';
import { LoadDriver } from './load-driver';
import type { NokkelServer } from '../server/src/server';
import { createBenchServer } from './nokkel';
import { CpuProfiler, summariseProfile } from './profile';
import { rawBulkLink } from './raw-bulk-link';
import { startRawServer, type RawServer } from './raw-server';
import { RssSampler, rssMb } from './rss';
import { benchDatabase, benchSettings } from './settings';
import { ms, summarise, table } from './stats';

/**
 * `npm run bench`: builds a large data set with bulk INSERTs, starts the server in-process and a
 * hand-written baseline, drives both with autocannon (in a child process) at fixed concurrency,
 * and prints a table and, as the last line, the ratios the performance targets are stated in.
 */

interface Row {
  scenario: string;
  server: 'Nøkkel' | 'raw';
  reqPerSec: number;
  mean: number;
  p50: number;
  p99: number;
  statements: string;
  rssMb: number | null;
  /** CPU time of this process (the server under test) per response, user + system. */
  cpuMsPerReq: number | null;
  errors: number;
}

const settings = benchSettings();
const sampler = new RssSampler();
const rows: Row[] = [];
let peakRss = 0;
let peakHeap = 0;

function log(line = ''): void {
  console.log(line);
}

function elapsed(since: number): string {
  return `${((performance.now() - since) / 1000).toFixed(1)} s`;
}

/** The first path where two JSON values differ, or null. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null))
    return `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
  if (a !== null && typeof a === 'object' && b !== null && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join(',')} vs ${kb.join(',')}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${JSON.stringify(a)?.slice(0, 80)} vs ${JSON.stringify(b)?.slice(0, 80)}`;
}

async function main(): Promise<void> {
  const started = performance.now();
  const { config: database } = benchDatabase('BENCH_DATABASE_URL', 'mysql://root@127.0.0.1:3306/nokkel_bench');
  const dbVersion = await databaseVersion(database);
  const load = loadavg()[0];
  log(
    `bench: ${describeDatabase(database)} (${dbVersion}), Node ${process.version}, ${cpus().length} cores; ` +
      `${settings.connections} connections, ${settings.warmupSeconds} s warm-up + ${settings.seconds} s per scenario; ` +
      `load average ${load.toFixed(2)} at start`,
  );
  if (load > cpus().length)
    log(
      `WARNING: the machine is busy (1-minute load average ${load.toFixed(2)} on ${cpus().length} cores): ` +
        'other processes compete with the server and the figures will be low and noisy',
    );

  await recreateDatabase(database);
  let t = performance.now();
  const sizes = { ...BENCH_SIZES, bulkKeys: 2 * (settings.bulkCalls + 1) };
  const data = await buildDataInChild(database, sizes);
  log(`schema and data set built in ${elapsed(t)} (in a child process)`);

  t = performance.now();
  const { server, logLines } = await createBenchServer(database);
  log(`server started in ${elapsed(t)}; RSS ${rssMb().toFixed(0)} MB before any request`);
  const url = await server.listen(0, '127.0.0.1');
  const raw = await startRawServer(database);
  const driver = await LoadDriver.start();
  try {
    await runScenarios(url, raw.url, data, driver, raw, server);
  } finally {
    await driver.stop();
    await raw.close();
    await server.close();
    if (!settings.keepDatabase) await dropDatabase(database);
  }
  const warnings = logLines.filter((l) => /"level":(40|50|60)/.test(l));
  if (warnings.length) log(`server logged ${warnings.length} warnings/errors, e.g. ${warnings[0].slice(0, 300)}`);
  log(
    `total bench time (without npm run build): ${elapsed(started)}; load average ${loadavg()[0].toFixed(2)} at the end`,
  );
  printSummary();
}

interface Measured {
  result: StreamResult;
  rss: number | null;
  /** CPU ms of this process per response, over every stream of the run. */
  cpuMsPerReq: number | null;
}

function addRow(scenario: string, server: Row['server'], m: Measured, statements: number | null): Row {
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
  rows.push(row);
  log(
    `  ${scenario} [${server}]: ${row.reqPerSec.toFixed(0)} req/s, mean ${ms(row.mean)} ms, p50 ${ms(row.p50)} ms, ` +
      `p99 ${ms(row.p99)} ms, ${row.statements} SQL/req, CPU ${ms(row.cpuMsPerReq ?? 0)} ms/req` +
      `${m.rss === null ? '' : `, RSS ${m.rss.toFixed(0)} MB`}` +
      (row.errors ? `, ${row.errors} ERRORS (${r.firstUnexpected ?? JSON.stringify(r.errorCodes)})` : ''),
  );
  return row;
}

/**
 * Warm-up, then the measured run of one or more streams at once (their connections add up to
 * BENCH_CONNECTIONS); CPU time and peak RSS of this process are taken over the measured run.
 */
async function measure(
  driver: LoadDriver,
  baseUrl: string,
  streams: { name: string; variants: RequestVariant[] }[],
  trackRss: boolean,
): Promise<Measured[]> {
  const specs: StreamSpec[] = streams.map((s, i) => ({
    name: s.name,
    connections:
      Math.floor(settings.connections / streams.length) + (i < settings.connections % streams.length ? 1 : 0),
    variants: s.variants,
    pick: 'cycle',
    expectedErrorCodes: [],
  }));
  if (settings.warmupSeconds > 0)
    await settle(await driver.run({ url: baseUrl, seconds: settings.warmupSeconds, streams: specs }));
  sampler.reset();
  sampler.start();
  const cpu = process.cpuUsage();
  const results = await driver.run({ url: baseUrl, seconds: settings.seconds, streams: specs });
  const used = process.cpuUsage(cpu);
  const peak = sampler.stop();
  if (trackRss) {
    peakRss = Math.max(peakRss, peak);
    peakHeap = Math.max(peakHeap, sampler.heapMb);
  }
  await settle(results);
  const responses = results.reduce((n, r) => n + r.responses, 0);
  const cpuMsPerReq = responses ? (used.user + used.system) / 1000 / responses : null;
  return results.map((result) => ({ result, rss: trackRss ? peak : null, cpuMsPerReq }));
}

/**
 * autocannon drops its connections at the end of a run with requests still being processed; give
 * the server time to finish them so they do not spill into the next measurement.
 */
function settle(results: StreamResult[]): Promise<void> {
  const slowest = Math.max(...results.map((r) => r.latency.p99));
  return new Promise((resolve) => setTimeout(resolve, Math.min(5000, Math.max(300, slowest * 1.5))));
}

/** One scenario on one server. */
async function measureOne(
  driver: LoadDriver,
  baseUrl: string,
  name: string,
  variants: RequestVariant[],
  trackRss: boolean,
): Promise<Measured> {
  const [m] = await measure(driver, baseUrl, [{ name, variants }], trackRss);
  return m;
}

/** Scenario 4: bulkLinkClients through the API, then the raw INSERT, each call with a fresh key. */
async function bulkLink(
  url: string,
  session: Credentials,
  data: BenchData,
  raw: RawServer,
): Promise<{ ours: Row; base: Row }> {
  const clientIds = data.allClientIds.slice(0, settings.bulkClients);
  if (clientIds.length < settings.bulkClients) throw new Error(`only ${clientIds.length} clients for bulk linking`);
  const keys = [...data.bulkKeyIds];
  const oursTimes: number[] = [];
  let bulkSql: number | null = null;
  sampler.reset();
  sampler.start();
  for (let i = 0; i <= settings.bulkCalls; i++) {
    const reply = await post<{ bulkLinkClients: { linkedCount: number } }>(
      url,
      '/graphql',
      BULK_LINK,
      { input: { clientIds, userKeyId: keys.shift(), accessTemplateId: data.templates.bookkeeping } },
      session,
    );
    const linked = expectOk(reply, 'bulkLinkClients').bulkLinkClients.linkedCount;
    if (linked !== clientIds.length) throw new Error(`bulkLinkClients linked ${linked} of ${clientIds.length}`);
    if (i > 0) oursTimes.push(reply.ms); // the first call warms up
    bulkSql = reply.statements;
  }
  const bulkRss = sampler.stop();
  peakRss = Math.max(peakRss, bulkRss);
  peakHeap = Math.max(peakHeap, sampler.heapMb);
  const rawTimes: number[] = [];
  for (let i = 0; i <= settings.bulkCalls; i++) {
    const keyId = keys.shift()!;
    const begun = performance.now();
    await rawBulkLink(raw.db, { officeId: data.officeId, keyId, templateId: data.templates.bookkeeping, clientIds });
    if (i > 0) rawTimes.push(performance.now() - begun);
    const [count] = await raw.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM client_link WHERE grantee_id = ?',
      [keyId],
    );
    if (Number(count.n) !== clientIds.length) throw new Error('raw bulk link: wrong number of links');
  }
  const bulkRow = (times: number[], server: Row['server'], statements: string, rss: number | null): Row => {
    const s = summarise(times);
    const row: Row = {
      scenario: `4 bulk link ${clientIds.length} clients (per call)`,
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
    rows.push(row);
    log(
      `  ${row.scenario} [${server}]: mean ${ms(s.mean)} ms over ${times.length} calls (min ${ms(Math.min(...times))}, max ${ms(s.max)})`,
    );
    return row;
  };
  const rawStatements = raw.db.dialect === 'mysql' ? '1' : String(Math.ceil(clientIds.length / 3000));
  return {
    ours: bulkRow(oursTimes, 'Nøkkel', bulkSql === null ? '-' : String(bulkSql), bulkRss),
    base: bulkRow(rawTimes, 'raw', rawStatements, null),
  };
}

type CustomersData = {
  customers: { edges: { node: { id: string } }[]; pageInfo?: { endCursor: string | null } };
};
type OverviewData = { userKeys: { edges: unknown[] } };

async function runScenarios(
  url: string,
  rawUrl: string,
  data: BenchData,
  driver: LoadDriver,
  raw: RawServer,
  server: NokkelServer,
): Promise<void> {
  const session = await loginAs(url, data.admin.email, data.admin.password);
  const partner: Credentials = { token: data.partners[0].token, companyId: data.mainClientId };

  // correctness first: both servers answer, with the same data
  log('checks:');
  const oursPartner = await post<CustomersData>(url, '/graphql', PARTNER_READ, {}, partner);
  const rawPartner = await post<CustomersData>(rawUrl, '/raw/customers', PARTNER_READ, {}, partner);
  const partnerIds = expectOk(oursPartner, 'partner read').customers.edges.map((e) => e.node.id);
  if (partnerIds.join() !== data.mainCustomers.firstIds.join())
    throw new Error('partner read: not the first 20 customers');
  const partnerDiff = firstDifference(oursPartner.data, expectOk(rawPartner, 'raw partner read'));
  log(
    `  partner read: 20 customers; raw baseline returns the same JSON: ${partnerDiff === null ? 'yes' : `NO (${partnerDiff})`}`,
  );

  const oursOverview = await post<OverviewData>(url, '/graphql', KEY_OVERVIEW, { n: 50 }, session);
  const rawOverview = await post<OverviewData>(rawUrl, '/raw/userKeys', KEY_OVERVIEW, { n: 50 }, session);
  if (expectOk(oursOverview, 'key overview').userKeys.edges.length !== 50) throw new Error('key overview: not 50 keys');
  const overviewDiff = firstDifference(oursOverview.data, expectOk(rawOverview, 'raw key overview'));
  log(
    `  key overview: 50 keys; raw baseline returns the same JSON: ${overviewDiff === null ? 'yes' : `NO (${overviewDiff})`}`,
  );

  const overviewSql: Record<number, number | null> = {};
  for (const n of [10, 50, 100]) {
    const reply = await post<OverviewData>(url, '/graphql', KEY_OVERVIEW, { n }, session);
    expectOk(reply, `key overview N=${n}`);
    overviewSql[n] = reply.statements;
  }
  log(
    `  key overview SQL statements: N=10 → ${overviewSql[10]}, N=50 → ${overviewSql[50]}, N=100 → ${overviewSql[100]}`,
  );

  // the deep page: a cursor near the end of the main client's customers. Cursors are base64url
  // JSON arrays of the sort values (keyset on id); the one the API hands out for the first page
  // is checked against the same encoding, then the deep page is read once and checked.
  const firstPage = expectOk(
    await post<CustomersData>(
      url,
      '/graphql',
      '{ customers(first: 20) { edges { node { id } } pageInfo { endCursor } } }',
      {},
      partner,
    ),
    'first page',
  );
  if (firstPage.customers.pageInfo?.endCursor !== encodeCursor([data.mainCustomers.firstIds[19]]))
    throw new Error('the API’s cursor encoding is not the one the bench assumes');
  const deepCursor = encodeCursor([data.mainCustomers.deepAfterId]);
  const deep = expectOk(
    await post<CustomersData>(url, '/graphql', CUSTOMER_PAGE, { after: deepCursor }, partner),
    'deep page',
  );
  if (deep.customers.edges.map((e) => e.node.id).join() !== data.mainCustomers.lastIds.join())
    throw new Error('deep page: not the last 20 customers');
  log(
    `  deep page: after row ${data.mainCustomers.count - 20} of ${data.mainCustomers.count} at the main client: the last 20 customers`,
  );

  // production does not count statements (it costs an AsyncLocalStorage scope per request): the
  // counts come from single probe requests; the measured runs go without
  const uncounted = async <T>(run: () => Promise<T>): Promise<T> => {
    server.setStatementCounting(false);
    try {
      return await run();
    } finally {
      server.setStatementCounting(true);
    }
  };

  const statementsOf = async (
    base: string,
    path: string,
    query: string,
    variables: Record<string, unknown>,
    c: Credentials,
  ) => (await post(base, path, query, variables, c)).statements;

  log('scenarios:');
  const want = (name: string): boolean => settings.scenarios.includes(name);
  const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');
  const figures = { partner: 'n/a', overview: 'n/a', deep: 'n/a', bulk: 'n/a' };
  const partnerVariant = [variant('/graphql', PARTNER_READ, {}, partner)];
  const overviewVariant = [variant('/graphql', KEY_OVERVIEW, { n: 50 }, session)];

  // 1. partner read
  if (want('partner')) {
    const partnerSql = await statementsOf(url, '/graphql', PARTNER_READ, {}, partner);
    const p1 = await uncounted(() => measureOne(driver, url, 'partner read', partnerVariant, true));
    const ours = addRow('1 partner read (customers first 20)', 'Nøkkel', p1, partnerSql);
    const rawVariant = [variant('/raw/customers', PARTNER_READ, {}, partner)];
    const r1 = await measureOne(driver, rawUrl, 'partner read raw', rawVariant, false);
    const base = addRow('1 partner read (customers first 20)', 'raw', r1, rawPartner.statements);
    figures.partner = ratio(ours.reqPerSec, base.reqPerSec);
  }

  // 2. key overview, N = 50
  if (want('overview')) {
    const p2 = await uncounted(() => measureOne(driver, url, 'key overview', overviewVariant, true));
    const ours = addRow('2 key overview N=50', 'Nøkkel', p2, overviewSql[50]);
    const rawVariant = [variant('/raw/userKeys', KEY_OVERVIEW, { n: 50 }, session)];
    const r2 = await measureOne(driver, rawUrl, 'key overview raw', rawVariant, false);
    const base = addRow('2 key overview N=50', 'raw', r2, rawOverview.statements);
    figures.overview = ratio(ours.reqPerSec, base.reqPerSec);
  }

  // 3. deep page vs first page: the same document, run side by side (half the connections each),
  // so both see the same machine; the ratio is of their mean latencies
  if (want('deep')) {
    const firstSql = await statementsOf(url, '/graphql', CUSTOMER_PAGE, { after: null }, partner);
    const deepSql = await statementsOf(url, '/graphql', CUSTOMER_PAGE, { after: deepCursor }, partner);
    const [p3a, p3b] = await uncounted(() =>
      measure(
        driver,
        url,
        [
          { name: 'first page', variants: [variant('/graphql', CUSTOMER_PAGE, { after: null }, partner)] },
          { name: 'deep page', variants: [variant('/graphql', CUSTOMER_PAGE, { after: deepCursor }, partner)] },
        ],
        true,
      ),
    );
    const first = addRow('3a customers first page (side by side with 3b)', 'Nøkkel', p3a, firstSql);
    const deepPage = `3b customers deep page (after row ${data.mainCustomers.count - 20})`;
    const deepRow = addRow(deepPage, 'Nøkkel', p3b, deepSql);
    figures.deep = ratio(deepRow.mean, first.mean);
  }

  // 4. bulkLinkClients of N clients, each call with a fresh accountant key, vs the raw INSERT
  if (want('bulk')) {
    const { ours, base } = await bulkLink(url, session, data, raw);
    figures.bulk = ratio(ours.mean, base.mean);
  }

  summary.line =
    `bench: partner_read_vs_raw=${figures.partner} overview_vs_raw=${figures.overview}` +
    ` overview_sql=${overviewSql[50] ?? 'n/a'} deep_vs_first=${figures.deep} bulk_link_vs_raw=${figures.bulk}` +
    ` rss_mb=${Math.round(peakRss)}`;
  summary.notes.push(
    `overview SQL statements by N: 10 → ${overviewSql[10]}, 50 → ${overviewSql[50]}, 100 → ${overviewSql[100]}`,
    `CPU ms/req: CPU time of the bench process (the server under test) per response; 3a and 3b share one figure`,
    `bulk link: p50/p99 columns are the median and max of ${settings.bulkCalls} calls; req/s = 1000 / mean`,
    `RSS now ${rssMb().toFixed(0)} MB; peak under load (Nøkkel scenarios) ${peakRss.toFixed(0)} MB, of which V8 heap ${peakHeap.toFixed(0)} MB`,
  );

  const profiles: Record<string, RequestVariant[]> = { partner: partnerVariant, overview: overviewVariant };
  for (const name of settings.profile) {
    const variants = profiles[name];
    if (!variants) throw new Error(`BENCH_PROFILE: unknown scenario ${name} (partner, overview)`);
    log(`CPU profile of the ${name} scenario (after the measured runs, not part of the figures):`);
    const profiler = new CpuProfiler();
    await profiler.start();
    const [profiled] = await driver.run({
      url,
      seconds: settings.seconds,
      streams: [{ name, connections: settings.connections, variants, pick: 'cycle', expectedErrorCodes: [] }],
    });
    const profile = await profiler.stop();
    await settle([profiled]);
    const file = join(__dirname, `${name}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    log(`  ${(profiled.ok / profiled.seconds).toFixed(1)} req/s while profiling; profile written to ${file}`);
    log(summariseProfile(profile).text.replace(/^/gm, '  '));
  }
}

const summary: { line: string; notes: string[] } = { line: '', notes: [] };

function printSummary(): void {
  log('');
  log(
    table(
      ['scenario', 'server', 'req/s', 'mean ms', 'p50 ms', 'p99 ms', 'SQL/req', 'CPU ms/req', 'RSS MB', 'errors'],
      rows.map((r) => [
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
    ),
  );
  for (const note of summary.notes) log(`  ${note}`);
  log(summary.line);
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
