import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { withSharedHeaders } from './shared-headers';
import { explorerTabs } from './tabs';

/**
 * The in-browser explorer (GraphiQL) served to browsers on GET /graphql.
 *
 * The page is one self-contained HTML document: GraphiQL, its editor workers, styles and icons
 * are inlined by @graphql-yoga/render-graphiql, so nothing is fetched from a CDN and it works
 * offline and behind company proxies. Neither headers nor variables typed into the editor are
 * persisted, so a pasted token or a typed password does not outlive the tab.
 */

export { EXPLORER_TAB_OPERATIONS, explorerTabs, type ExplorerTab } from './tabs';

const json = (value: unknown): string => JSON.stringify(value, null, 2);

const KEY_LOGO =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="28" height="28" aria-hidden="true">' +
  '<circle cx="7" cy="12" r="4.5" fill="none" stroke="currentColor" stroke-width="2"/>' +
  '<path d="M11.5 12H22M18 12v4M21 12v3" fill="none" stroke="currentColor" stroke-width="2"/></svg>';

type ExplorerOptions = NonNullable<Parameters<typeof renderGraphiQL>[0]>;

/**
 * GraphiQL keeps its tabs, history and editors in localStorage, which outlives the tab and is
 * readable by anything running on the origin later. Variables can hold a password (Login) and
 * headers a session token or key secret, so this storage (browser code, placed in the page) keeps
 * queries, tabs and settings but writes every `variables` and `headers` as null, and scrubs what an
 * older page stored the first time it is read.
 */
const SECRET_FREE_STORAGE = `(function () {
  var SECRET_KEYS = ['graphiql:variables', 'graphiql:headers'];
  var STRUCTURED_KEYS = ['graphiql:tabState', 'graphiql:queries', 'graphiql:favorites'];
  function secretFree(key, value) {
    if (SECRET_KEYS.indexOf(key) >= 0) return null;
    if (STRUCTURED_KEYS.indexOf(key) < 0) return value;
    try {
      return JSON.stringify(JSON.parse(value), function (k, v) {
        return k === 'variables' || k === 'headers' ? null : v;
      });
    } catch (e) {
      return null;
    }
  }
  function put(key, value) {
    var safe = value === null ? null : secretFree(key, String(value));
    if (safe === null) localStorage.removeItem(key);
    else localStorage.setItem(key, safe);
    return safe;
  }
  return {
    getItem: function (key) {
      var value = localStorage.getItem(key);
      return value === null || secretFree(key, value) === value ? value : put(key, value);
    },
    setItem: function (key, value) { put(key, value); },
    removeItem: function (key) { localStorage.removeItem(key); },
    clear: function () {
      for (var i = localStorage.length - 1; i >= 0; i--) {
        var key = localStorage.key(i);
        if (key && key.indexOf('graphiql:') === 0) localStorage.removeItem(key);
      }
    },
    key: function (i) { return localStorage.key(i); },
    get length() { return localStorage.length; }
  };
})()`;

let page: string | null = null;

/** The GraphiQL page: one self-contained HTML document (no CDN), so it works offline. */
export function explorerPage(): string {
  if (page !== null) return page;
  const tabs = explorerTabs();
  const [first] = tabs;
  // GraphiQL takes the first tab's query from defaultTabs but its variables and headers only from
  // the initial values: give them too, or Login starts with empty variables.
  const options: ExplorerOptions & { variables: string } = {
    title: 'Nøkkel API explorer',
    logo: KEY_LOGO,
    endpoint: '/graphql',
    defaultTabs: tabs.map((tab) => ({
      query: tab.query,
      variables: json(tab.variables),
      headers: json(tab.headers),
    })),
    variables: json(first.variables),
    headers: json(first.headers),
    isHeadersEditorEnabled: true,
    defaultEditorToolsVisibility: 'headers',
    shouldPersistHeaders: false,
    credentials: 'omit',
  };
  // the options reach the page as JSON; the storage is code, so it goes in next to them
  const asJson = JSON.stringify(options);
  const rendered = renderGraphiQL(options);
  if (!rendered.includes(asJson)) throw new Error('the explorer page has no options to attach its storage to');
  page = withSharedHeaders(
    rendered.replace(asJson, () => `Object.assign(${asJson}, { storage: ${SECRET_FREE_STORAGE} })`),
  );
  return page;
}

/**
 * The browser may load nothing from elsewhere: everything the page needs is inline (GraphiQL's
 * bundle, styles, the logo) and it talks only to this server.
 */
export const EXPLORER_CSP = [
  "default-src 'none'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

export interface ExplorerBody {
  body: Buffer;
  headers: Record<string, string>;
}

interface PreparedExplorer {
  plain: Buffer;
  gzipped: Buffer;
}

let prepared: Promise<PreparedExplorer> | null = null;

/**
 * Renders the page and gzips it once, off the event loop (level 9 takes over a second of CPU), and
 * keeps both bodies for the life of the process. Every response sends one of these two Buffer
 * instances: a client that never reads its response pins no copy of its own.
 */
export function prepareExplorer(): Promise<PreparedExplorer> {
  prepared ??= (async () => {
    const plain = Buffer.from(explorerPage(), 'utf8');
    const gzipped = await promisify(gzip)(plain, { level: 9 });
    return { plain, gzipped };
  })();
  return prepared;
}

/** The explorer page as an HTTP body: gzip when the browser accepts it (the page is ~9 MB, ~2.4 MB gzipped). */
export async function explorerBody(acceptEncoding: string | undefined): Promise<ExplorerBody> {
  const { plain, gzipped } = await prepareExplorer();
  const headers = {
    'content-type': 'text/html; charset=utf-8',
    'content-security-policy': EXPLORER_CSP,
    vary: 'accept-encoding',
  };
  if (/\bgzip\b/.test(acceptEncoding ?? ''))
    return { body: gzipped, headers: { ...headers, 'content-encoding': 'gzip' } };
  return { body: plain, headers };
}
