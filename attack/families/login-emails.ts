import { randomBytes } from 'node:crypto';
import type { Family } from '../family';
import { sized } from '../options';
import { inParallel } from '../tally';

const LOGIN = 'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const ADDRESSES = 6;
/** Just under the 1 MiB body limit with the rest of the request. */
const EMAIL_LENGTH = 1_000_000;

/**
 * Finding 4: logins with 1 MB e-mails (a new one each time) from several addresses, anonymous.
 * Pass: no crash and no memory growth with the attempts (a body this large without a credential is
 * refused with 413 by its declared length, unread, before any limiter or lookup keeps the e-mail);
 * 429s once an address's budget is spent are expected.
 */
export const loginEmails: Family = {
  name: 'login-emails',
  findings: '4',
  steps: (options) => [
    {
      name: `${ADDRESSES} addresses × ${sized(options, 100, 8)} logins with 1 MB e-mails`,
      budgetMs: sized(options, 20_000, 2_000),
      async run(ctx) {
        const padding = 'a'.repeat(EMAIL_LENGTH - 40);
        // one at a time per address: the finding is memory kept per attempt, not concurrency, and a
        // megabyte body built and sent costs the harness's own CPU, which the server shares here
        await inParallel(sized(options, 100, 8) * ADDRESSES, ADDRESSES, ctx, (i) =>
          ctx.graphql({
            query: LOGIN,
            origin: ctx.attacker(10 + (i % ADDRESSES)),
            variables: { email: `${randomBytes(8).toString('hex')}${padding}@x.example`, password: 'wrong' },
          }),
        );
      },
    },
  ],
};
