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
  /** Items counted since the request last let the others run. */
  sinceYield: number;
  /** Resolves once the request's last yield is over: later lists wait for it. */
  turns: Promise<void> | null;
}

/**
 * List items a request completes before it lets other requests run. A page of 100 keys × 47 of
 * their owner's keys is ~10,000 objects and 150–450 ms of synchronous completion once its data is
 * loaded; every other tenant's request would wait all of it. At 250 objects a stretch is a few
 * milliseconds, and a request that resolves fewer (nearly all) never yields at all.
 */
export const YIELD_EVERY_OBJECTS = 250;

const tallies = new WeakMap<object, Tally>();
const counted = new WeakSet<GraphQLSchema>();

/** Starts counting the list items a request resolves (its context is the key). */
export function startTally(context: object, max: number): void {
  tallies.set(context, { count: 0, max, sinceYield: 0, turns: null });
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Adds a list's items to the request's tally and hands the list back: at once while the request
 * is small; once it has yielded, after its latest turn of the event loop, so the lists completed
 * in one synchronous pass are split into stretches of about `YIELD_EVERY_OBJECTS`.
 */
function admit<T>(context: unknown, value: T): T | Promise<T> {
  if (!Array.isArray(value) || typeof context !== 'object' || context === null) return value;
  const tally = tallies.get(context);
  if (!tally) return value;
  tally.count += value.length;
  if (tally.count > tally.max) {
    throw new NokkelError(
      ErrorCode.BAD_USER_INPUT,
      `The query resolved more than ${tally.max} objects, the limit per request. Ask for smaller pages (first) or fewer nested lists.`,
      { limit: 'resolvedObjects', value: tally.count, max: tally.max },
    );
  }
  tally.sinceYield += value.length;
  if (tally.sinceYield >= YIELD_EVERY_OBJECTS) {
    tally.sinceYield = 0;
    tally.turns = (tally.turns ?? Promise.resolve()).then(nextTurn);
  }
  return tally.turns ? tally.turns.then(() => value) : value;
}

/**
 * The last line behind the cost estimate: every field that returns a list of objects (a
 * connection's `edges`, a plain list) adds its length to the request's tally, and the request is
 * refused past the maximum. Every `YIELD_EVERY_OBJECTS` items the list is handed back a turn of
 * the event loop later, so a large answer is completed in stretches with other requests served
 * between them. Only list fields are wrapped, so scalar and object fields pay nothing.
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
        if (value instanceof Promise) return value.then((resolved) => admit(context, resolved));
        return admit(context, value);
      };
    }
  }
}
