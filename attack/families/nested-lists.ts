import type { Family } from '../family';
import { sized } from '../options';
import { inParallel } from '../tally';

const CREATE_KEY = `mutation ($input: CreateUserKeyInput!) { createUserKey(input: $input) { userKey { id } } }`;

/** The document: `Employee.userKeys` as it was (a plain list), nested three times. */
const AS_REPORTED = '{ userKeys(first: 100) { edges { node { owner { userKeys { owner { userKeys { id } } } } } } } }';
/** The same through the connection, 100 at every level. */
const CONNECTIONS = `{ userKeys(first: 100) { edges { node { owner { userKeys(first: 100) { edges { node {
  owner { userKeys(first: 100) { edges { node { id } } } } } } } } } } } }`;
/** Just under the per-query cost limit: 100 keys × 47 of their owner's keys, each with its owner. */
const UNDER_THE_LIMIT = `{ userKeys(first: 100) { edges { node { owner { userKeys(first: 47) { edges { node {
  id name owner { id name } } } } } } } } }`;

/**
 * Finding 3: nested lists. An employee with only LOGIN and HOURS_REGISTER creates many keys of
 * their own (keys are free), then asks for keys × their owner's keys × …. Pass: no crash, every
 * query answered (refused by cost, or executed within bounded memory).
 */
export const nestedLists: Family = {
  name: 'nested-lists',
  findings: '3',
  steps: (options) => [
    {
      name: `an employee with LOGIN and HOURS_REGISTER creates ${sized(options, 400, 60)} keys of their own`,
      budgetMs: sized(options, 10_000, 2_000),
      async run(ctx) {
        const { ola } = ctx.world;
        let created = 0;
        await inParallel(sized(options, 400, 60), 4, ctx, async (i) => {
          const answer = await ctx.graphql({
            query: CREATE_KEY,
            token: ola.token,
            origin: ctx.attacker(3),
            variables: {
              input: {
                employeeId: ola.employeeId,
                name: `Timer ${i}`,
                customApplicationName: 'Timeskript',
                accessMode: 'COPY_EMPLOYEE',
              },
            },
          });
          if (answer?.json?.data) created++;
        });
        ctx.progress(`${created} keys created`);
      },
    },
    {
      name: 'keys × owner × keys × owner × keys',
      budgetMs: sized(options, 10_000, 2_000),
      async run(ctx) {
        const documents = [AS_REPORTED, CONNECTIONS, UNDER_THE_LIMIT];
        await inParallel(sized(options, 12, 3), 3, ctx, (i) =>
          ctx.graphql({ query: documents[i % documents.length], token: ctx.world.ola.token, origin: ctx.attacker(3) }),
        );
      },
    },
  ],
};
