import { Arg, type ClassType } from 'type-graphql';

/**
 * The one argument of a mutation, named `input` by convention: `@Input(AddClientInput) input:
 * AddClientInput` declares `addClient(input: AddClientInput!)`.
 */
export function Input<T extends object>(type: ClassType<T>): ReturnType<typeof Arg> {
  return Arg('input', () => type);
}
