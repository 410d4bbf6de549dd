import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { launchOfflineBrowser, type OfflineBrowser } from '../../testkit/browser';
import { describeNeeding } from '../../testkit/needs';
import { buildWorld } from '../../testkit/world';

/**
 * The explorer in a real headless Chromium (Debian's /usr/bin/chromium; never a downloaded
 * browser): it loads from the server alone, with no request to any other host, and runs a
 * query with a session token typed into its headers editor. The browser part is about the
 * page, not the database, so it runs on SQLite only.
 */
const ARTIFACTS = join(__dirname, '..', '..', 'artifacts');
const onSqlite = testDatabaseKind() === 'sqlite';

/** Calls `read` until `accept` holds for its value (or fails with the last value after `timeout` ms). */
async function eventually<T>(read: () => Promise<T>, accept: (value: T) => boolean, timeout = 10_000): Promise<T> {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await read();
    if (accept(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value: ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

(onSqlite ? describeNeeding('chromium') : describe.skip)('the explorer in headless Chromium (EXPLORER=on)', () => {
  let app: TestApp;
  let browser: OfflineBrowser | undefined;
  let page: Page;
  const graphqlBodies: string[] = [];
  const graphqlRequests: { body: string; headers: Record<string, string> }[] = [];
  const cspViolations: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ explorer: true });
    await buildWorld(app.seed);
    browser = await launchOfflineBrowser({ viewport: { width: 1400, height: 900 } });
    const { context } = browser;
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/graphql')) {
        graphqlBodies.push(request.postData() ?? '');
        graphqlRequests.push({ body: request.postData() ?? '', headers: request.headers() });
      }
    });
    page = context.pages()[0] ?? (await context.newPage());
    // the page runs under a strict Content-Security-Policy: anything it blocks shows on the console
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  /** The visible editor of the Variables/Headers panel. */
  const toolEditor = () => page.locator('.graphiql-editor-tool .graphiql-editor:not(.hidden)');
  /** What an editor shows (the editor renders spaces as no-break spaces). */
  const textOf = async (locator: Locator) => (await locator.innerText()).replace(/\u00a0/g, ' ');

  async function openTab(title: string): Promise<void> {
    // the whole title: "viewer" is also the start of "viewerReach"
    const exact = new RegExp(`^${title}$`);
    const tab = page.locator('.graphiql-tab', { has: page.locator('.graphiql-tab-button', { hasText: exact }) });
    // GraphiQL's tabs are draggable; the first click after an editor had focus only ends the
    // drag gesture, so click until the tab is selected.
    await eventually(
      async () => {
        await tab.locator('.graphiql-tab-button').click();
        return tab.getAttribute('aria-selected');
      },
      (selected) => selected === 'true',
    );
  }

  async function runAndWaitFor(operationName: string): Promise<{ data?: Record<string, unknown>; errors?: unknown[] }> {
    const isOperation = (body: string | null) => (body ?? '').includes(`"operationName":"${operationName}"`);
    const responded = page.waitForResponse((r) => isOperation(r.request().postData()), { timeout: 15_000 });
    // like the tabs, the run button may need a second click after focus moved between editors
    for (let attempt = 0; attempt < 5; attempt++) {
      const sent = page.waitForRequest((r) => isOperation(r.postData()), { timeout: 1_500 });
      await page.locator('.graphiql-execute-button').click();
      if (
        await sent.then(
          () => true,
          () => false,
        )
      )
        break;
    }
    return (await (await responded).json()) as { data?: Record<string, unknown>; errors?: unknown[] };
  }

  test('GET /graphql serves GraphiQL with the article flows and the header hint, and nothing leaves the machine', async () => {
    // the first request renders and gzips the 9 MB page: on a loaded shared machine that takes longer than 30 s
    const response = await page.goto(`${app.url}/graphql`, { timeout: 120_000 });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'.*connect-src 'self'/);
    expect(response?.headers()['content-encoding']).toBe('gzip');
    await page.locator('.graphiql-tab-button').first().waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Nøkkel API explorer');

    const tabs = await page.locator('.graphiql-tab-button').allInnerTexts();
    // each tab runs the SDK's operations, and GraphiQL names it after the first
    expect(tabs).toEqual([
      'login',
      'viewer',
      'createUserKey',
      'restoreUserKey',
      'bulkLinkClients',
      'setAccountantApiAccess',
      'customers',
      'setUserKeyAllowedNetworks',
      'setKeyPolicy',
      'reportLeakedSecrets',
      'viewerReach',
      'companyAccountingOffices',
      'accessEvents',
    ]);
    // the schema loads (introspection with the default, empty headers), so the docs explorer works
    await eventually(
      async () => graphqlBodies.some((body) => body.includes('IntrospectionQuery')),
      (sent) => sent,
    );

    await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
    await eventually(
      () => textOf(toolEditor()),
      (text) => text.includes('"email": "kari@regnskap.example"'),
    );

    await openTab('viewer');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const hint = await eventually(
      () => textOf(toolEditor()),
      (text) => text.includes('"X-Company-Id"'),
    );
    // the tab's own headers are empty: the bar above the editor sets them for every tab
    expect(hint).toContain('"Authorization": ""');
    expect(hint).toContain('"X-Company-Id"');
    expect(await page.locator('#nokkel-token').getAttribute('placeholder')).toBe(
      'run login, or paste a token or key secret',
    );
    expect(await page.locator('#nokkel-token').getAttribute('type')).toBe('password');
    expect(browser?.foreign).toEqual([]);
    expect(cspViolations).toEqual([]);
  });

  test('the docs pane says which permission a field needs: Query.customers shows “Requires CUSTOMER_READ”', async () => {
    await page.locator('.graphiql-sidebar button[aria-label="Show Documentation Explorer"]').click();
    await page
      .locator('.graphiql-doc-explorer a', { hasText: /^Query$/ })
      .first()
      .click();
    await page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-field-name', { hasText: /^customers$/ }).click();
    const docs = await eventually(
      () => page.locator('.graphiql-doc-explorer').innerText(),
      (text) => text.includes('Requires CUSTOMER_READ'),
    );
    expect(docs).toContain('customers');
    await page.locator('.graphiql-sidebar button[aria-label="Hide Documentation Explorer"]').click();
  });

  test('log in, put the session token in the headers editor, run Viewer: the result shows in the page', async () => {
    await openTab('login');
    const login = await runAndWaitFor('login');
    const token = (login.data?.login as { token: string }).token;
    expect(token).toMatch(/^nks_/);
    await eventually(
      () => textOf(page.locator('.graphiql-response')),
      (text) => text.includes('"token"'),
    );

    await openTab('viewer');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await toolEditor().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}`, 'X-Company-Id': '' }));
    // the editor auto-closes quotes and braces while text is inserted: drop what it added
    await page.keyboard.press('ControlOrMeta+Shift+End');
    await page.keyboard.press('Delete');

    const viewer = await runAndWaitFor('viewer');
    expect(viewer.errors).toBeUndefined();
    const result = page.locator('.graphiql-response');
    await result.getByText('"Kari Nordmann"').waitFor({ timeout: 10_000 });
    await eventually(
      () => textOf(result),
      (text) => text.includes('"ACCOUNTING_OFFICE"'),
    );

    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'explorer.png') });

    // credentials travel in headers only, never in a request body
    expect(graphqlBodies.filter((body) => body.includes(token))).toEqual([]);
    expect(browser?.foreign).toEqual([]);
    expect(cspViolations).toEqual([]);

    // the page keeps its tabs in localStorage, but neither the Login password (variables) nor
    // the pasted token (headers) is ever written there
    const stored = () => page.evaluate(() => JSON.stringify({ ...window.localStorage }));
    const storage = await eventually(stored, (text) => text.includes('viewer') && text.includes('graphiql:tabState'));
    // (the Login tab's comment names the demo password; its variables hold it as a JSON value)
    const passwordValue = /password\\*"\s*:\s*\\*"demo-password/;
    expect(storage).not.toMatch(passwordValue);
    expect(storage).toMatch(/"variables\\*":null/);
    expect(storage).not.toContain(token);
    expect(storage).not.toMatch(/nk[ls]_[0-9A-Za-z]{20}/);

    // the bar's token is in no storage either
    expect(await page.locator('#nokkel-token').inputValue()).toBe(token);

    // after a reload the page still works from what it kept
    await page.reload();
    await page
      .locator('.graphiql-tab-button', { hasText: /^viewer$/ })
      .first()
      .waitFor({ timeout: 20_000 });
    expect(await stored()).not.toMatch(passwordValue);
  });

  test('one place for every tab: login fills the bar, and every tab sends its token and company', async () => {
    await page.locator('#nokkel-clear').click();
    await openTab('login');
    // after the reload the tab has its query but not its variables (they are never stored)
    await page.locator('.graphiql-editor-tools button[data-name="variables"]').click();
    await toolEditor().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(JSON.stringify({ email: 'kari@regnskap.example', password: 'demo-password' }));
    await page.keyboard.press('ControlOrMeta+Shift+End');
    await page.keyboard.press('Delete');
    const login = await runAndWaitFor('login');
    const token = (login.data?.login as { token: string }).token;
    await eventually(
      () => page.locator('#nokkel-token').inputValue(),
      (value) => value === token,
    );
    await page.locator('#nokkel-company').fill('cmp_not-a-company');
    await openTab('accessEvents');
    const events = await runAndWaitFor('accessEvents');
    const sent = graphqlRequests.filter((r) => r.body.includes('"operationName":"accessEvents"')).at(-1);
    expect(sent?.headers.authorization).toBe(`Bearer ${token}`);
    expect(sent?.headers['x-company-id']).toBe('cmp_not-a-company');
    // a company the caller has nothing to do with: the server refuses it, so the header did arrive
    expect(JSON.stringify(events.errors ?? [])).toMatch(/FORBIDDEN|NOT_FOUND|UNAUTHENTICATED|BAD_USER_INPUT/);

    await page.locator('#nokkel-company').fill('');
    const again = await runAndWaitFor('accessEvents');
    expect(again.errors).toBeUndefined();
    expect(browser?.foreign).toEqual([]);
    expect(cspViolations).toEqual([]);
  });
});

test('EXPLORER=off: a browser asking for HTML gets no explorer page', async () => {
  const app = await startTestApp({ explorer: false });
  try {
    const res = await fetch(`${app.url}/graphql`, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(res.headers.get('content-type') ?? '').not.toMatch(/text\/html/);
    expect(await res.text()).not.toMatch(/GraphiQL|<html/i);
  } finally {
    await app.close();
  }
});

test('EXPLORER=on: API clients that do not ask for HTML still get GraphQL on GET /graphql', async () => {
  const app = await startTestApp({ explorer: true });
  try {
    const res = await fetch(`${app.url}/graphql?query=${encodeURIComponent('{ permissions { permission } }')}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true' },
    });
    expect(res.headers.get('content-type')).toMatch(/json/);
    const body = (await res.json()) as { data: { permissions: unknown[] } };
    expect(body.data.permissions).toHaveLength(12);
  } finally {
    await app.close();
  }
});
