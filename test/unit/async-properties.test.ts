import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isAbstractType } from 'graphql';
import { ASYNC_PROPERTIES, TYPE_RESOLVERS } from '../../server/src/schema/async-properties';
import { buildNokkelSchema } from '../../server/src/schema/build-schema';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
  });
}

describe('fields backed by getters that return a Promise', () => {
  it('each one has an explicit resolver, so graphql-jit awaits it as graphql-js does', () => {
    const getters = sources(join(__dirname, '../../server/src')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/\bget\s+(\w+)\(\)\s*:\s*Promise</g)].map((m) => ({ file, name: m[1] })),
    );
    expect(getters.length).toBeGreaterThan(0);
    const covered = new Set(ASYNC_PROPERTIES.map((p) => p.field));
    expect(getters.filter((g) => !covered.has(g.name))).toEqual([]);
  });
});

describe('interfaces and unions', () => {
  it('each one names the type of a value synchronously, as graphql-jit needs', () => {
    const schema = buildNokkelSchema();
    const abstract = Object.values(schema.getTypeMap()).filter((t) => isAbstractType(t) && !t.name.startsWith('__'));
    expect(abstract.map((t) => t.name).sort()).toEqual(Object.keys(TYPE_RESOLVERS).sort());
    expect(TYPE_RESOLVERS.Node({ id: 'nonexistent' })).toBeUndefined();
    const node = schema.getType('Node');
    expect(isAbstractType(node) && node.resolveType === TYPE_RESOLVERS.Node).toBe(true);
  });
});
