import { performance } from 'node:perf_hooks';
import { rawBulkLink } from './baseline/raw-bulk-link';
import type { RawDb } from './baseline/raw-db';
import type { Checked } from './checks';
import type { BenchData } from './data-set/sizes';
import { BULK_LINK, CUSTOMER_PAGE, KEY_OVERVIEW, PARTNER_READ, expectOk, post, variant } from './graphql';
import type { RequestVariant } from './driver/protocol';
import type { Contender, Measurements } from './measurements';
import type { OtherRelease } from './other-release/release';
import type { ServerProcess } from './servers/server-process';
import type { BenchSettings } from './settings';

/** What every scenario runs against: each server in a process of its own (servers/). */
export interface Bench {
  url: string;
  /** The same server with graphql-js as its executor (the default one runs graphql-jit). */
  graphqlJsUrl: string;
  graphqlJsServer: ServerProcess;
  rawUrl: string;
  data: BenchData;
  checked: Checked;
  server: ServerProcess;
  raw: ServerProcess;
  /** The bench's own connection to the database: the raw bulk insert, and counts. */
  db: RawDb;
  measurements: Measurements;
  settings: BenchSettings;
  /** Other releases in the same turns (BENCH_OTHER_RELEASE). */
  others: OtherRelease[];
}

const ratio = (a: number, b: number): string => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');

/**
 * Production does not count statements (it costs an AsyncLocalStorage scope per request): the
 * counts come from single probe requests; the measured runs go without.
 */
async function uncounted<T>(server: ServerProcess, run: () => Promise<T>): Promise<T> {
  await server.setStatementCounting(false);
  try {
    return await run();
  } finally {
    await server.setStatementCounting(true);
  }
}

/** The three servers of a comparison, in their turns' order: Nøkkel (graphql-jit), graphql-js, raw. */
const CONTENDERS = ['Nøkkel', 'Nøkkel graphql-js', 'raw'] as const;

/**
 * One scenario on Nøkkel (both executors; statements uncounted, as in production) and on the raw
 * handler, measured in turns (Measurements.compare): three rows; returns Nøkkel's vs raw's throughput.
 */
async function compareWithRaw(
  b: Bench,
  scenario: string,
  variants: (path: '/graphql' | '/raw/customers' | '/raw/userKeys') => RequestVariant[],
  rawPath: '/raw/customers' | '/raw/userKeys',
  statements: { ours: number | null; raw: number | null },
  connections?: number,
  /**
   * More contenders measured in the same turns, label → requests on Nøkkel (graphql-jit), or a
   * contender of its own (another release).
   */
  more: Record<string, RequestVariant[] | Contender> = {},
): Promise<{ ratio: string; more: Record<string, string> }> {
  const ours = (url: string, server: ServerProcess, label: string, requests = variants('/graphql')): Contender => ({
    url,
    name: `${scenario} ${label}`,
    variants: requests,
    // the bench's RSS figure is the graphql-jit server's: the one production runs
    trackRss: server === b.server,
    around: (run) => uncounted(server, run),
    processUsage: () => server.usage(),
  });
  const labels = [...CONTENDERS, ...Object.keys(more)];
  const measured = await b.measurements.compare(
    [
      ours(b.url, b.server, CONTENDERS[0]),
      ours(b.graphqlJsUrl, b.graphqlJsServer, CONTENDERS[1]),
      {
        url: b.rawUrl,
        name: `${scenario} raw`,
        variants: variants(rawPath),
        trackRss: false,
        processUsage: () => b.raw.usage(),
      },
      ...Object.entries(more).map(([label, extra]) =>
        Array.isArray(extra) ? ours(b.url, b.server, label, extra) : extra,
      ),
    ],
    connections,
  );
  // statement counts are this release's: none for a contender of its own
  const counted = [
    statements.ours,
    statements.ours,
    statements.raw,
    ...Object.values(more).map((extra) => (Array.isArray(extra) ? statements.ours : null)),
  ];
  const rows = measured.map((m, i) => b.measurements.addRow(scenario, labels[i], m, counted[i]));
  const base = rows[2].reqPerSec;
  const extra = Object.fromEntries(Object.keys(more).map((label, i) => [label, ratio(rows[3 + i].reqPerSec, base)]));
  return { ratio: ratio(rows[0].reqPerSec, base), more: extra };
}

/** The other releases (BENCH_OTHER_RELEASE) as contenders of a scenario, by label. */
function otherReleases(
  b: Bench,
  scenario: string,
  request: (other: OtherRelease) => RequestVariant,
): Record<string, Contender> {
  return Object.fromEntries(
    b.others.map((other) => [
      other.label,
      {
        url: other.url,
        name: `${scenario} ${other.label}`,
        variants: [request(other)],
        trackRss: false,
        processUsage: () => other.usage(),
      } satisfies Contender,
    ]),
  );
}

