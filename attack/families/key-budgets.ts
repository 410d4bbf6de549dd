import type { Family } from '../family';
import { kariKeys, keysPerPool } from '../keys';
import { sized } from '../options';
import { DEFAULT_RATE_LIMITS } from '../../server/src/http/rate-limits';
import { setupOrigin } from '../addresses';
import { open, sleep } from '../tally';

/** The longest wait for the person's budget window to reset (it is a minute). */
const WINDOW_WAIT_MS = 62_000;

/** Costed near the per-query limit, cheap to run on the demo data: 3 employees × their keys. */
const COSTLY =
  '{ employees(first: 100) { edges { node { userKeys(first: 47) { edges { node { owner { id } } } } } } } }';

/**
 * Finding 9: budgets multiplied by keys. One person makes several keys (they are free) and spends
 * each key's cost budget at once. The budget is the person's (in the acting company), so every
 * key's answer reports what is left of that one budget: the cost accepted from all keys together is
 * compared with the budget those answers say was there (per budget window: a window may reset
 * during the step). Comparing with one key's share would mis-measure: keys spending one shared
 * budget side by side each get a fraction of it. Pass: about one budget's worth, and no crash.
 */
export const keyBudgets: Family = {
  name: 'key-budgets',
  findings: '9',
  steps: (options) => [
    {
      // the families before this one may have spent Kari's budget: wait for a whole one
      name: "waiting for a fresh window of Kari's budget (the victim rests)",
      budgetMs: WINDOW_WAIT_MS,
      victimRests: true,
      async run(ctx) {
        const keys = await kariKeys(ctx, 'EMPLOYEE', keysPerPool(options), 'budgets');
        const probe = await ctx.graphql({ query: '{ __typename }', token: keys[0].token, origin: setupOrigin(3) });
        const left = probe?.json?.extensions?.cost?.remaining;
        const resetAt = probe?.json?.extensions?.cost?.resetAt;
        let waitMs = 0;
        if (probe?.status === 429) waitMs = (Number(probe.headers['retry-after']) || 60) * 1000 + 500;
        else if (left !== undefined && resetAt && left < DEFAULT_RATE_LIMITS.costPerMinute / 2)
          waitMs = new Date(resetAt).getTime() - Date.now() + 500;
        if (waitMs > 0) {
          waitMs = Math.min(WINDOW_WAIT_MS, waitMs);
          ctx.progress(`Kari's budget is mostly spent: waiting ${Math.round(waitMs / 1000)} s for the next window`);
          await sleep(waitMs, ctx.signal);
        }
      },
    },
    {
      name: `${keysPerPool(options)} keys of one person, each spending its cost budget`,
      budgetMs: sized(options, 10_000, 3_000),
      async run(ctx) {
        const keys = await kariKeys(ctx, 'EMPLOYEE', keysPerPool(options), 'budgets');
        const perKey = sized(options, 30, 25);
        /** Per budget window (its reset time): the most the answers say was left before a request. */
        const available = new Map<string, number>();
        const accepted = await Promise.all(
          keys.map(async (key, k) => {
            let cost = 0;
            for (let i = 0; i < perKey && open(ctx); i++) {
              const answer = await ctx.graphql({ query: COSTLY, token: key.token, origin: ctx.attacker(60 + k) });
              if (answer?.status === 429 || !answer) break;
              const spent = answer.json?.extensions?.cost;
              if (answer.status !== 200 || answer.json?.errors?.length || !spent) continue;
              cost += spent.requested ?? 0;
              if (spent.resetAt !== undefined && spent.remaining !== undefined) {
                const before = spent.remaining + (spent.requested ?? 0);
                available.set(spent.resetAt, Math.max(available.get(spent.resetAt) ?? 0, before));
              }
            }
            return cost;
          }),
        );
        const total = accepted.reduce((a, b) => a + b, 0);
        const budget = [...available.values()].reduce((a, b) => a + b, 0);
        ctx.progress(
          `cost accepted per key: ${accepted.join(', ')} (total ${total}; the person's budget then: ${budget} in ${available.size} window(s))`,
        );
        if (budget > 0 && total > budget * 1.1)
          ctx.finding(`one person's ${keys.length} keys spent ${(total / budget).toFixed(1)}× the person's budget`);
        if (budget === 0 && total > 0) ctx.finding('the answers did not say what was left of the budget');
      },
    },
  ],
};
