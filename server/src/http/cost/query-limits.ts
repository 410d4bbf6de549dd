import {
  GraphQLError,
  GraphQLObjectType,
  Kind,
  getArgumentValues,
  getNamedType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../../shared/pagination';
import { LIST_MAXIMA, MAX_INPUT_LIST } from './list-maxima';

export interface QueryLimits {
  /** Nesting of fields; Relay plumbing (`edges`, `node`, `pageInfo`, introspection's `ofType`) does not count. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Tokens in the document, enforced while parsing. */
  maxTokens: number;
  /** Cost of one operation (see operationCost). */
  maxCost: number;
  /** Cost of the operations executing at once (see CostGate). */
  concurrentCost: number;
  /** List items one request may resolve, counted while it executes (the last line behind the cost). */
  maxResolvedObjects: number;
}

/** Defaults at least as strict as GraphQL Armor's (depth 6, aliases 15, directives 50, tokens 1000). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 6,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 5000,
  concurrentCost: 5000,
  maxResolvedObjects: 20_000,
};

const PLUMBING = new Set(['edges', 'node', 'pageInfo', 'ofType']);
/** `__schema` or `__type` answers from the whole schema: a fixed price instead of walking it. */
export const INTROSPECTION_COST = 100;
/**
 * `totalCount` of a connection under another object (a page of links per client, per key): one
 * GROUP BY over an indexed partition for the whole page of parents.
 */
export const TOTAL_COUNT_COST = 10;
/**
 * `totalCount` of a root list (`clients`, `userKeys`, `auditEvents`, …): a COUNT over the tenant's
 * whole table, searched or filtered, which reads every row a walk through all its pages would: it
 * costs at least what one full page (100) of that list costs.
 */
export const ROOT_TOTAL_COUNT_COST = 100;
/** List items in a field's arguments (ids of a bulk call) cost one point per this many. */
export const INPUT_ITEMS_PER_POINT = 5;
/** A plain list missing from LIST_MAXIMA (never in a tested schema) is charged as a full page. */
const UNLISTED_LIST = 100;

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  return new Map(
    document.definitions
      .filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION)
      .map((d) => [d.name.value, d]),
  );
}

interface Shape {
  depth: number;
  aliases: number;
  directives: number;
}

/**
 * Depth, alias and directive counts of an operation, as if fragments were expanded (each spread
 * counts once per path). Each fragment is measured once and its result reused, so the work is
 * linear in the document even when fragments spread each other many times.
 */
export function operationShape(operation: OperationDefinitionNode, document: DocumentNode): Shape {
  const fragments = fragmentsOf(document);
  const measured = new Map<string, Shape>();
  const measuring = new Set<string>();
  const measure = (set: SelectionSetNode): Shape => {
    const shape: Shape = { depth: 0, aliases: 0, directives: 0 };
    for (const selection of set.selections) {
      shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) shape.aliases++;
        const own = PLUMBING.has(selection.name.value) ? 0 : 1;
        const inner = selection.selectionSet ? measure(selection.selectionSet) : null;
        shape.depth = Math.max(shape.depth, own + (inner?.depth ?? 0));
        shape.aliases += inner?.aliases ?? 0;
        shape.directives += inner?.directives ?? 0;
        continue;
      }
      const inner =
        selection.kind === Kind.INLINE_FRAGMENT ? measure(selection.selectionSet) : spread(selection.name.value);
      shape.depth = Math.max(shape.depth, inner.depth);
      shape.aliases += inner.aliases;
      shape.directives += inner.directives;
    }
    return shape;
  };
  const spread = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const fragment = fragments.get(name);
    // unknown fragments and cycles are reported by graphql's own rules
    if (!fragment || measuring.has(name)) return { depth: 0, aliases: 0, directives: 0 };
    measuring.add(name);
    const shape = measure(fragment.selectionSet);
    shape.directives += fragment.directives?.length ?? 0;
    measuring.delete(name);
    measured.set(name, shape);
    return shape;
  };
  const shape = measure(operation.selectionSet);
  shape.directives += operation.directives?.length ?? 0;
  return shape;
}

function limitError(message: string, limit: string, value: number, max: number): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', limit, value, max } });
}

/** Validation rule: refuses operations deeper, more aliased or more directive-laden than the limits. */
export function queryShapeRule(limits: QueryLimits): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const shape = operationShape(operation, context.getDocument());
      const checks = [
        { limit: 'depth', value: shape.depth, max: limits.maxDepth, says: `is nested ${shape.depth} levels deep` },
        { limit: 'aliases', value: shape.aliases, max: limits.maxAliases, says: `uses ${shape.aliases} aliases` },
        {
          limit: 'directives',
          value: shape.directives,
          max: limits.maxDirectives,
          says: `uses ${shape.directives} directives`,
        },
      ];
      for (const { limit, value, max, says } of checks) {
        if (value <= max) continue;
        const note = limit === 'depth' ? ' (edges/node do not count)' : '';
        context.reportError(limitError(`The query ${says}; the limit is ${max}${note}.`, limit, value, max));
      }
    },
  });
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/** The field's arguments with the operation's coerced variables (defaults included); {} if they do not coerce. */
function argumentsOf(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  variables: Record<string, unknown>,
): Record<string, unknown> {
  if (!node.arguments?.length && !field.args.some((a) => a.defaultValue !== undefined)) return {};
  try {
    return getArgumentValues(field, node, variables);
  } catch {
    return {}; // execution reports the bad argument
  }
}

/** List items anywhere in a field's arguments (the ids of a bulk call, permission lists, filters). */
function listItems(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, item) => n + 1 + listItems(item), 0);
  if (value && typeof value === 'object') return Object.values(value).reduce((n: number, v) => n + listItems(v), 0);
  return 0;
}

