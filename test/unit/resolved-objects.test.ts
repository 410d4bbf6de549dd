import { buildSchema, execute, parse, type ExecutionResult } from 'graphql';
import { YIELD_EVERY_OBJECTS, countResolvedLists, startTally } from '../../server/src/http/cost/resolved-objects';

/**
 * The resolved-objects tally: a request is refused past its maximum, and a request that completes
 * many list items hands the event loop to the others every YIELD_EVERY_OBJECTS of them, while a
 * small one runs through without a single turn.
 */
const schema = buildSchema(`
  type Item { id: Int!, children(n: Int!): [Item!]! }
  type Query { items(n: Int!): [Item!]! }
`);
const list = (n: number) =>
  Array.from({ length: n }, (_, id) => ({ id, children: (args: { n: number }) => list(args.n) }));
countResolvedLists(schema);
const rootValue = { items: ({ n }: { n: number }) => list(n) };

/** Runs a document and counts the event-loop turns other work got while it ran. */
async function run(source: string, max = 100_000): Promise<{ result: ExecutionResult; turns: number; sync: boolean }> {
  const contextValue = {};
  startTally(contextValue, max);
  let turns = 0;
  let done = false;
  const tick = () => {
    if (done) return;
    turns++;
    setImmediate(tick);
  };
  const pending = execute({ schema, document: parse(source), rootValue, contextValue });
  const sync = !(pending instanceof Promise);
  setImmediate(tick);
  const result = await pending;
  done = true;
  return { result, turns, sync };
}

test('a small answer is completed at once, without giving up the event loop', async () => {
  const small = await run(`{ items(n: ${YIELD_EVERY_OBJECTS - 1}) { id } }`);
  expect(small.sync).toBe(true);
  expect(small.result.errors).toBeUndefined();
  expect((small.result.data?.items as unknown[]).length).toBe(YIELD_EVERY_OBJECTS - 1);
});

test('a large answer is completed in stretches, with other work run between them', async () => {
  // 40 + 40 × 50 = 2,040 items: at least eight stretches of 250
  const large = await run('{ items(n: 40) { id children(n: 50) { id } } }');
  expect(large.sync).toBe(false);
  expect(large.result.errors).toBeUndefined();
  const items = large.result.data?.items as { children: unknown[] }[];
  expect(items).toHaveLength(40);
  expect(items.every((item) => item.children.length === 50)).toBe(true);
  expect(large.turns).toBeGreaterThanOrEqual(Math.floor(2_040 / YIELD_EVERY_OBJECTS) - 1);
});

test('past the maximum the request is refused, yielding or not', async () => {
  const refused = await run('{ items(n: 40) { id children(n: 50) { id } } }', 1_000);
  expect(refused.result.errors?.[0]?.extensions).toMatchObject({ limit: 'resolvedObjects', max: 1_000 });
});
