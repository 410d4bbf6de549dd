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
  const cspViolations: string[] = [];

  beforeAll(async () => {
    app = await startTestApp({ explorer: true });
    await buildWorld(app.seed);
    browser = await launchOfflineBrowser({ viewport: { width: 1400, height: 900 } });
    const { context } = browser;
    context.on('request', (request) => {
      if (request.method() === 'POST' && request.url().endsWith('/graphql'))
        graphqlBodies.push(request.postData() ?? '');
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
    const tab = page.locator('.graphiql-tab', { has: page.locator('.graphiql-tab-button', { hasText: title }) });
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
    const response = await page.goto(`${app.url}/graphql`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'.*connect-src 'self'/);
    expect(response?.headers()['content-encoding']).toBe('gzip');
    await page.locator('.graphiql-tab-button').first().waitFor({ timeout: 30_000 });
    expect(await page.title()).toBe('Nøkkel API explorer');

    const tabs = await page.locator('.graphiql-tab-button').allInnerTexts();
    expect(tabs).toEqual([
      'Login',
      'Viewer',
      'KeyFormData',
      'MyKeys',
      'LinkFormData',
      'ClientCompany',
      'AtTheClient',
      'RotateKey',
      'KeyNetworks',
      'KeyPolicy',
      'ReportLeak',
      'WhereCanThisKeyAct',
      'WhoActsInMyBooks',
      'AccessEvents',
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

    await openTab('Viewer');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    const hint = await eventually(
      () => textOf(toolEditor()),
      (text) => text.includes('"X-Company-Id"'),
    );
    expect(hint).toContain('"Authorization": "Bearer <paste the token from Login, or a key secret>"');
    expect(hint).toContain('"X-Company-Id"');
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
    await openTab('Login');
    const login = await runAndWaitFor('Login');
    const token = (login.data?.login as { token: string }).token;
    expect(token).toMatch(/^nks_/);
    await eventually(
      () => textOf(page.locator('.graphiql-response')),
      (text) => text.includes('"token"'),
    );

    await openTab('Viewer');
    await page.locator('.graphiql-editor-tools button[data-name="headers"]').click();
    await toolEditor().click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${token}`, 'X-Company-Id': '' }));
    // the editor auto-closes quotes and braces while text is inserted: drop what it added
    await page.keyboard.press('ControlOrMeta+Shift+End');
    await page.keyboard.press('Delete');

    const viewer = await runAndWaitFor('Viewer');
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
    const storage = await eventually(stored, (text) => text.includes('Viewer') && text.includes('graphiql:tabState'));
    // (the Login tab's comment names the demo password; its variables hold it as a JSON value)
    const passwordValue = /password\\*"\s*:\s*\\*"demo-password/;
    expect(storage).not.toMatch(passwordValue);
    expect(storage).toMatch(/"variables\\*":null/);
    expect(storage).not.toContain(token);
    expect(storage).not.toMatch(/nk[ls]_[0-9A-Za-z]{20}/);

    // after a reload the page still works from what it kept
    await page.reload();
    await page.locator('.graphiql-tab-button', { hasText: 'Viewer' }).first().waitFor({ timeout: 20_000 });
    expect(await stored()).not.toMatch(passwordValue);
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