/**
 * The cost of an operation, with its coerced variables (defaults included): every field that
 * returns an object costs 1, times the number of parents it is resolved for. A connection multiplies
 * what is under its edges by `first` (default 20); a plain list multiplies what is under it by its
 * server maximum (LIST_MAXIMA).
 * `totalCount` costs ROOT_TOTAL_COUNT_COST on a root list and TOTAL_COUNT_COST below, `__schema`/`__type` INTROSPECTION_COST, and list items in
 * arguments one point per INPUT_ITEMS_PER_POINT. Scalars and Relay plumbing are free. A fragment is
 * costed once per type and input size and reused, so the work is linear in the document.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  return new CostWalk(schema, fragmentsOf(document), root, variables).unitCost(root, operation.selectionSet, 0, 1);
}

// Apollo keeps one parsed document per query it has seen: a hot query asked again with the same
// variables costs the same, so its cost is kept with the document (a few variable sets each;
// large variables, such as a bulk call's ids, are costed again rather than kept)
const costsByDocument = new WeakMap<DocumentNode, Map<string, number>>();
const COSTS_PER_DOCUMENT = 32;
const LONGEST_KEPT_VARIABLES = 1024;

/** `operationCost`, remembered per document, operation and variables. */
export function rememberedOperationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const key = `${operation.name?.value ?? ''}\u0000${JSON.stringify(variables)}`;
  if (key.length > LONGEST_KEPT_VARIABLES) return operationCost(schema, document, operation, variables);
  let costs = costsByDocument.get(document);
  const known = costs?.get(key);
  if (known !== undefined) return known;
  const cost = operationCost(schema, document, operation, variables);
  if (!costs) costsByDocument.set(document, (costs = new Map()));
  if (costs.size >= COSTS_PER_DOCUMENT) costs.delete(costs.keys().next().value as string);
  costs.set(key, cost);
  return cost;
}

/** One walk of `operationCost`: fragments are costed once per type and input size, and reused. */
class CostWalk {
  private readonly costed = new Map<string, number>();
  private readonly costing = new Set<string>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly root: GraphQLObjectType,
    private readonly variables: Record<string, unknown>,
  ) {}

  /**
   * The cost of a selection set for one parent (a parent resolved n times costs n times this);
   * `pageSize` multiplies a connection's `edges`, `inputSize` sizes a bulk payload's list, and
   * `countCost` is what a `totalCount` in this selection set costs (a root list's or a nested one's).
   */
  unitCost(
    type: GraphQLObjectType,
    set: SelectionSetNode,
    inputSize: number,
    pageSize: number,
    countCost = TOTAL_COUNT_COST,
  ): number {
    let cost = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) : type;
        if (on instanceof GraphQLObjectType)
          cost += this.unitCost(on, selection.selectionSet, inputSize, pageSize, countCost);
      } else if (selection.kind === Kind.FRAGMENT_SPREAD) {
        cost += this.fragmentCost(selection.name.value, inputSize, pageSize, countCost);
      } else {
        cost += this.fieldCost(type, selection, inputSize, pageSize, countCost);
      }
    }
    return cost;
  }

  private fieldCost(
    type: GraphQLObjectType,
    selection: FieldNode,
    inputSize: number,
    pageSize: number,
    countCost: number,
  ): number {
    const name = selection.name.value;
    if (name === '__schema' || name === '__type') return INTROSPECTION_COST;
    const field = type.getFields()[name];
    if (!field) return 0;
    if (name === 'totalCount') return countCost; // once per connection, whatever its page size
    const args = argumentsOf(field, selection, this.variables);
    const items = listItems(args);
    const cost = Math.ceil(items / INPUT_ITEMS_PER_POINT);
    const named = getNamedType(field.type);
    if (!(named instanceof GraphQLObjectType) || !selection.selectionSet) return cost;
    if (PLUMBING.has(name)) {
      // a connection's edges are multiplied by its `first`; its node and pageInfo are plumbing
      const times = name === 'edges' ? pageSize : 1;
      return cost + times * this.unitCost(named, selection.selectionSet, inputSize, 1);
    }
    const size = items || inputSize;
    if (field.args.some((a) => a.name === 'first')) {
      const first = args.first;
      const page = typeof first === 'number' && Number.isFinite(first) ? Math.max(1, first) : DEFAULT_PAGE_SIZE;
      const count = type === this.root ? ROOT_TOTAL_COUNT_COST : TOTAL_COUNT_COST;
      return cost + 1 + this.unitCost(named, selection.selectionSet, size, page, count);
    }
    if (isList(field.type)) {
      // a plain list multiplies what is under it by its server maximum (its items, like a connection's nodes, are free)
      const max = LIST_MAXIMA[`${type.name}.${name}`] ?? UNLISTED_LIST;
      const times = max === 'input' ? Math.min(inputSize, MAX_INPUT_LIST) : max;
      return cost + 1 + times * this.unitCost(named, selection.selectionSet, size, 1);
    }
    return cost + 1 + this.unitCost(named, selection.selectionSet, size, 1);
  }

  private fragmentCost(name: string, inputSize: number, pageSize: number, countCost: number): number {
    const key = `${name}/${inputSize}/${pageSize}/${countCost}`;
    const known = this.costed.get(key);
    if (known !== undefined) return known;
    const fragment = this.fragments.get(name);
    if (!fragment || this.costing.has(key)) return 0; // cycles are reported by graphql's own rules
    const on = this.schema.getType(fragment.typeCondition.name.value);
    if (!(on instanceof GraphQLObjectType)) return 0;
    this.costing.add(key);
    const cost = this.unitCost(on, fragment.selectionSet, inputSize, pageSize, countCost);
    this.costing.delete(key);
    this.costed.set(key, cost);
    return cost;
  }
}
