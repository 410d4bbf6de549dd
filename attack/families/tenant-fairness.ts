import type { Family } from '../family';
import { kariKeys, keysPerPool } from '../keys';
import { sized } from '../options';
import { inParallel } from '../tally';

/** A heavy but legal query of an office with many clients: 4 searched pages of 100 with their companies. */
const HEAVY = `query ($s: String!) {
  a: clients(first: 100, search: $s) { totalCount edges { node { apiAccess company { id name orgNumber } accountant { id name } } } }
  b: clients(first: 100, apiAccess: true) { totalCount edges { node { company { id name orgNumber } office { id name } } } }
  c: clients(first: 100, search: "AS") { totalCount edges { node { company { id name } links(first: 5) { totalCount } } } }
  d: userKeys(first: 100) { totalCount edges { node { id name owner { id name } clients(first: 5) { totalCount } } } } }`;

/**
 * Finding 10: one office's heavy queries against another tenant's cheap one. Regnskap AS sends
 * 20 heavy queries at a time (its session, another employee's and its keys) for a while; the
 * victim (another office) keeps asking its cheap question. Pass: the victim's p99 stays within 3×
 * its quiet p99 (the cost gate schedules per company), no crash.
 */
export const tenantFairness: Family = {
  name: 'tenant-fairness',
  findings: '10',
  steps: (options) => [
    {
      name: `20 heavy queries at a time from one office for ${sized(options, 12, 3)} s`,
      budgetMs: sized(options, 12, 3) * 1000,
      async run(ctx) {
        const keys = await kariKeys(ctx, 'EMPLOYEE', keysPerPool(options), 'fairness');
        const tokens = [ctx.world.kari.token, ctx.world.per.token, ...keys.map((k) => k.token)];
        await inParallel(Number.MAX_SAFE_INTEGER, 20, ctx, (i) =>
          ctx.graphql({
            query: HEAVY,
            variables: { s: `Massekunde ${i % 10}` },
            token: tokens[i % tokens.length],
            origin: ctx.attacker(70),
          }),
        );
      },
    },
  ],
};
