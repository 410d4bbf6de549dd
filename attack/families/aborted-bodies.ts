import type { Family } from '../family';
import { sized } from '../options';
import { openSocket } from '../raw-socket';
import { inParallel, sleep } from '../tally';

/**
 * Finding 14: bodies the client aborts half-way, and persisted-query hashes that do not match
 * their query, at a high rate. Pass: no crash, and no error-level log lines (client faults are
 * logged at warn without stack traces); the harness counts the server's error lines.
 */
export const abortedBodies: Family = {
  name: 'aborted-bodies',
  findings: '14',
  steps: (options) => [
    {
      name: `${sized(options, 300, 60)} POST bodies cut off half-way`,
      budgetMs: sized(options, 5_000, 1_000),
      async run(ctx) {
        const origin = ctx.attacker(90);
        const head = [
          'POST /graphql HTTP/1.1',
          'Host: 127.0.0.1',
          'Content-Type: application/json',
          'Content-Length: 100000',
          `X-Forwarded-For: ${origin.forwardedFor}`,
          '',
          '',
        ].join('\r\n');
        await inParallel(sized(options, 300, 60), 10, ctx, async () => {
          const socket = openSocket(ctx.baseUrl, origin);
          socket.on('error', () => undefined);
          await new Promise<void>((resolve) => {
            socket.once('connect', resolve);
            socket.once('error', () => resolve());
          });
          socket.write(`${head}{"query":"{ viewer { company { id } } }","variables":{"pad":"${'x'.repeat(2000)}`);
          await sleep(20);
          // cut off: the server sees the connection end with the body unfinished
          socket.destroy();
          ctx.tally.sent++;
          ctx.tally.abandon();
        });
      },
    },
    {
      name: `${sized(options, 300, 60)} persisted-query hashes that do not match their query`,
      budgetMs: sized(options, 5_000, 1_000),
      async run(ctx) {
        await inParallel(sized(options, 300, 60), 10, ctx, (i) =>
          ctx.graphql({
            query: `{ viewer { company { id } } } # ${i}`,
            origin: ctx.attacker(91),
            extensions: { persistedQuery: { version: 1, sha256Hash: '0'.repeat(64) } },
          }),
        );
      },
    },
  ],
};
