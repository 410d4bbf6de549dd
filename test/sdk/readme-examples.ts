/**
 * The code of the README's "Using the SDK" section, as a partner would copy it:
 * - the ```json package.json block (the codegen tools and overrides to add to package.json);
 * - the ```ts codegen.ts block (the partner's codegen config, as written);
 * - every plain ```ts block, in order, assembled into one program: their imports merged at the
 *   top, their statements in one async function (so it compiles in CommonJS as in ESM), and the
 *   README's URL replaced by the program's first argument.
 * The package's own README (client-sdk/README.md) is assembled the same way.
 */
export interface ReadmeExamples {
  packageJson: Record<string, unknown>;
  codegenConfig: string;
  program: string;
}

export const README_URL = "'http://127.0.0.1:4000/graphql'";

const IMPORT = /^import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';[^\n]*$/gm;

function section(readme: string, title: string): string {
  const start = readme.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${title}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

function mergeImports(blocks: string[]): { imports: string[]; bodies: string[] } {
  const byModule = new Map<string, Set<string>>();
  const bodies = blocks.map((block) =>
    block.replace(IMPORT, (_line, typeOnly: string | undefined, names: string, from: string) => {
      const set = byModule.get(from) ?? new Set<string>();
      for (const name of names
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean))
        set.add(typeOnly && !name.startsWith('type ') ? `type ${name}` : name);
      byModule.set(from, set);
      return '';
    }),
  );
  for (const body of bodies)
    if (/^import\b/m.test(body)) throw new Error(`README: write imports as "import { a, b } from 'x';":\n${body}`);
  const imports = [...byModule].map(([from, names]) => `import { ${[...names].join(', ')} } from '${from}';`);
  return { imports, bodies };
}

interface Block {
  language: string | undefined;
  file: string | undefined;
  code: string;
}

function codeBlocks(markdown: string): Block[] {
  return [...markdown.matchAll(/^```(\w+)(?: ([^\n]+))?\n([\s\S]*?)^```$/gm)].map((m) => ({
    language: m[1],
    file: m[2]?.trim(),
    code: m[3] ?? '',
  }));
}

/** The plain ```ts blocks of a markdown text, in order, as one program that compiles in CommonJS and ESM. */
export function assembleProgram(markdown: string, origin: string): string {
  const { imports, bodies } = mergeImports(
    codeBlocks(markdown)
      .filter((b) => b.language === 'ts' && !b.file)
      .map((b) => b.code),
  );
  const body = bodies.join('\n');
  if (body.split(README_URL).length !== 2) throw new Error(`${origin}: the examples should name ${README_URL} once`);
  return [
    `// Assembled by test/sdk/partner-package.test.ts from ${origin}.`,
    ...imports,
    '',
    'declare const process: { argv: string[]; exitCode?: number };',
    'declare const console: { log(...values: unknown[]): void; error(...values: unknown[]): void };',
    '',
    'async function readme(): Promise<void> {',
    ...body
      .replace(README_URL, "process.argv[2] ?? ''")
      .split('\n')
      .map((line) => (line ? `  ${line}` : line)),
    '}',
    '',
    "readme().then(() => console.log('README OK'), (error: unknown) => {",
    '  console.error(error);',
    '  process.exitCode = 1;',
    '});',
    '',
  ].join('\n');
}

export function readmeExamples(readme: string): ReadmeExamples {
  const text = section(readme, 'Using the SDK');
  const blocks = codeBlocks(text);
  const one = (language: string, file: string) => {
    const found = blocks.filter((b) => b.language === language && b.file === file);
    if (found.length !== 1)
      throw new Error(`README: expected one \`\`\`${language} ${file} block, found ${found.length}`);
    return found[0]?.code ?? '';
  };
  return {
    packageJson: JSON.parse(one('json', 'package.json')) as Record<string, unknown>,
    codegenConfig: one('ts', 'codegen.ts'),
    program: assembleProgram(text, 'the "Using the SDK" section of README.md'),
  };
}
