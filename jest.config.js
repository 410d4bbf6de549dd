/**
 * Every test file runs on SQLite, and again on MySQL/MariaDB when TEST_DATABASE_URL is set and
 * answers (CI always sets it), and on SQLite once more with graphql-js as the executor. The project name in the output says which database a result is
 * from. Chromium, Redis and MariaDB are looked for first (test/testkit/environment.js): what is
 * missing is said in one line and its tests are skipped — unless CI=true, where all are required.
 */
const { describeMissing, probeEnvironment } = require('./test/testkit/environment');

const swc = [
  '@swc/jest',
  {
    jsc: {
      target: 'es2022',
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = async () => {
  const environment = await probeEnvironment(process.env);
  const mandatory = process.env.CI === 'true';
  const missing = describeMissing(environment, mandatory);
  if (missing && mandatory) throw new Error(missing);
  if (missing) process.stderr.write(`${missing}\n`);

  const found = Object.fromEntries(Object.entries(environment).map(([name, need]) => [name, need.found]));
  const base = {
    testEnvironment: 'node',
    transform: { '^.+\\.ts$': swc },
    moduleFileExtensions: ['ts', 'js', 'json'],
    setupFiles: ['reflect-metadata'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  };
  // graphql-jit executes by default; the SQLite run is repeated on graphql-js, so every HTTP test
  // holds on both engines (NOKKEL_TEST_EXECUTOR, read by test/testkit/executor.ts)
  const databases = [
    { name: 'sqlite', url: '', executor: 'jit' },
    { name: 'sqlite-graphql-js', db: 'sqlite', url: '', executor: 'graphql-js' },
  ];
  if (environment.mariadb.found)
    databases.push({ name: 'mariadb', url: process.env.TEST_DATABASE_URL, executor: 'jit' });

  return {
    testTimeout: 60_000,
    // one test file at a time on two cores, but in a worker that is replaced once it holds more than
    // this: run in the main process, the whole suite grew it past 3 GB and later files slowed down
    workerIdleMemoryLimit: '1GB',
    reporters: ['default', '<rootDir>/test/testkit/summary-reporter.js'],
    projects: [
      { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
      ...databases.map((db) => ({
        ...base,
        displayName: db.name,
        testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/sdk/**/*.test.ts'],
        globals: {
          NOKKEL_TEST_DB: db.db ?? db.name,
          NOKKEL_TEST_DB_URL: db.url,
          NOKKEL_TEST_EXECUTOR: db.executor,
          NOKKEL_FOUND: found,
        },
      })),
    ],
  };
};
