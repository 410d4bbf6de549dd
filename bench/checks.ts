import { encodeCursor } from '../server/src/db/pagination/cursor';
import type { BenchData } from './data-set/sizes';
import {
  CUSTOMER_PAGE,
  KEY_OVERVIEW,
  PARTNER_READ,
  OWN_NETWORKS,
  expectOk,
  loginAs,
  post,
  type Credentials,
} from './graphql';

/** What the checks established and the scenarios use. */
export interface Checked {
  /** A session of the office's all-permission employee. */
  session: Credentials;
  /** A partner key acting at the main client. */
  partner: Credentials;
  /** Partner credentials at different clients (scenario 1b). */
  multiClient: Credentials[];
  /** A partner key at the main client like `partner`, but without a network allowlist. */
  partnerWithoutAllowlist: Credentials;
  /** SQL statements per request of the raw baseline (partner read, overview). */
  rawStatements: { partner: number | null; overview: number | null };
  /** Overview statements by page size N. */
  overviewSql: Record<number, number | null>;
  /** The cursor after which the main client's last 20 customers follow. */
  deepCursor: string;
}

type CustomersData = {
  customers: { edges: { node: { id: string } }[]; pageInfo?: { endCursor: string | null } };
};
type OverviewData = { userKeys: { edges: unknown[] } };

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

/**
 * The deep page: a cursor near the end of the main client's customers. Cursors are base64url
 * JSON arrays of the sort values (keyset on id); the one the API hands out for the first page is
 * checked against the same encoding, then the deep page is read once and checked.
 */
async function checkDeepPage(url: string, data: BenchData, partner: Credentials): Promise<string> {
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
  return deepCursor;
}

/**
 * Up to `count` (partner key, client) pairs at different clients where the key may read customers
 * (a template with CUSTOMER_READ) and both servers give the same answer.
 */
async function partnerPairs(url: string, rawUrl: string, data: BenchData, count: number): Promise<Credentials[]> {
  const pairs: Credentials[] = [];
  for (const companyId of data.clientIds.slice(0, 4 * count)) {
    for (const { token } of data.partners) {
      const credentials: Credentials = { token, companyId };
      const ours = await post<CustomersData>(url, '/graphql', PARTNER_READ, {}, credentials);
      if (ours.errors?.length || !ours.data) continue;
      const raw = await post<CustomersData>(rawUrl, '/raw/customers', PARTNER_READ, {}, credentials);
      if (firstDifference(ours.data, expectOk(raw, 'raw partner read')) !== null)
        throw new Error(`partner read at ${companyId}: the raw baseline answers differently`);
      pairs.push(credentials);
      break;
    }
    if (pairs.length === count) return pairs;
  }
  throw new Error(`partner reads: only ${pairs.length} of ${count} clients readable by the partner keys`);
}

/** Correctness first: both servers answer, with the same data; the statement counts of the API. */
export async function checkServers(
  url: string,
  rawUrl: string,
  data: BenchData,
  log: (line: string) => void,
): Promise<Checked> {
  const session = await loginAs(url, data.admin.email, data.admin.password);
  const allowlisted = data.partners.find((p) => p.allowlisted);
  const open = data.partners.find((p) => !p.allowlisted);
  if (!allowlisted || !open) throw new Error('the data set needs partner keys with and without an allowlist');
  const partner: Credentials = { token: allowlisted.token, companyId: data.mainClientId };
  const partnerWithoutAllowlist: Credentials = { token: open.token, companyId: data.mainClientId };
  log('checks:');
  const oursPartner = await post<CustomersData>(url, '/graphql', PARTNER_READ, {}, partner);
  const rawPartner = await post<CustomersData>(rawUrl, '/raw/customers', PARTNER_READ, {}, partner);
  const partnerIds = expectOk(oursPartner, 'partner read').customers.edges.map((e) => e.node.id);
  if (partnerIds.join() !== data.mainCustomers.firstIds.join())
    throw new Error('partner read: not the first 20 customers');
  const partnerDiff = firstDifference(oursPartner.data, expectOk(rawPartner, 'raw partner read'));
  const own = await post<{ viewer: { userKey: { allowedNetworks: string[] } | null } }>(
    url,
    '/graphql',
    OWN_NETWORKS,
    {},
    partner,
  );
  const networks = expectOk(own, 'own networks').viewer.userKey?.allowedNetworks ?? [];
  if (!networks.length) throw new Error('partner read: the partner key has no network allowlist');
  log(
    `  partner read: 20 customers; raw baseline returns the same JSON: ${partnerDiff === null ? 'yes' : `NO (${partnerDiff})`}; ` +
      `the key may be used from ${networks.length} networks (${networks.join(', ')}), the bench calls from the last`,
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

  const deepCursor = await checkDeepPage(url, data, partner);
  log(
    `  deep page: after row ${data.mainCustomers.count - 20} of ${data.mainCustomers.count} at the main client: the last 20 customers`,
  );
  const multiClient = await partnerPairs(url, rawUrl, data, 50);
  log(`  partner reads at ${multiClient.length} different clients: the raw baseline returns the same JSON at each`);
  const rawStatements = { partner: rawPartner.statements, overview: rawOverview.statements };
  return { session, partner, partnerWithoutAllowlist, rawStatements, overviewSql, deepCursor, multiClient };
}
