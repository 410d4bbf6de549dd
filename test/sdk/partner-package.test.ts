import { execFile } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestApp, type TestApp } from '../testkit/app';
import { testDatabaseKind } from '../testkit/database';
import { buildWorld } from '../testkit/world';

/**
 * Plays the partner: packs @nokkel/client-sdk like `npm publish` would, installs the tarball in
 * a fresh project outside the repository (its own strict tsconfig, no @types, nothing but the
 * tarball and its two dependencies), compiles a small integration with the repository's
 * TypeScript and runs it against a live server. It is about the SDK, not the database, so it
 * runs on SQLite only.
 */
const run = promisify(execFile);
const ROOT = join(__dirname, '..', '..');
const SDK_DIR = join(ROOT, 'client-sdk');
const FIXTURE = join(__dirname, 'fixtures', 'partner');
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/** npm's environment without the npm_* variables of the `npm test` that started jest. */
function npmEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
}

interface PackedFile {
  path: string;
}

const describeOnSqlite = testDatabaseKind() === 'sqlite' ? describe : describe.skip;

describeOnSqlite('the packed SDK, as a partner uses it', () => {
  let app: TestApp;
  let work: string;
  let project: string;
  let packedFiles: string[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'nokkel-partner-'));
    await run('npm', ['run', 'build'], { cwd: SDK_DIR, env: npmEnv() });
    const { stdout } = await run('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], {
      cwd: SDK_DIR,
      env: npmEnv(),
    });
    const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: PackedFile[] }>;
    packedFiles = packed.files.map((f) => f.path).sort();

    project = join(work, 'partner');
    mkdirSync(join(project, 'src'), { recursive: true });
    for (const file of readdirSync(FIXTURE)) {
      cpSync(join(FIXTURE, file), join(project, file.endsWith('.ts') ? join('src', file) : file));
    }
    await run(
      'npm',
      ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', join(work, packed.filename)],
      { cwd: project, env: npmEnv() },
    );

    app = await startTestApp();
    await buildWorld(app.seed);
  }, 240_000);

  afterAll(async () => {
    await app?.close();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  test('the tarball holds only what a user needs: compiled JS, type declarations, operations, README', () => {
    expect(packedFiles).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/generated/graphql.d.ts',
        'operations/fragments.graphql',
      ]),
    );
    const unexpected = packedFiles.filter(
      (path) =>
        !['package.json', 'README.md'].includes(path) &&
        !/^dist\/.+\.(js|d\.ts)$/.test(path) &&
        !/^operations\/[\w-]+\.graphql$/.test(path),
    );
    expect(unexpected).toEqual([]);
  });

  test('the partner project installs only the SDK and its two runtime dependencies', async () => {
    const { stdout } = await run('npm', ['ls', '--all', '--parseable'], { cwd: project, env: npmEnv() });
    const installed = stdout
      .split('\n')
      .filter(Boolean)
      .map((path) => path.slice(project.length + 1))
      .filter(Boolean)
      .sort();
    expect(installed).toEqual([
      'node_modules/@graphql-typed-document-node/core',
      'node_modules/@nokkel/client-sdk',
      'node_modules/graphql',
    ]);
  });

  test('a strict TypeScript project compiles the integration and it runs against a live server', async () => {
    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project });
    const { stdout } = await run(process.execPath, ['dist/partner.js', `${app.url}/graphql`], { cwd: project });
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
    });
  });

  test('reading a field the operation did not select does not compile', async () => {
    const failure = await run(process.execPath, [TSC, '-p', 'tsconfig.wrong.json'], { cwd: project }).then(
      () => null,
      (error: { code?: number; stdout?: string }) => error,
    );
    expect(failure).not.toBeNull();
    expect(failure?.code).toBe(2);
    expect(failure?.stdout).toContain("error TS2339: Property 'annualSalary' does not exist on type");
  });

  test('CommonJS consumers can require the package too', async () => {
    const { stdout } = await run(
      process.execPath,
      [
        '-e',
        "const sdk = require('@nokkel/client-sdk'); console.log(typeof sdk.createClient, typeof sdk.NokkelError, typeof sdk.CreateUserKeyDocument, sdk.Permission.CLIENT_ADMIN)",
      ],
      { cwd: project },
    );
    expect(stdout.trim()).toBe('function function object CLIENT_ADMIN');
  });
});