/** A note comparing this release with the others in the same turns, or nothing. */
function noteOthers(b: Bench, what: string, ours: string, more: Record<string, string>): void {
  if (b.others.length)
    b.measurements.note(
      `${what}: this release ${ours} of raw; in the same turns, each in a process of its own (its RSS: that process's peak) with a key without allowlist: ` +
        b.others.map((other) => `${other.label} ${more[other.label]}`).join(', '),
    );
}

/**
 * 1. Partner read: Nøkkel (both executors) vs raw throughput, with a key that has a network
 * allowlist; and in the same turns the same read with a key without one, to show what it costs,
 * and the same read answered by Apollo Server's pipeline instead of Nøkkel's own (sent with an
 * empty `extensions` object, which the own pipeline leaves to Apollo; the answer is the same).
 */
export async function partnerRead(b: Bench): Promise<string> {
  const { partner, partnerWithoutAllowlist } = b.checked;
  const statements = (await post(b.url, '/graphql', PARTNER_READ, {}, partner)).statements;
  const open = 'Nøkkel, key without allowlist';
  const apollo = "Nøkkel, Apollo's pipeline";
  const throughApollo = variant('/graphql', PARTNER_READ, {}, partner);
  throughApollo.body = JSON.stringify({ query: PARTNER_READ, variables: {}, extensions: {} });
  const scenario = '1 partner read (customers first 20)';
  const result = await compareWithRaw(
    b,
    scenario,
    (path) => [variant(path, PARTNER_READ, {}, partner)],
    '/raw/customers',
    { ours: statements, raw: b.checked.rawStatements.partner },
    undefined,
    {
      [open]: [variant('/graphql', PARTNER_READ, {}, partnerWithoutAllowlist)],
      [apollo]: [throughApollo],
      ...otherReleases(b, scenario, (other) => variant('/graphql', PARTNER_READ, {}, other.partner)),
    },
  );
  b.measurements.note(
    `partner read: the key's network allowlist (4 networks): ${result.ratio} of raw with it, ${result.more[open]} without it`,
  );
  b.measurements.note(
    `partner read: Nøkkel's own pipeline for validated documents ${result.ratio} of raw, Apollo's pipeline ${result.more[apollo]}`,
  );
  noteOthers(b, 'partner read', result.ratio, result.more);
  return result.ratio;
}

/**
 * 1b. The year-end batch: 50 connections, each a partner read at a different client (the partner
 * keys' links), so nothing is warm for one company only.
 */
export async function partnerReadMultiClient(b: Bench): Promise<string> {
  const pairs = b.checked.multiClient;
  const { ratio: r } = await compareWithRaw(
    b,
    `1b partner reads at ${pairs.length} clients, ${pairs.length} connections`,
    (path) => pairs.map((credentials) => variant(path, PARTNER_READ, {}, credentials)),
    '/raw/customers',
    { ours: null, raw: null },
    pairs.length,
  );
  return r;
}

/** 2. Key overview, N = 50: Nøkkel (both executors) vs raw throughput. */
export async function keyOverview(b: Bench): Promise<string> {
  const { session } = b.checked;
  const scenario = '2 key overview N=50';
  const result = await compareWithRaw(
    b,
    scenario,
    (path) => [variant(path, KEY_OVERVIEW, { n: 50 }, session)],
    '/raw/userKeys',
    { ours: b.checked.overviewSql[50], raw: b.checked.rawStatements.overview },
    undefined,
    otherReleases(b, scenario, (other) => variant('/graphql', KEY_OVERVIEW, { n: 50 }, other.session)),
  );
  noteOthers(b, 'key overview', result.ratio, result.more);
  return result.ratio;
}

/**
 * 3. Deep page vs first page: the same document, run side by side (half the connections each),
 * so both see the same machine; the ratio is of their mean latencies.
 */
