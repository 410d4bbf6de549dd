/** Where the explorer's browser tests look for Chromium (Debian's package; never a downloaded browser). */
const CHROMIUM = '/usr/bin/chromium';

declare const NOKKEL_FOUND: { chromium: boolean; redis: boolean; mariadb: boolean } | undefined;

export type Need = 'chromium' | 'redis';

const WHY: Record<Need, string> = {
  chromium: `no Chromium at ${CHROMIUM}`,
  redis: 'Redis is not answering (REDIS_URL, default 127.0.0.1:6379)',
};

/** Whether the run found it (jest.config.js looked before the tests; CI=true requires it). */
export function found(need: Need): boolean {
  return typeof NOKKEL_FOUND === 'undefined' || NOKKEL_FOUND[need];
}

/** `describe`, or a skipped `describe` whose title says what is missing. */
export function describeNeeding(need: Need): (title: string, body: () => void) => void {
  return found(need) ? describe : (title, body) => describe.skip(`${title} — skipped: ${WHY[need]}`, body);
}

/** `test`, or a skipped `test` whose title says what is missing. */
export function testNeeding(need: Need): (title: string, body: () => Promise<void>, timeout?: number) => void {
  return found(need) ? test : (title, body, timeout) => test.skip(`${title} — skipped: ${WHY[need]}`, body, timeout);
}
