// @ts-check
/**
 * graphql-codegen plugin: writes client-sdk/src/generated/error-codes.ts from the server's own
 * lists, so the SDK's ErrorCode cannot fall behind the server (`npm run codegen:check` and
 * test/sdk/error-codes.test.ts fail when it does):
 * - the `ErrorCode` list of server/src/shared/errors.ts (every code the server raises);
 * - the codes of Apollo Server that server/src/http/error-masking/index.ts passes through unmasked
 *   (the string literals of its `EXPECTED_CODES` set, e.g. GRAPHQL_PARSE_FAILED).
 * It reads the source text rather than compiled code, so `npm run codegen` needs no build.
 */
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const ROOT = join(__dirname, '..', '..');
const ERRORS = 'server/src/shared/errors.ts';
const PASSED_THROUGH = 'server/src/http/error-masking/index.ts';

/** @param {string} file */
function read(file) {
  return readFileSync(join(ROOT, file), 'utf8');
}

/** @param {string} file @param {string} what */
function missing(file, what) {
  return new Error(
    `${file} no longer has ${what}: update scripts/sdk/error-codes-plugin.cjs to read the server's error codes from where they are now.`,
  );
}

/** @returns {Array<{ code: string, doc: string | undefined }>} */
function enumCodes() {
  const body = /export const ErrorCode = stringEnum\(\[([\s\S]*?)\]\);/.exec(read(ERRORS))?.[1];
  if (!body) throw missing(ERRORS, 'an `export const ErrorCode = stringEnum([ … ]);`');
  const members = [...body.matchAll(/(?:\/\*\*([\s\S]*?)\*\/\s*)?'([A-Z][A-Z0-9_]*)'/g)].map((m) => {
    const doc = m[1]
      ?.split('\n')
      .map((line) => line.replace(/^\s*\*?\s?/, '').trim())
      .filter(Boolean)
      .join(' ');
    return { code: m[2] ?? '', doc: doc || undefined };
  });
  if (members.length === 0) throw missing(ERRORS, 'names in its ErrorCode list');
  return members;
}

/** @returns {string[]} */
function passedThroughCodes() {
  const set = /const EXPECTED_CODES = new Set<string>\(\[([\s\S]*?)\]\);/.exec(read(PASSED_THROUGH))?.[1];
  if (!set) throw missing(PASSED_THROUGH, 'a `const EXPECTED_CODES = new Set<string>([ … ]);`');
  return [...set.matchAll(/'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1] ?? '');
}

function plugin() {
  const own = enumCodes();
  const known = new Set(own.map((c) => c.code));
  const apollo = passedThroughCodes().filter((code) => !known.has(code));
  const lines = [
    '/**',
    " * Every code the Nøkkel API sends in `extensions.code`: the server's own codes",
    ` * (${ERRORS}) and the codes of Apollo Server it passes through (${PASSED_THROUGH}).`,
    ' */',
    'export const ServerErrorCode = {',
  ];
  for (const { code, doc } of own) {
    if (doc) lines.push(`  /** ${doc.replace(/\*\//g, '*\\/')} */`);
    lines.push(`  ${code}: '${code}',`);
  }
  for (const code of apollo) {
    lines.push('  /** Passed through from Apollo Server. */', `  ${code}: '${code}',`);
  }
  lines.push('} as const;', '');
  return lines.join('\n');
}

module.exports = { plugin, enumCodes, passedThroughCodes };
