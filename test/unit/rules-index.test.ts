import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The rules layer's index (server/src/rules/README.md) cannot rot: every rule R1–R27 is listed once,
 * every function it names is exported by the file it names, and every test file it names exists and
 * holds a test titled with the rule's number. And the layer depends on nothing but shared/ at run
 * time: no database, no ORM, no GraphQL.
 */

const ROOT = join(__dirname, '..', '..');
const RULES = join(ROOT, 'server', 'src', 'rules');
const index = readFileSync(join(RULES, 'README.md'), 'utf8');

interface Row {
  rule: number;
  functions: { file: string; name: string }[];
  tests: string[];
}

const rows: Row[] = index
  .split('\n')
  .filter((line) => /^\| R\d+ \|/.test(line))
  .map((line) => {
    const cells = line.split('|').map((c) => c.trim());
    return {
      rule: Number(cells[1].slice(1)),
      functions: [...cells[3].matchAll(/`([\w-]+\.ts)#(\w+)`/g)].map((m) => ({ file: m[1], name: m[2] })),
      tests: [...cells[4].matchAll(/`(test\/[^`]+\.test\.ts)`/g)].map((m) => m[1]),
    };
  });

test('the index lists every rule R1–R27 (and later ones) exactly once, each with at least one function and one test file', () => {
  const listed = rows.map((r) => r.rule);
  // R1–R27, then the rules of SPEC section 8 as they are built, in order, each once
  expect(listed.slice(0, 27)).toEqual(Array.from({ length: 27 }, (_, i) => i + 1));
  expect(listed).toEqual([...new Set(listed)].sort((a, b) => a - b));
  for (const row of rows) {
    expect({ rule: row.rule, functions: row.functions.length > 0, tests: row.tests.length > 0 }).toEqual({
      rule: row.rule,
      functions: true,
      tests: true,
    });
  }
});

test.each(rows.map((r) => [`R${r.rule}`, r] as const))(
  '%s: every function the index names is exported by its file, with a doc comment naming the rule',
  (label, row) => {
    for (const { file, name } of row.functions) {
      const path = join(RULES, file);
      expect({ file, exists: existsSync(path) }).toEqual({ file, exists: true });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the file name comes from the index
      const exported = (require(path) as Record<string, unknown>)[name];
      expect({ name, type: typeof exported }).toEqual({ name, type: 'function' });
      const source = readFileSync(path, 'utf8');
      const declaration =
        source.indexOf(`export function ${name}(`) >= 0
          ? source.indexOf(`export function ${name}(`)
          : source.indexOf(`export async function ${name}(`);
      const comment = source.slice(source.lastIndexOf('/**', declaration), declaration);
      expect({ name, namesRule: new RegExp(`\\b${label}\\b`).test(comment) }).toEqual({
        name,
        namesRule: true,
      });
    }
  },
);

test.each(rows.map((r) => [`R${r.rule}`, r] as const))(
  '%s: every test file the index names exists and tests the rule by name',
  (label, row) => {
    for (const file of row.tests) {
      const path = join(ROOT, file);
      expect({ file, exists: existsSync(path) }).toEqual({ file, exists: true });
      const titled = new RegExp(`(test|describe|each)[^(]*\\((\\s*)['"\`]${label}[: ]`).test(
        readFileSync(path, 'utf8'),
      );
      expect({ file, titled }).toEqual({ file, titled: true });
    }
  },
);

test('the rules layer imports nothing at run time but shared/ and its own files (entity and context types only as types)', () => {
  for (const file of readdirSync(RULES).filter((f) => f.endsWith('.ts'))) {
    const source = readFileSync(join(RULES, file), 'utf8');
    for (const m of source.matchAll(/^import\s+(type\s+)?[^;]*?from\s+'([^']+)';/gms)) {
      const [, typeOnly, from] = m;
      const allowed = typeOnly !== undefined || from.startsWith('../shared/') || /^\.\/[\w-]+$/.test(from);
      expect({ file, from, allowed }).toEqual({ file, from, allowed: true });
    }
  }
});
