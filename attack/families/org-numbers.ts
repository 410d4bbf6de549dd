import { codeOf, type Family } from '../family';
import { sized } from '../options';
import { inParallel } from '../tally';
import { RIVAL_CLIENT_ORG_NUMBERS } from '../world';

const ADD_CLIENT = 'mutation ($input: AddClientInput!) { addClient(input: $input) { company { id } } }';

/**
 * Finding 8: probing org numbers with `addClient`. Regnskap AS adds clients over a range of
 * numbers that holds the rival office's clients; the answers must not say which numbers another
 * office has (pass: those numbers are answered as the unused ones are). Then the rival office
 * adds a number Regnskap AS took first (pass: squatting does not lock it out).
 */
export const orgNumbers: Family = {
  name: 'org-numbers',
  findings: '8',
  steps: (options) => [
    {
      name: `addClient over ${sized(options, 100, 20)} org numbers, ${RIVAL_CLIENT_ORG_NUMBERS.length} of them another office's`,
      budgetMs: sized(options, 8_000, 2_000),
      async run(ctx) {
        const unused = Array.from({ length: sized(options, 100, 20) - RIVAL_CLIENT_ORG_NUMBERS.length }, (_, i) =>
          String(920_000_200 + i),
        );
        const numbers = [...RIVAL_CLIENT_ORG_NUMBERS, ...unused];
        const outcome = new Map<string, string>();
        await inParallel(numbers.length, 4, ctx, async (i) => {
          const answer = await ctx.graphql({
            query: ADD_CLIENT,
            token: ctx.world.kari.token,
            origin: ctx.attacker(50),
            variables: { input: { name: `Prøve ${numbers[i]} AS`, orgNumber: numbers[i] } },
          });
          outcome.set(numbers[i], answer?.json?.data ? 'created' : codeOf(answer));
        });
        const usual = new Set(unused.map((n) => outcome.get(n)).filter((o) => o !== undefined));
        const revealing = RIVAL_CLIENT_ORG_NUMBERS.filter((n) => outcome.has(n) && !usual.has(outcome.get(n)!));
        if (revealing.length)
          ctx.finding(
            `${revealing.length} of ${RIVAL_CLIENT_ORG_NUMBERS.length} numbers of another office answered differently (${[...new Set(revealing.map((n) => outcome.get(n)))].join(', ')})`,
          );
      },
    },
    {
      name: 'the rival office adds a client whose number Regnskap AS took first',
      budgetMs: 1_000,
      async run(ctx) {
        const number = '920000199';
        await ctx.graphql({
          query: ADD_CLIENT,
          token: ctx.world.kari.token,
          origin: ctx.attacker(50),
          variables: { input: { name: 'Tatt Først AS', orgNumber: number } },
        });
        const answer = await ctx.graphql({
          query: ADD_CLIENT,
          token: ctx.world.victim.token,
          origin: ctx.attacker(51),
          variables: { input: { name: 'Ekte Eier AS', orgNumber: number } },
        });
        if (answer && !answer.json?.data)
          ctx.finding(`the real office could not add a number another office took first (${codeOf(answer)})`);
      },
    },
  ],
};