export async function deepPage(b: Bench): Promise<string> {
  const { partner, deepCursor } = b.checked;
  const statementsAfter = async (after: string | null) =>
    (await post(b.url, '/graphql', CUSTOMER_PAGE, { after }, partner)).statements;
  const firstSql = await statementsAfter(null);
  const deepSql = await statementsAfter(deepCursor);
  const [p3a, p3b] = await uncounted(b.server, () =>
    b.measurements.measure(
      b.url,
      [
        { name: 'first page', variants: [variant('/graphql', CUSTOMER_PAGE, { after: null }, partner)] },
        { name: 'deep page', variants: [variant('/graphql', CUSTOMER_PAGE, { after: deepCursor }, partner)] },
      ],
      () => b.server.usage(),
      true,
    ),
  );
  const first = b.measurements.addRow('3a customers first page (side by side with 3b)', 'Nøkkel', p3a, firstSql);
  const deepName = `3b customers deep page (after row ${b.data.mainCustomers.count - 20})`;
  const deep = b.measurements.addRow(deepName, 'Nøkkel', p3b, deepSql);
  return ratio(deep.mean, first.mean);
}

/**
 * Waits until every event is numbered: a bulk link's events are numbered after its commit, in the
 * background, and that work must not fall on the next measured call (ours or raw). Returns the ms
 * it took.
 */
async function eventsNumbered(b: Bench): Promise<number> {
  const begun = performance.now();
  for (;;) {
    await b.server.relayEvents();
    const [left] = await b.db.query<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM access_event WHERE seq IS NULL',
      [],
    );
    if (Number(left.n) === 0) return performance.now() - begun;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** One bulkLinkClients call through the API with a fresh key, then the wait for its events' numbers. */
async function bulkLinkThroughApi(b: Bench, clientIds: string[], userKeyId: string) {
  const input = { clientIds, userKeyId, accessTemplateId: b.data.templates.bookkeeping };
  const reply = await post<{ bulkLinkClients: { linkedCount: number } }>(
    b.url,
    '/graphql',
    BULK_LINK,
    { input },
    b.checked.session,
  );
  const linked = expectOk(reply, 'bulkLinkClients').bulkLinkClients.linkedCount;
  if (linked !== clientIds.length) throw new Error(`bulkLinkClients linked ${linked} of ${clientIds.length}`);
  return { ms: reply.ms, statements: reply.statements, numbering: await eventsNumbered(b) };
}

/** The baseline: the same links as one multi-row INSERT with a fresh key. */
async function bulkLinkRaw(b: Bench, clientIds: string[], keyId: string): Promise<number> {
  const begun = performance.now();
  await rawBulkLink(b.db, {
    officeId: b.data.officeId,
    keyId,
    templateId: b.data.templates.bookkeeping,
    clientIds,
  });
  const ms = performance.now() - begun;
  const [count] = await b.db.query<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM client_link WHERE grantee_id = ?',
    [keyId],
  );
  if (Number(count.n) !== clientIds.length) throw new Error('raw bulk link: wrong number of links');
  return ms;
}

/** 4. bulkLinkClients of N clients vs the raw INSERT: the ratio of their mean times per call. */
export async function bulkLink(b: Bench): Promise<string> {
  const clientIds = b.data.allClientIds.slice(0, b.settings.bulkClients);
  if (clientIds.length < b.settings.bulkClients) throw new Error(`only ${clientIds.length} clients for bulk linking`);
  const keys = [...b.data.bulkKeyIds];
  // Ours and raw take turns, call by call: the database's background work (flushing the pages of
  // the last 5,000 rows) and the machine's minute fall on both alike. The first pair warms up.
  const api = { times: [] as number[], numbering: [] as number[], statements: null as number | null };
  const rawTimes: number[] = [];
  for (let i = 0; i <= b.settings.bulkCalls; i++) {
    const call = await bulkLinkThroughApi(b, clientIds, keys.shift()!);
    const raw = await bulkLinkRaw(b, clientIds, keys.shift()!);
    api.statements = call.statements;
    if (i === 0) continue;
    api.times.push(call.ms);
    api.numbering.push(call.numbering);
    rawTimes.push(raw);
  }
  const usage = await b.server.usage();
  b.measurements.trackPeak(usage);
  const scenario = `4 bulk link ${clientIds.length} clients (per call)`;
  const ourStatements = api.statements === null ? '-' : String(api.statements);
  const ours = b.measurements.addCallsRow(scenario, 'Nøkkel', api.times, ourStatements, usage.maxRssMb);
  const rawStatements = b.db.dialect === 'mysql' ? '1' : String(Math.ceil(clientIds.length / 3000));
  const base = b.measurements.addCallsRow(scenario, 'raw', rawTimes, rawStatements, null);
  const mean = api.numbering.reduce((sum, t) => sum + t, 0) / api.numbering.length;
  b.measurements.note(
    `bulk link: after each call its access events were numbered for the feed in ${mean.toFixed(0)} ms more ` +
      '(mean, in the background, not part of the call; the next call waits for it)',
  );
  return ratio(ours.mean, base.mean);
}
