import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * The product's documentation is self-contained: README.md and docs/*.md link only to files of
 * this repository (or to the server the reader runs on their own machine), never out of it.
 */
const ROOT = resolve(__dirname, '..', '..');
const DOCS = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
/** The server the README has the reader start (`npm start`), not a place outside the repository. */
const OWN_SERVER = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?(\/|$)/;

/** Every link target of a Markdown text: inline links, reference definitions, autolinks and bare URLs. */
function linkTargets(markdown: string): string[] {
  const targets = [
    ...[...markdown.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)].map((m) => m[1]!),
    ...[...markdown.matchAll(/^\s*\[[^\]]+\]:\s*<?(\S+?)>?\s*$/gm)].map((m) => m[1]!),
    ...[...markdown.matchAll(/<([a-z][a-z0-9+.-]*:[^>\s]+)>/gi)].map((m) => m[1]!),
    ...[...markdown.matchAll(/\bhttps?:\/\/[^\s)>`"'\]]+/g)].map((m) => m[0].replace(/[.,;:!?]+$/, '')),
  ];
  return [...new Set(targets)];
}

/** Why a link leaves the repository, or null when it stays inside. */
function leavesRepository(target: string, fromFile: string): string | null {
  if (OWN_SERVER.test(target)) return null;
  if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('//')) return 'an address outside the repository';
  const path = target.split('#')[0]!;
  if (!path) return null; // an anchor in the same file
  const absolute = resolve(ROOT, dirname(fromFile), decodeURI(path));
  if (relative(ROOT, absolute).startsWith('..')) return 'a path outside the repository';
  if (!existsSync(absolute)) return 'a file that does not exist';
  return null;
}

test.each(DOCS)('%s links only inside the repository', (file) => {
  const wrong = linkTargets(readFileSync(join(ROOT, file), 'utf8'))
    .map((target) => ({ target, problem: leavesRepository(target, file) }))
    .filter((link) => link.problem !== null);
  expect(wrong).toEqual([]);
});

test('the check recognises links that leave', () => {
  const sample =
    'See [spec](../shared/SPEC.md), [site](https://example.com/x), <https://example.org>, ' +
    'https://example.net/y, [ok](docs/RULES.md#keys), [here](#top) and <http://127.0.0.1:4000/graphql>.\n' +
    '[ref]: https://example.com/ref\n';
  const problems = linkTargets(sample).map((t) => [t, leavesRepository(t, 'README.md')]);
  expect(problems).toEqual([
    ['../shared/SPEC.md', 'a path outside the repository'],
    ['https://example.com/x', 'an address outside the repository'],
    ['docs/RULES.md#keys', null],
    ['#top', null],
    ['https://example.com/ref', 'an address outside the repository'],
    ['https://example.org', 'an address outside the repository'],
    ['http://127.0.0.1:4000/graphql', null],
    ['https://example.net/y', 'an address outside the repository'],
  ]);
});
