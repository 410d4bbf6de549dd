import {
  GraphQLObjectType,
  Kind,
  getIntrospectionQuery,
  getNamedType,
  getVariableValues,
  isListType,
  isNonNullType,
  parse,
  specifiedRules,
  validate,
  visit,
  type DocumentNode,
  type OperationDefinitionNode,
} from 'graphql';
import { LIST_MAXIMA } from '../../server/src/http/cost/list-maxima';
import {
  DEFAULT_QUERY_LIMITS,
  INPUT_ITEMS_PER_POINT,
  INTROSPECTION_COST,
  ROOT_TOTAL_COUNT_COST,
  TOTAL_COUNT_COST,
  operationCost,
  operationShape,
  queryShapeRule,
} from '../../server/src/http/cost/query-limits';
import { buildNokkelSchema } from '../../server/src/schema/build-schema';

const schema = buildNokkelSchema();

function operationOf(document: DocumentNode): OperationDefinitionNode {
  return document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
}

/** Cost as the server computes it: with the operation's coerced variables (defaults included). */
function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = operationOf(document);
  const coerced = getVariableValues(schema, operation.variableDefinitions ?? [], variables);
  if (!coerced.coerced) throw new Error(String(coerced.errors?.[0]));
  return operationCost(schema, document, operation, coerced.coerced);
}

/** A chain of fragments each spreading the next twice: 2^levels paths, `levels` fragments. */
function doublingChain(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} }`);
  return `query { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { company { name } }`;
}

/** The document with every selection list counting its reads (the walkers' work). */
function counted(query: string): { document: DocumentNode; reads: () => number } {
  let reads = 0;
  const document = visit(parse(query), {
    SelectionSet: {
      leave(node) {
        const selections = node.selections;
        const copy = { ...node };
        Object.defineProperty(copy, 'selections', {
          get: () => {
            reads++;
            return selections;
          },
        });
        return copy;
      },
    },
  });
  return { document, reads: () => reads };
}

describe('query cost and shape', () => {
  test('fragments spreading the next twice are walked once each: the work is linear in the document', () => {
    const { document, reads } = counted(doublingChain(20)); // 2^20 paths
    const operation = operationOf(document);
    const shape = operationShape(operation, document);
    expect(shape.depth).toBe(2);
    expect(reads()).toBeLessThan(100);
    const before = reads();
    expect(operationCost(schema, document, operation, {})).toBe(2 ** 20);
    expect(reads() - before).toBeLessThan(100);
  });

  test('a 90-level doubling chain is measured and costed, far over the limit', () => {
    const document = parse(doublingChain(90));
    const operation = operationOf(document);
    expect(operationShape(operation, document).depth).toBe(2);
    expect(operationCost(schema, document, operation, {})).toBeGreaterThan(DEFAULT_QUERY_LIMITS.maxCost);
  });

  test('a fragment cycle (refused by graphql validation) does not loop the walkers', () => {
    const document = parse('query { ...A } fragment A on Query { company { name } ...B } fragment B on Query { ...A }');
    const operation = operationOf(document);
    expect(operationShape(operation, document).depth).toBe(2);
    expect(operationCost(schema, document, operation, {})).toBeGreaterThan(0);
  });

  test('finding 7: a variable’s default value is the page size costed', () => {
    const q = 'query ($n: Int = 100) { userKeys(first: $n) { edges { node { owner { name } } } } }';
    expect(cost(q)).toBe(1 + 100);
    expect(cost(q, { n: 3 })).toBe(1 + 3);
  });

  test('finding 11: introspection costs a fixed price per __schema/__type and counts for aliases and depth', () => {
    expect(cost('{ a: __schema { types { name } } b: __schema { types { name } } }')).toBe(2 * INTROSPECTION_COST);
    expect(cost('{ __type(name: "Query") { name } }')).toBe(INTROSPECTION_COST);
    const aliased = parse(`{ ${Array.from({ length: 16 }, (_, i) => `a${i}: __schema { __typename }`).join(' ')} }`);
    expect(operationShape(operationOf(aliased), aliased).aliases).toBe(16);
    const deep = parse('{ __schema { types { fields { type { fields { type { fields { name } } } } } } } }');
    expect(operationShape(operationOf(deep), deep).depth).toBe(8);
  });

  test('the standard introspection query passes the shape limits (ofType does not count)', () => {
    const errors = validate(schema, parse(getIntrospectionQuery()), [
      ...specifiedRules,
      queryShapeRule(DEFAULT_QUERY_LIMITS),
    ]);
    expect(errors).toEqual([]);
  });

  test('totalCount costs its COUNT, once per connection: a root list’s as a full page, a nested one’s less', () => {
    expect(cost('{ userKeys(first: 5) { totalCount } }')).toBe(1 + ROOT_TOTAL_COUNT_COST);
    expect(ROOT_TOTAL_COUNT_COST).toBeGreaterThanOrEqual(100);
    // fragments on the connection keep the price of where they are spread
    expect(cost('{ userKeys(first: 5) { ...C } } fragment C on UserKeyConnection { totalCount }')).toBe(
      1 + ROOT_TOTAL_COUNT_COST,
    );
    expect(cost('{ userKeys(first: 5) { edges { node { clients(first: 3) { totalCount } } } } }')).toBe(
      1 + 5 * (1 + TOTAL_COUNT_COST),
    );
  });

  test('a plain list is costed at its server maximum', () => {
    // a bulk payload's links: as many as its ids, each with its client and template
    const links =
      'mutation { bulkLinkClients(input: { accessTemplateId: "t", userKeyId: "k", clientIds: IDS }) { links { client { name } template { name } } } }';
    expect(cost(links.replace('IDS', '["a", "b", "c", "d", "e"]'))).toBe(1 + 1 + 1 + 5 * 2);
    // the list items of a plain list are free, like a connection's nodes
    expect(cost('{ accessTemplates { id permissions } }')).toBe(1);
    expect(LIST_MAXIMA['Query.accessTemplates']).toBe(100);
  });

  test('a bulk call costs in proportion to its ids, and its links list is costed at their number', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `c${i}`);
    const q =
      'mutation ($ids: [ID!]!) { bulkLinkClients(input: { accessTemplateId: "t", userKeyId: "k", clientIds: $ids }) { linkedCount LINKS } }';
    const bare = cost(q.replace('LINKS', ''), { ids });
    expect(bare).toBe(1 + ids.length / INPUT_ITEMS_PER_POINT);
    const withLinks = cost(q.replace('LINKS', 'links { client { name } }'), { ids });
    expect(withLinks).toBe(bare + 1 + ids.length);
  });

  test('every plain list of objects in the schema has a server maximum', () => {
    const unlisted: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) {
        const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
        const ofObjects = getNamedType(field.type) instanceof GraphQLObjectType;
        const paged = field.name === 'edges' && type.name.endsWith('Connection');
        if (list && ofObjects && !paged && !(`${type.name}.${field.name}` in LIST_MAXIMA))
          unlisted.push(`${type.name}.${field.name}`);
      }
    }
    expect(unlisted).toEqual([]);
  });
});
