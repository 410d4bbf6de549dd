import type { Family } from '../family';
import { kariKeys, keysPerPool } from '../keys';
import { sized } from '../options';
import { inParallel } from '../tally';

/** 15 counts over the office's whole client list (each a scan with a search), costed as 15 items. */
function counts(seed: number): string {
  const fields = Array.from(
    { length: 14 },
    (_, i) => `c${i}: clients(first: 1, search: "${(seed + i) % 10}${i}") { totalCount }`,
  );
  return `{ ${fields.join(' ')} audit: auditEvents(first: 1) { totalCount } }`;
}

/**
 * Finding 15: `totalCount` floods, requests that cost almost nothing but count whole tables.
 * Pass: the victim's p99 holds (counts are costed by their work), no crash.
 */
export const totalCount: Family = {
  name: 'total-count',
  findings: '15',
  steps: (options) => [
    {
      name: `${sized(options, 300, 60)} requests of 15 counts each`,
      budgetMs: sized(options, 10_000, 2_000),
      async run(ctx) {
        const keys = await kariKeys(ctx, 'EMPLOYEE', keysPerPool(options), 'counts');
        const tokens = [ctx.world.kari.token, ...keys.map((k) => k.token)];
        await inParallel(sized(options, 300, 60), 8, ctx, (i) =>
          ctx.graphql({ query: counts(i), token: tokens[i % tokens.length], origin: ctx.attacker(80) }),
        );
      },
    },
  ],
};
