import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, getVariableValues } from 'graphql';
import { HEAVY_OPERATION_COST } from '../../db/pool-share';
import { currentWorkScope } from '../../db/work-scope';
import type { RequestContext } from '../../modules/request-context';
import { ErrorCode } from '../../shared/errors';
import { checkInputLengths } from './input-lengths';
import { rememberedOperationCost, type QueryLimits } from './query-limits';
import { countResolvedLists, startTally } from './resolved-objects';
import type { CostGate } from './gate';
import type { Budget, RateLimits } from '../rate-limits';

/**
 * Who a request's budgets belong to: the person behind the credential (a session's employee, a
 * key's owner) in the acting company, so minting more keys does not add budget; without a
 * credential, the client address.
 */
export function budgetOwner(context: RequestContext): string {
  const { acting } = context;
  if (acting.employee) return `person:${acting.employee.id}@${acting.company?.id ?? ''}`;
  return `ip:${context.clientIp}`;
}

/** Whose queue a request waits in at the cost gate: the acting company, or the address without one. */
export function gateTenant(context: RequestContext): string {
  const { acting } = context;
  return acting.company ? `company:${acting.company.id}` : `ip:${context.clientIp}`;
}

/**
 * Checks the lengths of string arguments, costs each operation with its coerced variables once it
 * is resolved (so `first: $n` and `$n: Int = 100` count), refuses one above the per-query limit,
 * spends the budget owner's per-minute budgets, waits at the cost gate in its company's queue,
 * counts the list items it resolves, and reports the cost and what is left in `extensions.cost`
 * (as GitHub and Shopify do).
 */
export interface CostPluginOptions {
  /** The per-query limits: maximum cost, maximum resolved objects (QUERY_* settings). */
  limits: QueryLimits;
  /** The per-minute budgets a request's cost is spent from (per person and company, or address). */
  rateLimits: RateLimits;
  /** The gate that runs a company's costly requests a few at a time (MAX_CONCURRENT_COST). */
  gate: CostGate;
}

export function costPlugin({ limits, rateLimits, gate }: CostPluginOptions): ApolloServerPlugin<RequestContext> {
  return {
    async serverWillStart({ schema }) {
      countResolvedLists(schema);
    },
    async requestDidStart({ contextValue }) {
      let cost: number | null = null;
      let budget: Budget | null = null;
      let admitted = 0;
      let tenant = '';
      // Apollo runs every plugin's didResolveOperation at once and answers as soon as one refuses
      // the operation: this hook may still be waiting (for the budget or the gate) when the answer
      // has gone, and must then give its place at the gate back instead of holding it for ever
      let answered = false;
      startTally(contextValue, limits.maxResolvedObjects);
      return {
        async didResolveOperation({ document, operation, request, schema }) {
          if (!operation) return;
          // the values execution will see, defaults included; if they do not coerce, execution refuses them
          const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], request.variables ?? {});
          const variables = coerced.coerced ?? {};
          checkInputLengths(document, coerced.coerced ?? request.variables ?? {});
          cost = rememberedOperationCost(schema, document, operation, variables);
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `The query would cost ${cost} points; the limit per query is ${limits.maxCost}. Ask for smaller pages (first) or fewer nested lists.`,
              {
                extensions: {
                  code: ErrorCode.BAD_USER_INPUT,
                  limit: 'cost',
                  value: cost,
                  max: limits.maxCost,
                  http: { status: 400 },
                },
              },
            );
          }
          budget = await rateLimits.spend(budgetOwner(contextValue), cost, contextValue.credentialDigest ?? null);
          if (answered) return;
          // the cost of a request is at least 1 (introspection, scalars) so every execution counts
          const weight = Math.max(cost, 1);
          tenant = gateTenant(contextValue);
          await gate.enter(weight, tenant);
          if (answered) return gate.leave(weight, tenant);
          admitted = weight;
          // and its statements share the database pool per company too (MySQL/MariaDB), a heavy
          // operation's one at a time
          const scope = currentWorkScope();
          if (scope) {
            scope.tenant = tenant;
            scope.heavy = weight >= HEAVY_OPERATION_COST;
          }
        },
        async willSendResponse({ response, errors }) {
          answered = true;
          if (admitted) gate.leave(admitted, tenant);
          admitted = 0;
          if (response.body.kind !== 'single') return;
          const limited = errors?.find((e) => e.extensions?.code === ErrorCode.RATE_LIMITED);
          if (limited) response.http.headers.set('retry-after', String(limited.extensions.retryAfter));
          if (cost === null) return;
          response.body.singleResult.extensions = {
            ...response.body.singleResult.extensions,
            cost: {
              requested: cost,
              limit: limits.maxCost,
              ...(budget ? { remaining: budget.remaining, resetAt: budget.resetAt.toISOString() } : {}),
            },
          };
        },
      };
    },
  };
}
