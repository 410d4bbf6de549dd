import type { Family } from '../family';
import { kariKeys } from '../keys';
import { sized } from '../options';
import { inParallel } from '../tally';

const BULK_LINK = 'mutation ($input: BulkLinkClientsInput!) { bulkLinkClients(input: $input) { linkedCount } }';
const LINK = 'mutation ($input: LinkClientInput!) { linkClient(input: $input) { id } }';
const UNLINK = 'mutation ($input: UnlinkClientsInput!) { unlinkClients(input: $input) { unlinkedCount } }';

/** `items` in a shuffled order (deterministic per seed). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let s = seed + 1;
  for (let i = out.length - 1; i > 0; i--) {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    const j = s % (i + 1);
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/**
 * Finding 11: concurrent link, bulk link and unlink of two keys on overlapping clients, in
 * different orders (deadlocks on MariaDB). Pass: no INTERNAL_SERVER_ERROR, no crash.
 */
export const linkDeadlocks: Family = {
  name: 'link-deadlocks',
  findings: '11',
  steps: (options) => [
    {
      name: `${sized(options, 240, 48)} concurrent link / bulk link / unlink calls on 20 overlapping clients`,
      budgetMs: sized(options, 8_000, 2_000),
      async run(ctx) {
        const keys = await kariKeys(ctx, 'ACCOUNTANT', 3);
        const clients = ctx.world.massClientIds.slice(-20);
        const { bokforing, kunLese } = ctx.world.templates;
        let internal = 0;
        await inParallel(sized(options, 240, 48), 12, ctx, async (i) => {
          const key = keys[i % keys.length];
          const order = shuffled(clients, i).slice(0, 12);
          const template = i % 2 ? bokforing : kunLese;
          const kind = i % 3;
          const answer = await ctx.graphql({
            query: kind === 0 ? BULK_LINK : kind === 1 ? UNLINK : LINK,
            token: ctx.world.kari.token,
            origin: ctx.attacker(41),
            variables: {
              input:
                kind === 0
                  ? { userKeyId: key.id, accessTemplateId: template, clientIds: order }
                  : kind === 1
                    ? { userKeyId: key.id, clientIds: order }
                    : { userKeyId: key.id, accessTemplateId: template, clientId: order[0] },
            },
          });
          if (
            answer?.status === 500 ||
            answer?.json?.errors?.some((e) => e.extensions?.code === 'INTERNAL_SERVER_ERROR')
          )
            internal++;
        });
        if (internal) ctx.finding(`${internal} call(s) answered INTERNAL_SERVER_ERROR`);
      },
    },
  ],
};
