import { randomBytes } from 'node:crypto';
import { DEFAULT_ADDRESS_BUDGET } from '../../server/src/http/address-budget';
import type { AttackContext, Family, Step } from '../family';
import type { GraphQLCall } from '../http';
import { sized } from '../options';
import { inParallel } from '../tally';

/** Requests of one flood in flight at once. */
export const FLOOD_CONCURRENCY = 4;

const ALPHANUMERIC = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** A well-formed key secret nobody was given: `nkl_` and 49 letters or digits. */
function forgedSecret(): string {
  return `nkl_${Array.from(randomBytes(49), (b) => ALPHANUMERIC[b % ALPHANUMERIC.length]).join('')}`;
}

function flood(name: string, budgetMs: number, call: (ctx: AttackContext) => GraphQLCall): Step {
  return {
    name,
    budgetMs,
    async run(ctx) {
      // the full run sends more than an address may in a minute, so a missing 429 is a finding
      const perMinute = DEFAULT_ADDRESS_BUDGET.requestsPerMinute;
      const n = sized(ctx.options, perMinute + 500, 200);
      let limited = 0;
      // 4 at a time: enough to pass an address's budget within the step on this kind of machine
      // (the finding is the missing 429), without the harness's own client work taking the CPU
      // the server and the victim share with it
      const sent = await inParallel(n, FLOOD_CONCURRENCY, ctx, async () => {
        if ((await ctx.graphql(call(ctx)))?.status === 429) limited++;
      });
      // fewer than the address budget's requests a minute prove nothing either way
      if (limited === 0 && sent > perMinute) ctx.finding(`${name}: no 429 after ${sent} requests from one address`);
    },
  };
}

/**
 * Finding 6: floods of requests that fail before any budget is spent: parse failures,
 * validation failures and forged well-formed secrets, each from one address. Pass: all
 * answered, no crash; 429s after the address's budget is spent.
 */
export const floods: Family = {
  name: 'floods',
  findings: '6',
  steps: (options) => [
    flood('parse failures', sized(options, 20_000, 1_500), (ctx) => ({
      query: '{ viewer { company { id ',
      origin: ctx.attacker(30),
    })),
    flood('validation failures', sized(options, 20_000, 1_500), (ctx) => ({
      query: '{ noSuchField { id } }',
      origin: ctx.attacker(31),
    })),
    flood('forged well-formed secrets', sized(options, 20_000, 1_500), (ctx) => ({
      query: '{ viewer { company { id } } }',
      token: forgedSecret(),
      origin: ctx.attacker(32),
    })),
  ],
};
