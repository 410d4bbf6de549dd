import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import type { ApolloServerPlugin, GraphQLRequestListener } from '@apollo/server';
import { CostGate } from '../../server/src/http/cost/gate';
import { costPlugin } from '../../server/src/http/cost';
import { DEFAULT_QUERY_LIMITS } from '../../server/src/http/cost/query-limits';
import type { RateLimits } from '../../server/src/http/rate-limits';
import type { RequestContext } from '../../server/src/modules/request-context';

// Apollo runs all plugins' didResolveOperation hooks together and sends the answer as soon as one
// of them refuses the operation; the cost plugin's hook may then still be waiting for the budget.
// Before the fix it went on into the gate after the answer was sent and never left: each such
// request leaked its cost at the gate until the company's heavy queries waited out and were refused.

const schema = buildSchema('type Query { a: Int }');
const document = parse('query Q { a }');
const operation = document.definitions[0] as OperationDefinitionNode;

function slowBudget(): { limits: RateLimits; release: () => void } {
  let release = () => {};
  const gate = new Promise<void>((resolve) => (release = resolve));
  const limits = {
    spend: async () => {
      await gate;
      return { remaining: 100, resetAt: new Date() };
    },
  } as unknown as RateLimits;
  return { limits, release };
}

async function listenerOf(plugin: ApolloServerPlugin<RequestContext>): Promise<GraphQLRequestListener<RequestContext>> {
  const context = { acting: { company: { id: 'cmp_a' }, employee: { id: 'emp_a' } }, clientIp: '127.0.0.1' };
  const start = plugin.requestDidStart as (arg: unknown) => Promise<GraphQLRequestListener<RequestContext>>;
  return start({ contextValue: context });
}

const response = () => ({ response: { body: { kind: 'single', singleResult: {} }, http: { headers: new Map() } } });

describe('the cost plugin and an answer sent while it waits', () => {
  test('a request answered before its budget was spent never takes a place at the gate', async () => {
    const gate = new CostGate(10);
    const { limits, release } = slowBudget();
    const listener = await listenerOf(costPlugin({ limits: DEFAULT_QUERY_LIMITS, rateLimits: limits, gate }));
    const resolving = listener.didResolveOperation!({ document, operation, request: {}, schema } as never);
    // another plugin refused: Apollo sends the answer now
    await listener.willSendResponse!(response() as never);
    release();
    await resolving;
    expect(gate.inUseCost).toBe(0);
  });

  test('a request answered while it waited at the gate gives its place back when admitted', async () => {
    const gate = new CostGate(1);
    await gate.enter(1, 'company:cmp_a'); // the gate is full: the request below waits
    const { limits, release } = slowBudget();
    release();
    const listener = await listenerOf(costPlugin({ limits: DEFAULT_QUERY_LIMITS, rateLimits: limits, gate }));
    const resolving = listener.didResolveOperation!({ document, operation, request: {}, schema } as never);
    await new Promise((resolve) => setImmediate(resolve));
    await listener.willSendResponse!(response() as never);
    gate.leave(1, 'company:cmp_a');
    await resolving;
    expect(gate.inUseCost).toBe(0);
  });

  test('a request answered normally leaves the gate as it found it', async () => {
    const gate = new CostGate(10);
    const { limits, release } = slowBudget();
    release();
    const listener = await listenerOf(costPlugin({ limits: DEFAULT_QUERY_LIMITS, rateLimits: limits, gate }));
    await listener.didResolveOperation!({ document, operation, request: {}, schema } as never);
    expect(gate.inUseCost).toBe(1);
    await listener.willSendResponse!(response() as never);
    expect(gate.inUseCost).toBe(0);
  });
});
