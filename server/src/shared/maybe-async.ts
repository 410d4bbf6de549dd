/** A value now, or later. Relation fields answer synchronously when the value is already loaded. */
export type MaybePromise<T> = T | Promise<T>;

/** Applies `fn` now if the value is there, after it arrives otherwise (no promise per field when loaded). */
export function whenResolved<T, R>(value: MaybePromise<T>, fn: (resolved: T) => R): MaybePromise<R> {
  return value instanceof Promise ? value.then(fn) : fn(value);
}
