import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareSchemas, parseAcknowledgements, runCheck } from '../../scripts/schema-breaking-changes';

/** The contract check CI runs: breaking changes of schema/schema.graphql need an acknowledgement. */
const V1 = `
directive @requires(permission: String) on FIELD_DEFINITION
type Query { viewer: Viewer!  company: Company! }
type Viewer { name: String!  salary: Int }
type Company { id: ID!  name: String! }
`;
const FIELD_REMOVED = V1.replace('company: Company!', '');
const FIELD_ADDED = V1.replace('name: String!  salary', 'name: String!  email: String  salary');
const REQUIREMENT_ADDED = V1.replace('salary: Int', 'salary: Int @requires(permission: "PAYROLL_READ")');

describe('compareSchemas', () => {
  test('an added field is not breaking', () => {
    expect(compareSchemas(V1, FIELD_ADDED, [])).toMatchObject({ ok: true, breaking: [] });
  });

  test('a removed field is breaking unless acknowledged with a reason', () => {
    const failed = compareSchemas(V1, FIELD_REMOVED, []);
    expect(failed.ok).toBe(false);
    expect(failed.unacknowledged).toEqual([{ type: 'FIELD_REMOVED', description: 'Query.company was removed.' }]);
    const acked = compareSchemas(V1, FIELD_REMOVED, [{ change: 'Query.company was removed.', reason: 'moved' }]);
    expect(acked).toMatchObject({ ok: true, unacknowledged: [], unused: [] });
  });

  test('a field that gains @requires is reported as a warning', () => {
    const result = compareSchemas(V1, REQUIREMENT_ADDED, []);
    expect(result.ok).toBe(true);
    expect(result.warnings).toEqual([
      {
        type: 'FIELD_REQUIREMENT_CHANGED',
        description: 'Viewer.salary now @requires(permission: "PAYROLL_READ") (was open).',
      },
    ]);
  });

  test('acknowledgements need a change and a reason', () => {
    expect(parseAcknowledgements('{"acknowledged":[]}')).toEqual([]);
    expect(() => parseAcknowledgements('{"acknowledged":[{"change":"Query.x was removed."}]}')).toThrow(/reason/);
    expect(() => parseAcknowledgements('{}')).toThrow(/must be a list/);
  });
});

describe('runCheck against a git history', () => {
  let repo: string;
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args], {
      cwd: repo,
      stdio: 'pipe',
    });
  const write = (path: string, text: string) => {
    mkdirSync(join(repo, 'schema'), { recursive: true });
    writeFileSync(join(repo, path), text);
  };
  const commit = (message: string) => {
    git('add', '-A');
    git('commit', '--allow-empty', '-q', '-m', message);
  };

  beforeEach(() => {
    repo = mkdtempSync(join(tmpdir(), 'nokkel-breaking-'));
    git('init', '-q');
    lines.length = 0;
  });
  afterEach(() => rmSync(repo, { recursive: true, force: true }));

  test('passes when there is no previous commit', () => {
    write('schema/schema.graphql', V1);
    commit('first');
    expect(runCheck({ cwd: repo, log })).toBe(0);
    expect(lines.join('\n')).toMatch(/no commit HEAD~1/);
  });

  test('passes when the previous commit has no schema file', () => {
    commit('empty');
    write('schema/schema.graphql', V1);
    commit('schema');
    expect(runCheck({ cwd: repo, log })).toBe(0);
    expect(lines.join('\n')).toMatch(/has no schema\/schema.graphql/);
  });

  test('fails on an unacknowledged breaking change and passes once a tracked file acknowledges it', () => {
    write('schema/schema.graphql', V1);
    commit('v1');
    write('schema/schema.graphql', FIELD_REMOVED);
    commit('v2');
    expect(runCheck({ cwd: repo, log })).toBe(1);
    expect(lines.join('\n')).toContain('BREAKING (FIELD_REMOVED): Query.company was removed.');

    const ack = { acknowledged: [{ change: 'Query.company was removed.', reason: 'replaced by viewer.company' }] };
    write('schema/breaking-changes-acknowledged.json', JSON.stringify(ack));
    lines.length = 0;
    expect(runCheck({ cwd: repo, log })).toBe(1);
    expect(lines.join('\n')).toMatch(/not tracked by git/);

    git('add', 'schema/breaking-changes-acknowledged.json');
    lines.length = 0;
    expect(runCheck({ cwd: repo, log })).toBe(0);
    expect(lines.join('\n')).toContain(
      'acknowledged (FIELD_REMOVED): Query.company was removed. — replaced by viewer.company',
    );
  });

  test('passes when only fields were added', () => {
    write('schema/schema.graphql', V1);
    commit('v1');
    write('schema/schema.graphql', FIELD_ADDED);
    commit('v2');
    expect(runCheck({ cwd: repo, log })).toBe(0);
    expect(lines.join('\n')).toMatch(/no breaking changes since HEAD~1/);
  });
});
