import {
  GraphQLError,
  GraphQLObjectType,
  Kind,
  getNamedType,
  isListType,
  isNonNullType,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLOutputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValidationRule,
  type ValueNode,
} from 'graphql';
import { DEFAULT_PAGE_SIZE } from '../shared/pagination';

export interface QueryLimits {
  /** Nesting of fields; Relay plumbing (`edges`, `node`, `pageInfo`) and introspection do not count. */
  maxDepth: number;
  maxAliases: number;
  maxDirectives: number;
  /** Tokens in the document, enforced while parsing. */
  maxTokens: number;
  /** Cost of one operation (see operationCost). */
  maxCost: number;
  /** Cost of the operations executing at once (see CostGate). */
  concurrentCost: number;
}

/** Defaults at least as strict as GraphQL Armor's (depth 6, aliases 15, directives 50, tokens 1000). */
export const DEFAULT_QUERY_LIMITS: QueryLimits = {
  maxDepth: 6,
  maxAliases: 15,
  maxDirectives: 50,
  maxTokens: 1000,
  maxCost: 5000,
  concurrentCost: 5000,
};

const PLUMBING = new Set(['edges', 'node', 'pageInfo']);
/** A list without `first` is costed as if it held this many items. */
const PLAIN_LIST_ESTIMATE = 10;

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

/** Depth, alias and directive counts of an operation, with fragments expanded (each spread once per path). */
export function operationShape(operation: OperationDefinitionNode, document: DocumentNode): Shape {
  const fragments = fragmentsOf(document);
  const shape: Shape = { depth: 0, aliases: 0, directives: operation.directives?.length ?? 0 };
  const walk = (set: SelectionSetNode, depth: number, visiting: Set<string>): void => {
    for (const selection of set.selections) {
      shape.directives += selection.directives?.length ?? 0;
      if (selection.kind === Kind.FIELD) {
        if (selection.name.value.startsWith('__')) continue;
        if (selection.alias) shape.aliases++;
        const here = PLUMBING.has(selection.name.value) ? depth : depth + 1;
        shape.depth = Math.max(shape.depth, here);
        if (selection.selectionSet) walk(selection.selectionSet, here, visiting);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet, depth, visiting);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue; // cycles are reported by graphql's own rules
        walk(fragment.selectionSet, depth, new Set([...visiting, fragment.name.value]));
      }
    }
  };
  walk(operation.selectionSet, 0, new Set());
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

function intValue(node: ValueNode | undefined, variables: Record<string, unknown>): number | null {
  if (!node) return null;
  if (node.kind === Kind.INT) return Number(node.value);
  if (node.kind === Kind.VARIABLE) {
    const v = variables[node.name.value];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  }
  return null;
}

function isList(type: GraphQLOutputType): boolean {
  return isListType(isNonNullType(type) ? type.ofType : type);
}

/**
 * The cost of an operation, with its variables: every field that returns an object costs 1, times
 * the number of parents it is resolved for. A connection multiplies what is under its edges by
 * `first` (default 20); a plain list by 10. Scalars and Relay plumbing are free; introspection is
 * not costed.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): number {
  const fragments = fragmentsOf(document);
  const root = operation.operation === 'mutation' ? schema.getMutationType() : schema.getQueryType();
  if (!root) return 0;
  let cost = 0;
  const walk = (type: GraphQLObjectType, set: SelectionSetNode, multiplier: number, visiting: Set<string>): void => {
    for (const selection of set.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const on = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type;
        if (on instanceof GraphQLObjectType) walk(on, selection.selectionSet, multiplier, visiting);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || visiting.has(fragment.name.value)) continue;
        const on = schema.getType(fragment.typeCondition.name.value);
        if (on instanceof GraphQLObjectType)
          walk(on, fragment.selectionSet, multiplier, new Set([...visiting, fragment.name.value]));
        continue;
      }
      if (selection.name.value.startsWith('__')) continue;
      const field = type.getFields()[selection.name.value];
      const named = field ? getNamedType(field.type) : null;
      if (!field || !(named instanceof GraphQLObjectType) || !selection.selectionSet) continue;
      if (PLUMBING.has(field.name)) {
        // a connection's edges were already multiplied by its `first`
        walk(named, selection.selectionSet, multiplier, visiting);
        continue;
      }
      cost += multiplier;
      let childMultiplier = multiplier;
      const hasFirst = field.args.some((a) => a.name === 'first');
      if (hasFirst) {
        const first = intValue(selection.arguments?.find((a) => a.name.value === 'first')?.value, variables);
        childMultiplier = multiplier * Math.max(1, first ?? DEFAULT_PAGE_SIZE);
      } else if (isList(field.type)) {
        childMultiplier = multiplier * PLAIN_LIST_ESTIMATE;
      }
      walk(named, selection.selectionSet, childMultiplier, visiting);
    }
  };
  walk(root, operation.selectionSet, 1, new Set());
  return cost;
}
