import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { IsNull } from 'typeorm';
import { UserKey } from '../../server/src/modules/keys/user-key.entity';
import { startTestApp, type TestApp } from '../testkit/app';
import { testDatabaseKind } from '../testkit/database';
import { buildWorld } from '../testkit/world';
import { assembleProgram, readmeExamples, type ReadmeExamples } from './readme-examples';
import { startRateLimitingProxy } from './rate-limiting-proxy';

/**
 * Plays the partner: packs @nokkel/client-sdk like `npm publish` would and installs the tarball
 * in two fresh projects outside the repository, one ESM and one CommonJS, each with its own
 * strict tsconfig and no @types. Each project follows the README as written: the codegen tools
 * and overrides of its package.json block, its codegen.ts, codegen run against the schema inside
 * the installed package. Then it compiles, with the repository's TypeScript, a partner program
 * (its own documents, paginate, a retried 429) and the README's examples, and runs both against
 * a live server. It is about the SDK, not the database, so it runs on SQLite only.
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SDK_DIR = join(ROOT, 'client-sdk');
const FIXTURES = join(__dirname, 'fixtures');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** npm's environment without the npm_* variables of the `npm test` that started jest. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

type Kind = 'esm' | 'cjs';

interface Compiled {
  code: number;
  stdout: string;
}

const EXTRA_CLIENTS = ['Alfa Bygg AS', 'Kaffe Kompaniet AS', 'Zeta Data AS'];
const ALL_CLIENTS = ['Alfa Bygg AS', 'Bakeri Hansen AS', 'Fjord Fisk AS', 'Kaffe Kompaniet AS', 'Zeta Data AS'];

const describeOnSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

describeOnSqlite('the packed SDK, as a partner uses it', () => {
  let app: TestApp;
  let work: string;
  let tarball: string;
  let packedFiles: string[];
  let examples: ReadmeExamples;
  let packageReadme: string;
  const projects = {} as Record<Kind, string>;
  let toolsInstallLog = '';
  let compiled: Record<Kind | 'wrong', Promise<Compiled>>;

  /**
   * The README's package.json block (codegen tools, overrides) in the folder that holds both
   * projects, installed once for both, as in a monorepo; npm install's output is kept for the
   * engine-warning check.
   */
  async function installCodegenTools(): Promise<void> {
    writeFileSync(
      join(work, 'package.json'),
      JSON.stringify({ name: 'nokkel-partners', private: true, ...examples.packageJson }, null, 2),
    );
    const install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: work,
      env: npmEnv(),
    });
    toolsInstallLog = `${install.stdout}\n${install.stderr}`;
  }

  /** A partner project: the fixture, the partner program, the README's examples and codegen.ts, the tarball. */
  async function setUpProject(kind: Kind): Promise<void> {
    const dir = join(work, `partner-${kind}`);
    mkdirSync(join(dir, 'src'), { recursive: true });
    for (const file of readdirSync(join(FIXTURES, `partner-${kind}`)))
      cpSync(join(FIXTURES, `partner-${kind}`, file), join(dir, file));
    for (const file of readdirSync(join(FIXTURES, 'partner-src')))
      cpSync(join(FIXTURES, 'partner-src', file), join(dir, 'src', file));
    writeFileSync(join(dir, 'src', 'readme.ts'), examples.program);
    writeFileSync(join(dir, 'src', 'package-readme.ts'), packageReadme);
    writeFileSync(join(dir, 'codegen.ts'), examples.codegenConfig);
    const own = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, unknown>;
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ ...own, scripts: examples.packageJson.scripts }, null, 2),
    );
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', tarball], {
      cwd: dir,
      env: npmEnv(),
    });
    projects[kind] = dir;
  }

  /** `npm run codegen` as the README says; npm finds graphql-codegen in the parent folder's node_modules/.bin. */
  async function codegen(kind: Kind): Promise<void> {
    await run('npm', ['run', 'codegen'], { cwd: projects[kind], env: npmEnv() });
  }

  /** Runs tsc in a project; started early so the compiles overlap, awaited by the tests. */
  function compile(kind: Kind, config: string): Promise<Compiled> {
    return run(process.execPath, [TSC, '-p', config], { cwd: projects[kind] }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (error: { code?: number; stdout?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '' }),
    );
  }

  beforeAll(async () => {
    examples = readmeExamples(readFileSync(join(ROOT, 'README.md'), 'utf8'));
    packageReadme = assembleProgram(readFileSync(join(SDK_DIR, 'README.md'), 'utf8'), 'client-sdk/README.md');
    work = mkdtempSync(join(tmpdir(), 'nokkel-partner-'));
    const startServer = async () => {
      app = await startTestApp();
      const world = await buildWorld(app.seed);
      for (const [i, name] of EXTRA_CLIENTS.entries())
        await app.seed.clientRelation(world.office, await app.seed.company({ name, orgNumber: `93000000${i}` }));
    };
    const pack = async () => {
      await run('npm', ['run', 'build'], { cwd: SDK_DIR, env: npmEnv() });
      const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
        cwd: SDK_DIR,
        env: npmEnv(),
      });
      const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
      packedFiles = packed.files.map((f) => f.path).sort();
      tarball = join(work, packed.filename);
      await Promise.all([setUpProject('esm'), setUpProject('cjs')]);
    };
    await Promise.all([installCodegenTools(), pack(), startServer()]);
    await Promise.all([codegen('esm'), codegen('cjs')]);
    compiled = {
      esm: compile('esm', 'tsconfig.json'),
      cjs: compile('cjs', 'tsconfig.json'),
      wrong: compile('esm', 'tsconfig.wrong.json'),
    };
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds only what a user needs: compiled JS, type declarations, schema, operations, README', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'schema.graphql',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/generated/graphql.d.ts',
        'operations/fragments.graphql',
      ]),
    );
    const unexpected = packedFiles.filter(
      (path) =>
        !['package.json', 'README.md', 'schema.graphql'].includes(path) &&
        !/^dist\/.+\.(js|d\.ts)$/.test(path) &&
        !/^operations\/[\w-]+\.graphql$/.test(path),
    );
    expect(unexpected).toEqual([]);
  });

  test("the package's schema.graphql is the server's schema", () => {
    const shipped = readFileSync(join(projects.esm, 'node_modules', '@nokkel', 'client-sdk', 'schema.graphql'), 'utf8');
    const server = readFileSync(join(ROOT, 'schema', 'schema.graphql'), 'utf8');
    const withoutHeader = (sdl: string) => sdl.replace(/^(#[^\n]*\n)+/, '');
    expect(shipped).toMatch(/^# The Nøkkel API schema, shipped with @nokkel\/client-sdk \d+\.\d+\.\d+/);
    expect(withoutHeader(shipped)).toBe(withoutHeader(server));
  });

  test(`the README's codegen tools install without engine warnings on this Node.js (${process.version})`, () => {
    expect(toolsInstallLog).toMatch(/added \d+ packages/);
    expect(toolsInstallLog).not.toMatch(/EBADENGINE/);
  });

  test('at run time the partner project holds only the SDK and its two dependencies', () => {
    const lock = JSON.parse(readFileSync(join(projects.esm, 'node_modules', '.package-lock.json'), 'utf8')) as {
      packages: Record<string, unknown>;
    };
    expect(Object.keys(lock.packages).sort()).toEqual([
      'node_modules/@graphql-typed-document-node/core',
      'node_modules/@nokkel/client-sdk',
      'node_modules/graphql',
    ]);
  });

  // each program run is a new partner: the keys an earlier run made (same display names, which an owner
  // may not repeat among its live keys) are revoked first, as an office would before handing over
  async function revokeEarlierKeys(): Promise<void> {
    await app.server.db.manager.update(
      UserKey,
      { revokedAt: IsNull() },
      { revokedAt: new Date(), activeNameKey: null },
    );
  }

  describe.each(['esm', 'cjs'] as const)('in a strict %s project', (kind) => {
    beforeEach(() => revokeEarlierKeys());

    test("the partner program and the README examples (the repository's and the package's) compile", async () => {
      expect(await compiled[kind]).toEqual({ code: 0, stdout: '' });
    });

    test('the partner program runs against a live server: keys, links, paginate, its own fields, a retried 429', async () => {
      const proxy = await startRateLimitingProxy(`${app.url}/graphql`, { refusals: 1, retryAfterSeconds: 1 });
      try {
        const { stdout } = await run(process.execPath, ['dist/partner.js', `${app.url}/graphql`, proxy.url], {
          cwd: projects[kind],
        });
        const result = JSON.parse(stdout.trim()) as Record<string, unknown>;
        expect(result).toEqual({
          office: 'Regnskap AS',
          key: expect.stringMatching(/^Fiken Sync for our clients \(Fiken Sync, ACCOUNTANT, ACTIVE, nkl_/),
          linkedCount: 1,
          template: 'Bokføring',
          client: 'Bakeri Hansen AS',
          actingAt: 'Bakeri Hansen AS',
          effectivePermissions: expect.arrayContaining([
            'CUSTOMER_READ',
            'CUSTOMER_WRITE',
            'INVOICE_READ',
            'INVOICE_WRITE',
          ]),
          customers: ['Kunde En AS (Bakeri Hansen AS)', 'Kunde To AS (Bakeri Hansen AS)'],
          refusedAtOffice: 'FORBIDDEN',
          // two per page: three pages, in the API's order (by name); no other office's client
          allClients: ALL_CLIENTS,
          ownFields: ALL_CLIENTS.map((name) => `${name}: API access on`),
          ownCompany: 'Regnskap AS (ACCOUNTING_OFFICE)',
          retries: [{ attempt: 1, delayMs: 1000, code: 'RATE_LIMITED', status: 429 }],
          afterRetry: 'Regnskap AS',
        });
        expect(proxy.requests).toBe(2);
      } finally {
        await proxy.close();
      }
    });

    test('the README examples run against a live server', async () => {
      const { stdout } = await run(process.execPath, ['dist/readme.js', `${app.url}/graphql`], {
        cwd: projects[kind],
      });
      const lines = stdout.trim().split('\n');
      expect(lines.at(-1)).toBe('README OK');
      expect(lines).toEqual(
        expect.arrayContaining([
          "[ 'Kunde En AS (Bakeri Hansen AS)', 'Kunde To AS (Bakeri Hansen AS)' ]",
          expect.stringMatching(/^refused: /),
          ...ALL_CLIENTS.map((name) => `${name} API access on`),
          ...ALL_CLIENTS.map((name) => `${name} true`),
          'Regnskap AS',
        ]),
      );
    });
  });

  test('reading a field the document did not select does not compile (SDK operations and your own)', async () => {
    const failure = await compiled.wrong;
    expect(failure.code).toBe(2);
    expect(failure.stdout).toMatch(/wrong-field\.ts.*error TS2339: Property 'annualSalary' does not exist on type/);
    expect(failure.stdout).toMatch(/wrong-own-field\.ts.*error TS2339: Property 'orgNumber' does not exist on type/);
    expect(failure.stdout.match(/error TS/g)).toHaveLength(2);
  });

  test('plain CommonJS consumers can require the package too', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        "const sdk = require('@nokkel/client-sdk'); console.log(typeof sdk.createClient, typeof sdk.NokkelError, typeof sdk.CreateUserKeyDocument, sdk.Permission.CLIENT_ADMIN, sdk.ErrorCode.GRAPHQL_PARSE_FAILED, typeof sdk.typedDocument)",
      ],
      { cwd: projects.cjs },
    );
    expect(stdout.trim()).toBe('function function object CLIENT_ADMIN GRAPHQL_PARSE_FAILED function');
  });
});
