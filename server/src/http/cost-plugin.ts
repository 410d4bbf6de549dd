import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { RequestContext } from '../context/request-context';
import { ErrorCode } from '../shared/errors';
import { operationCost, type QueryLimits } from './query-limits';
import type { CostGate } from './cost-gate';
import type { Budget, RateLimits } from './rate-limits';

/** Who a request's budget belongs to: the key, the person, or (without a credential) the client IP. */
export function budgetOwner(context: RequestContext): string {
  const { acting } = context;
  if (acting.userKey) return `key:${acting.userKey.id}`;
  if (acting.employee) return `emp:${acting.employee.id}`;
  return `ip:${context.clientIp}`;
}

/**
 * Costs each operation with its variables once it is resolved (so `first: $n` counts), refuses
 * one above the per-query limit, spends the caller's per-minute budgets, and reports the cost and
 * what is left in `extensions.cost` (as GitHub and Shopify do).
 */
export function costPlugin(
  limits: QueryLimits,
  rateLimits: RateLimits,
  gate: CostGate,
): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      let cost: number | null = null;
      let budget: Budget | null = null;
      let admitted = 0;
      return {
        async didResolveOperation({ document, operation, request, schema, contextValue }) {
          if (!operation) return;
          cost = operationCost(schema, document, operation, request.variables ?? {});
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
          budget = await rateLimits.spend(budgetOwner(contextValue), cost);
          // the cost of a request is at least 1 (introspection, scalars) so every execution counts
          const weight = Math.max(cost, 1);
          await gate.enter(weight);
          admitted = weight;
        },
        async willSendResponse({ response, errors }) {
          if (admitted) gate.leave(admitted);
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
