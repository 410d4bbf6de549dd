import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ASYNC_PROPERTIES } from '../../server/src/schema/async-properties';

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
