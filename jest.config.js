/**
 * Every test file runs on SQLite, and again on MySQL/MariaDB when TEST_DATABASE_URL is set
 * (CI always sets it). The project name in the output says which database a result is from.
 */
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

const base = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': swc },
  moduleFileExtensions: ['ts', 'js', 'json'],
  setupFiles: ['reflect-metadata'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
};

const databases = [{ name: 'sqlite', url: '' }];
if (process.env.TEST_DATABASE_URL) databases.push({ name: 'mariadb', url: process.env.TEST_DATABASE_URL });

module.exports = {
  testTimeout: 60_000,
  reporters: ['default', '<rootDir>/test/testkit/summary-reporter.js'],
  projects: [
    { ...base, displayName: 'unit', testMatch: ['<rootDir>/test/unit/**/*.test.ts'] },
    ...databases.map((db) => ({
      ...base,
      displayName: db.name,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts', '<rootDir>/test/sdk/**/*.test.ts'],
      globals: { NOKKEL_TEST_DB: db.name, NOKKEL_TEST_DB_URL: db.url },
    })),
  ],
};
