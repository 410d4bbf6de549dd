import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import {
  Kind,
  parse,
  visit,
  type DefinitionNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
} from 'graphql';

/**
 * The SDK's operations (client-sdk/operations/*.graphql), read from the repository when the
 * explorer is built, so each explorer tab runs exactly what the SDK's method of that name sends.
 */
export interface SdkOperations {
  /** The document of these operations, each followed by nothing else, then every fragment they spread. */
  document(names: readonly string[]): string;
}

/** client-sdk/operations, found upwards from here (server/src/… when tested, dist/server/src/… when built). */
function operationsDirectory(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const candidate = join(dir, 'client-sdk', 'operations');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error('client-sdk/operations not found above ' + __dirname);
  }
}

/** The definition as its file writes it (its own formatting), not reprinted. */
function sourceOf(definition: DefinitionNode): string {
  const { loc } = definition;
  if (!loc) throw new Error('an SDK operation without its source location');
  return loc.source.body.slice(loc.start, loc.end);
}

export function loadSdkOperations(directory = operationsDirectory()): SdkOperations {
  const operations = new Map<string, OperationDefinitionNode>();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const file of readdirSync(directory)
    .filter((name) => name.endsWith('.graphql'))
    .sort()) {
    for (const definition of parse(readFileSync(join(directory, file), 'utf8')).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION && definition.name)
        operations.set(definition.name.value, definition);
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
  }

  const spreadsOf = (node: OperationDefinitionNode | FragmentDefinitionNode): string[] => {
    const names: string[] = [];
    visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
    return names;
  };

  return {
    document(names) {
      const chosen = names.map((name) => {
        const operation = operations.get(name);
        if (!operation) throw new Error(`the SDK has no operation named ${name}`);
        return operation;
      });
      // every fragment the operations spread, directly or through other fragments, in first-use order
      const needed: string[] = [];
      const queue = chosen.flatMap(spreadsOf);
      while (queue.length) {
        const name = queue.shift()!;
        if (needed.includes(name)) continue;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`the SDK has no fragment named ${name}`);
        needed.push(name);
        queue.push(...spreadsOf(fragment));
      }
      return [...chosen, ...needed.map((name) => fragments.get(name)!)].map(sourceOf).join('\n\n') + '\n';
    },
  };
}
