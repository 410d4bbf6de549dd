import {
  GraphQLObjectType,
  defaultFieldResolver,
  getNamedType,
  isListType,
  isNonNullType,
  type GraphQLFieldResolver,
  type GraphQLSchema,
} from 'graphql';
import { ErrorCode, NokkelError } from '../../shared/errors';

interface Tally {
  count: number;
  readonly max: number;
}

const tallies = new WeakMap<object, Tally>();
const counted = new WeakSet<GraphQLSchema>();

/** Starts counting the list items a request resolves (its context is the key). */
export function startTally(context: object, max: number): void {
  tallies.set(context, { count: 0, max });
}

function add(context: unknown, value: unknown): void {
  if (!Array.isArray(value) || typeof context !== 'object' || context === null) return;
  const tally = tallies.get(context);
  if (!tally) return;
  tally.count += value.length;
  if (tally.count > tally.max) {
    throw new NokkelError(
      ErrorCode.BAD_USER_INPUT,
      `The query resolved more than ${tally.max} objects, the limit per request. Ask for smaller pages (first) or fewer nested lists.`,
      { limit: 'resolvedObjects', value: tally.count, max: tally.max },
    );
  }
}

/**
 * The last line behind the cost estimate: every field that returns a list of objects (a
 * connection's `edges`, a plain list) adds its length to the request's tally, and the request is
 * refused past the maximum. Only list fields are wrapped, so scalar and object fields pay nothing.
 * Wraps a schema once, however many servers share it.
 */
export function countResolvedLists(schema: GraphQLSchema): void {
  if (counted.has(schema)) return;
  counted.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!(type instanceof GraphQLObjectType) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const list = isListType(isNonNullType(field.type) ? field.type.ofType : field.type);
      if (!list || !(getNamedType(field.type) instanceof GraphQLObjectType)) continue;
      const inner: GraphQLFieldResolver<unknown, unknown> = field.resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        const value = inner(source, args, context, info);
        if (value instanceof Promise) {
          return value.then((resolved) => {
            add(context, resolved);
            return resolved;
          });
        }
        add(context, value);
        return value;
      };
    }
  }
}
