import type { Family } from '../family';
import { kariKeys } from '../keys';
import { sqliteSizeMb } from '../lab';
import { sized } from '../options';
import { inParallel } from '../tally';

const BULK_LINK = 'mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount } }';

/**
 * Finding 7: `bulkLinkClients` with 10,000 client ids, over and over: half the calls move the
 * links to the other template, half repeat the last call (nothing changes). Pass: no crash, every
 * call answered, the victim's p99 holds, the database does not grow by an audit row per id.
 */
export const bulkLink: Family = {
  name: 'bulk-link',
  findings: '7',
  steps: (options) => [
    {
      name: `bulkLinkClients of ${sized(options, 10_000, 1_000)} client ids, ${sized(options, 30, 6)} calls`,
      budgetMs: sized(options, 15_000, 2_000),
      async run(ctx) {
        const [key] = await kariKeys(ctx, 'ACCOUNTANT', 1);
        const clientIds = ctx.world.massClientIds.slice(0, sized(options, 10_000, 1_000));
        const { bokforing, kunLese } = ctx.world.templates;
        const before = sqliteSizeMb(options.databaseUrl);
        await inParallel(sized(options, 30, 6), 2, ctx, (i) =>
          ctx.graphql({
            query: BULK_LINK,
            token: ctx.world.kari.token,
            origin: ctx.attacker(40),
            variables: {
              input: { userKeyId: key.id, accessTemplateId: Math.floor(i / 2) % 2 ? bokforing : kunLese, clientIds },
            },
          }),
        );
        const after = sqliteSizeMb(options.databaseUrl);
        if (before !== null && after !== null)
          ctx.progress(`SQLite database: ${before.toFixed(1)} → ${after.toFixed(1)} MB`);
      },
    },
  ],
};
