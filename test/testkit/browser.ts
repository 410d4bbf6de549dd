import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

/** Debian's Chromium: the browser tests never download one. */
export const CHROMIUM = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface OfflineBrowser {
  context: BrowserContext;
  /** Every request the pages tried to send anywhere but the server on 127.0.0.1 (each was blocked). */
  foreign: string[];
  close(): Promise<void>;
}

/**
 * A headless Chromium with a fresh profile, whose requests to any host but 127.0.0.1 are blocked
 * and recorded in `foreign`: the pages under test must work from the server alone.
 */
export async function launchOfflineBrowser(
  options: Parameters<typeof chromium.launchPersistentContext>[1] = {},
): Promise<OfflineBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'nokkel-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    serviceWorkers: 'block',
    ...options,
  });
  const foreign: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol) && url.hostname !== '127.0.0.1') {
      foreign.push(route.request().url());
      return route.abort('blockedbyclient');
    }
    return route.continue();
  });
  return {
    context,
    foreign,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
