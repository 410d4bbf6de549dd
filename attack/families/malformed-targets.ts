import type { Family, Step } from '../family';
import { sized } from '../options';
import { rawExchange } from '../raw-socket';
import { inParallel } from '../tally';

/** Request targets that `new URL(target, base)` throws on (finding 1): 40 bytes, no credential. */
export const MALFORMED_TARGETS = ['//[', 'http://[', '//a b', 'http://%zz/', '//x:99999/graphql'];

/**
 * Finding 1: malformed request targets over raw sockets. Each target is its own step, so one
 * that kills the server does not hide the others. Pass: every one is answered (400), no crash.
 */
export const malformedTargets: Family = {
  name: 'malformed-targets',
  findings: '1',
  steps: (options) =>
    MALFORMED_TARGETS.map((target): Step => ({
      name: `GET ${target} HTTP/1.1`,
      budgetMs: sized(options, 2_000, 500),
      async run(ctx) {
        const origin = ctx.attacker(1);
        const bytes = `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Forwarded-For: ${origin.forwardedFor}\r\nConnection: close\r\n\r\n`;
        let serverErrors = 0;
        await inParallel(sized(options, 20, 3), 4, ctx, async () => {
          ctx.tally.sent++;
          const result = await rawExchange(ctx.baseUrl, origin, bytes, options.requestTimeoutMs);
          if (typeof result === 'number') ctx.tally.answered(String(result));
          else ctx.tally.noAnswer(result);
          if (typeof result === 'number' && result >= 500) serverErrors++;
        });
        if (serverErrors) ctx.finding(`${target} was answered with a server error ${serverErrors} time(s)`);
      },
    })),
};
