import type { Family } from '../family';
import { kariKeys } from '../keys';
import { sized } from '../options';
import { open } from '../tally';

/** Costed near the per-query limit, cheap to run on the demo data: 3 employees × their keys. */
const COSTLY =
  '{ employees(first: 100) { edges { node { userKeys(first: 47) { edges { node { owner { id } } } } } } } }';

/**
 * Finding 9: budgets multiplied by keys. One person makes several keys (they are free) and spends
 * each key's cost budget. Reports how many budgets' worth were accepted; pass: about one
 * (budgets per person and company), and no crash.
 */
export const keyBudgets: Family = {
  name: 'key-budgets',
  findings: '9',
  steps: (options) => [
    {
      name: `${sized(options, 6, 3)} keys of one person, each spending its cost budget`,
      budgetMs: sized(options, 10_000, 3_000),
      async run(ctx) {
        const keys = await kariKeys(ctx, 'EMPLOYEE', sized(options, 6, 3), 'budgets');
        const perKey = sized(options, 30, 25);
        const accepted = await Promise.all(
          keys.map(async (key, k) => {
            let cost = 0;
            for (let i = 0; i < perKey && open(ctx); i++) {
              const answer = await ctx.graphql({ query: COSTLY, token: key.token, origin: ctx.attacker(60 + k) });
              if (answer?.status === 429 || !answer) break;
              if (answer.status === 200 && !answer.json?.errors?.length)
                cost += answer.json?.extensions?.cost?.requested ?? 0;
            }
            return cost;
          }),
        );
        const total = accepted.reduce((a, b) => a + b, 0);
        const one = Math.max(...accepted);
        ctx.progress(`cost accepted per key: ${accepted.join(', ')} (total ${total})`);
        if (one > 0 && total / one > 1.5)
          ctx.finding(`one person's ${keys.length} keys spent ${(total / one).toFixed(1)}× one key's budget`);
      },
    },
  ],
};
