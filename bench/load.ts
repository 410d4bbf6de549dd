import './production-env';
import { cpus, loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { describeDatabase } from '../server/src/db/database';
import { loadConfig } from '../server/src/config';
import { buildDataInChild } from './data-set/build-in-child';
import { LOAD_SIZES, type BenchData } from './data-set/sizes';
import { databaseVersion, dropDatabase, recreateDatabase } from './database-admin';
import { LoadDriver } from './driver/load-driver';
import type { RequestVariant, StreamResult, StreamSpec } from './driver/protocol';
import {
  KEY_OVERVIEW,
  LINK_CLIENT,
  loginAs,
  PARTNER_READ,
  RESTORE_KEY,
  UNLINK_CLIENTS,
  variant,
  type Credentials,
} from './graphql';
import { createBenchServer } from './nokkel';
import { RssSampler } from './rss';
import { benchDatabase, loadSettings } from './settings';
import { ms, table } from './stats';

/**
 * `npm run load`: a mixed workload against the server in-process for LOAD_SECONDS (60 s) at
 * LOAD_CONNECTIONS (50): partner reads, key overviews, restores of keys reserved for it, and link
 * edits (linkClient / unlinkClients). Reports latency per kind, counts of HTTP statuses and error
 * codes, and exits non-zero on any unexpected error. A CONFLICT from restoreUserKey is expected:
 * some restores are sent for the same key at the same moment on purpose (R9 lets one win), and a
 * restore within the race window of the previous one is refused the same way.
 */

/** How the connections are shared among the kinds of request (in 50ths). */
const SHARES = { partner: 20, overview: 10, restore: 10, links: 10 };

function log(line = ''): void {
  console.log(line);
}

function split(total: number): Record<keyof typeof SHARES, number> {
  const sum = Object.values(SHARES).reduce((a, b) => a + b, 0);
  const out = { partner: 1, overview: 1, restore: 1, links: 1 };
  for (const key of Object.keys(SHARES) as (keyof typeof SHARES)[])
    out[key] = Math.max(1, Math.round((SHARES[key] * total) / sum));
  return out;
}

/** The four streams of the load: what each connection sends, and which error codes are expected. */
function loadStreams(data: BenchData, session: Credentials, total: number): StreamSpec[] {
  const connections = split(total);
  const partnerReads: RequestVariant[] = data.partners.map((p) =>
    variant('/graphql', PARTNER_READ, {}, { token: p.token, companyId: p.clientId }),
  );
  // every key once in turn, and every fifth one twice in a row: those two restores race
  const restores: RequestVariant[] = [];
  data.restoreKeyIds.forEach((id, i) => {
    restores.push(variant('/graphql', RESTORE_KEY, { id }, session));
    if (i % 5 === 0) restores.push(variant('/graphql', RESTORE_KEY, { id }, session));
  });
  const linkEdits: RequestVariant[] = [];
  const templates = [data.templates.bookkeeping, data.templates.readOnly];
  data.linkEditKeyIds.forEach((userKeyId, k) => {
    for (let c = 0; c < 20; c++) {
      const clientId = data.clientIds[(k * 20 + c) % data.clientIds.length];
      const accessTemplateId = templates[(k + c) % 2];
      linkEdits.push(variant('/graphql', LINK_CLIENT, { input: { clientId, userKeyId, accessTemplateId } }, session));
      linkEdits.push(variant('/graphql', UNLINK_CLIENTS, { input: { clientIds: [clientId], userKeyId } }, session));
    }
  });
  const overview = [variant('/graphql', KEY_OVERVIEW, { n: 50 }, session)];
  const stream = (name: string, n: number, variants: RequestVariant[], pick: StreamSpec['pick'], expected: string[]) =>
    ({ name, connections: n, variants, pick, expectedErrorCodes: expected }) satisfies StreamSpec;
  return [
    stream('partner read', connections.partner, partnerReads, 'random', []),
    stream('key overview', connections.overview, overview, 'cycle', []),
    stream('restore', connections.restore, restores, 'cycle', ['CONFLICT']),
    stream('link edit', connections.links, linkEdits, 'random', []),
  ];
}

/** The table per kind, the HTTP statuses and error codes, and what the server logged. */
function report(results: StreamResult[], logLines: string[], loggedDuringLoad: number): number {
  log('');
  log(
    table(
      ['kind', 'requests', 'req/s', 'p50 ms', 'p99 ms', 'max ms', 'ok', 'expected errors', 'unexpected', 'transport'],
      results.map((r) => [
        r.name,
        String(r.responses),
        (r.responses / r.seconds).toFixed(1),
        ms(r.latency.p50),
        ms(r.latency.p99),
        ms(r.latency.max),
        String(r.ok),
        String(r.expectedErrors),
        String(r.unexpectedErrors),
        String(r.transportErrors + r.timeouts),
      ]),
    ),
  );
  log('');
  const statuses = new Map<string, number>();
  const codes = new Map<string, number>();
  for (const r of results) {
    for (const [status, n] of Object.entries(r.statuses)) statuses.set(status, (statuses.get(status) ?? 0) + n);
    for (const [code, n] of Object.entries(r.errorCodes))
      codes.set(`${code} (${r.name})`, (codes.get(`${code} (${r.name})`) ?? 0) + n);
  }
  log(`HTTP statuses: ${[...statuses].map(([s, n]) => `${s} ×${n}`).join(', ') || 'none'}`);
  log(`error codes: ${[...codes].map(([c, n]) => `${c} ×${n}`).join(', ') || 'none'}`);
  for (const r of results) if (r.firstUnexpected) log(`first unexpected error in ${r.name}: ${r.firstUnexpected}`);
  reportServerLog(logLines, loggedDuringLoad);
  const unexpected = results.reduce((n, r) => n + r.unexpectedErrors + r.transportErrors + r.timeouts, 0);
  const expected = results.reduce((n, r) => n + r.expectedErrors, 0);
  log(`load: ${unexpected} unexpected errors, ${expected} expected (CONFLICT on raced restores)`);
  return unexpected === 0 ? 0 : 1;
}

/** Warnings and errors the server logged during the load and while draining, by kind. */
function reportServerLog(logLines: string[], loggedDuringLoad: number): void {
  const serious = (lines: string[]) => lines.filter((l) => /"level":(40|50|60)/.test(l));
  const during = serious(logLines.slice(0, loggedDuringLoad));
  const after = serious(logLines.slice(loggedDuringLoad));
  log(`server warnings/errors logged: ${during.length} during the load, ${after.length} while draining and closing`);
  const kinds = new Map<string, number>();
  for (const line of during) {
    const entry = JSON.parse(line) as { msg?: string; err?: { message?: string } };
    const kind = `${entry.msg ?? ''} ${entry.err?.message ?? ''}`.trim().slice(0, 160);
    kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  }
  for (const [kind, n] of kinds) log(`  ×${n} ${kind}`);
}

async function main(): Promise<number> {
  const settings = loadSettings();
  const { config: database } = benchDatabase('LOAD_DATABASE_URL', 'mysql://root@127.0.0.1:3306/nokkel_load');
  log(
    `load: ${describeDatabase(database)} (${await databaseVersion(database)}), Node ${process.version}, ${cpus().length} cores; ` +
      `${settings.connections} connections for ${settings.seconds} s; load average ${loadavg()[0].toFixed(2)} at start`,
  );
  await recreateDatabase(database);
  const data = await buildDataInChild(database, LOAD_SIZES);
  const { server, logLines } = await createBenchServer(database, loadConfig(process.env).executor);
  const url = await server.listen(0, '127.0.0.1');
  const driver = await LoadDriver.start();
  const sampler = new RssSampler();
  let results: StreamResult[];
  let loggedDuringLoad: number;
  try {
    const session = await loginAs(url, data.admin.email, data.admin.password);
    const streams = loadStreams(data, session, settings.connections);
    log(
      `streams: ${streams.map((s) => `${s.name} ×${s.connections}`).join(', ')}; ` +
        `${data.restoreKeyIds.length} keys reserved for restores, ${data.linkEditKeyIds.length} keys × 20 clients for link edits`,
    );
    sampler.start();
    const started = performance.now();
    results = await driver.run({ url, seconds: settings.seconds, streams });
    log(`ran ${((performance.now() - started) / 1000).toFixed(1)} s; peak RSS ${sampler.stop().toFixed(0)} MB`);
    loggedDuringLoad = logLines.length;
    // autocannon drops its connections at the end with requests still in flight; let them finish
    // before closing, or they fail with "Pool is closed" (see docs/PERFORMANCE.md)
    await new Promise((resolve) => setTimeout(resolve, 3000));
  } finally {
    await driver.stop();
    await server.close();
    if (!settings.keepDatabase) await dropDatabase(database);
  }
  return report(results, logLines, loggedDuringLoad);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`load failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
