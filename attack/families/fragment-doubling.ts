import type { Family } from '../family';
import { sized } from '../options';
import { inParallel } from '../tally';

/**
 * `query { ...F0 } fragment F0 on Query { ...F1 ...F1 } … fragment Fn on Query { … }`: each
 * fragment spreads the next twice, so a walker that expands spreads per path visits 2^n of them.
 * About 40 bytes a level; well within the token limit.
 */
export function fragmentChain(levels: number): string {
  const lines = ['query Doubling { ...F0 }'];
  for (let i = 0; i < levels; i++) lines.push(`fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  lines.push(`fragment F${levels} on Query { viewer { company { id } } }`);
  return lines.join('\n');
}

/**
 * Finding 2: fragment doubling chains, anonymous and with a session. Pass: each is answered
 * quickly (refused or executed), the server keeps answering others meanwhile.
 */
export const fragmentDoubling: Family = {
  name: 'fragment-doubling',
  findings: '2',
  steps: (options) => [
    {
      name: 'chains of 24 and 30 levels, anonymous and as an employee',
      budgetMs: 1_000,
      async run(ctx) {
        const documents = [fragmentChain(24), fragmentChain(30)];
        await inParallel(sized(options, 6, 2), 2, ctx, async (i) => {
          const query = documents[i % documents.length];
          await ctx.graphql({ query, origin: ctx.attacker(2), token: i % 2 ? ctx.world.ola.token : undefined });
        });
      },
    },
  ],
};
