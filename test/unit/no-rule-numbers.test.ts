import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { printNokkelSchema } from '../../server/src/schema/print-schema';

/**
 * Rule numbers (R1–R38) are the project's own index, not the reader's: public messages and the
 * schema's descriptions say what happens in plain words. Doc comments in the code may cite them.
 */
const RULE_NUMBER = /\bR\d+\b/;
const ROOT = join(__dirname, '..', '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sourceFiles(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

/** The string literals of a line of code that is not a comment (messages, descriptions). */
function stringsOf(line: string): string[] {
  const code = line.trimStart();
  if (code.startsWith('//') || code.startsWith('*') || code.startsWith('/*')) return [];
  const withoutTrailingComment = code.replace(/\s\/\/\s.*$/, '');
  return [...withoutTrailingComment.matchAll(/'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"/g)].map(
    (m) => m[0],
  );
}

test('the emitted schema (schema/schema.graphql and what the server builds) cites no rule number', () => {
  for (const sdl of [printNokkelSchema(), readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8')]) {
    const cited = sdl.split('\n').filter((line) => RULE_NUMBER.test(line));
    expect(cited).toEqual([]);
  }
});

test('no string in the server’s code (error messages, descriptions) cites a rule number', () => {
  const cited: string[] = [];
  for (const file of sourceFiles(join(ROOT, 'server', 'src'))) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const literal of stringsOf(line))
          if (RULE_NUMBER.test(literal)) cited.push(`${file.slice(ROOT.length + 1)}:${i + 1}: ${literal}`);
      });
  }
  expect(cited).toEqual([]);
});

test('the scan sees rule numbers where they would be wrong', () => {
  expect(stringsOf(`throw new Forbidden('Not at this client (R14).');`).some((s) => RULE_NUMBER.test(s))).toBe(true);
  expect(stringsOf(`  /** R14: accountant keys need an application that supports them. */`)).toEqual([]);
});
