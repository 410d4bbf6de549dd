/**
 * Enumerations as plain objects, for the layers that must not load the ORM or GraphQL: each name
 * maps to itself, in the order given. type-graphql's `registerEnumType` and TypeORM read such an
 * object as they read a TypeScript string enum, and `Object.values` lists the names in order.
 */

/** The object of a string enum: each name maps to itself. */
export type StringEnum<Name extends string> = { readonly [N in Name]: N };

/** The union of a string enum's values; declare it under the object's name (`type X = EnumValue<typeof X>`). */
export type EnumValue<E extends StringEnum<string>> = E[keyof E];

/** A string enum from its list of names. */
export function stringEnum<const Names extends readonly string[]>(names: Names): StringEnum<Names[number]> {
  return Object.freeze(Object.fromEntries(names.map((name) => [name, name]))) as StringEnum<Names[number]>;
}
