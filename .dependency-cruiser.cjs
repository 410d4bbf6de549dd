/**
 * The server's layers (docs/ARCHITECTURE.md), checked by `npm run lint:deps` (part of `npm run lint`).
 * Each layer may import the layers listed before it, never one after it nor a sibling of its own
 * rank, so no two folders can import each other. Type-only imports count: a contract a lower layer
 * needs lives in a type file at that layer.
 *
 *   shared ← auth ← rules ← db ← modules ← schema | context | seed ← http ← server.ts, main.ts, config.ts, *-cli.ts
 */
const SRC = '^server/src/';

/** Bottom to top; folders of one rank may not import each other. */
const LAYERS = [
  { name: 'shared', paths: ['shared/'] },
  { name: 'auth', paths: ['auth/'] },
  { name: 'rules', paths: ['rules/'] },
  { name: 'db', paths: ['db/'] },
  { name: 'modules', paths: ['modules/'] },
  { name: 'schema', paths: ['schema/'], rank: 'composition' },
  { name: 'context', paths: ['context/'], rank: 'composition' },
  { name: 'seed', paths: ['seed/'], rank: 'composition' },
  { name: 'http', paths: ['http/'] },
  // the entry points and the configuration that reads the environment; only they compose everything
  { name: 'server', paths: ['[^/]+\\.ts$'] },
];

const pathOf = (layer) => `${SRC}(${layer.paths.join('|')})`;

function layerRules() {
  return LAYERS.slice(0, -1).map((layer, index) => {
    const above = LAYERS.filter(
      (other, j) => other !== layer && (j > index || (layer.rank !== undefined && other.rank === layer.rank)),
    );
    return {
      name: `layer-${layer.name}`,
      severity: 'error',
      comment: `${layer.name} may import only the layers below it: ${
        LAYERS.slice(0, index)
          .map((l) => l.name)
          .join(', ') || 'none'
      } (docs/ARCHITECTURE.md)`,
      from: { path: pathOf(layer) },
      to: { path: above.map(pathOf) },
    };
  });
}

module.exports = {
  forbidden: [
    ...layerRules(),
    {
      name: 'no-folder-cycle',
      severity: 'error',
      comment:
        'No import cycle outside a module folder. Inside modules/, entities refer to each other (TypeORM relations), so files there may form cycles; the layer rules keep every other cycle out.',
      from: { path: SRC, pathNot: `${SRC}modules/` },
      to: { circular: true },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    includeOnly: SRC,
    doNotFollow: { path: 'node_modules' },
    // type-only imports are dependencies too: a loop of types is still a loop
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.json'] },
  },
};
