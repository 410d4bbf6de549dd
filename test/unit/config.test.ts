import { loadConfig } from '../../server/src/config';

describe('configuration', () => {
  test('defaults work with nothing set: embedded SQLite, port 4000, demo data, explorer', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 4000,
      host: '127.0.0.1',
      seedDemo: true,
      explorer: true,
      introspection: true,
    });
    expect(config.database).toEqual({ dialect: 'sqlite', path: 'data/nokkel.sqlite' });
  });

  test('production turns off the demo accounts, the explorer, introspection and debug errors unless asked for', () => {
    expect(loadConfig({ NODE_ENV: 'production' })).toMatchObject({
      seedDemo: false,
      explorer: false,
      introspection: false,
      debugErrors: false,
    });
    expect(loadConfig({ NODE_ENV: 'production', SEED_DEMO: 'on', EXPLORER: 'on' })).toMatchObject({
      seedDemo: true,
      explorer: true,
    });
    expect(loadConfig({ NODE_ENV: 'production', DEBUG_ERRORS: 'on' }).debugErrors).toBe(false);
  });

  test.each(['prod', 'staging', 'Production', 'production ', 'live'])(
    'NODE_ENV=%s is production: no explorer, introspection, debug errors or demo accounts',
    (nodeEnv) => {
      expect(loadConfig({ NODE_ENV: nodeEnv, DEBUG_ERRORS: 'on' })).toMatchObject({
        env: 'production',
        seedDemo: false,
        explorer: false,
        introspection: false,
        debugErrors: false,
      });
    },
  );

  test('only exactly development (or unset) and test are not production', () => {
    expect(loadConfig({}).env).toBe('development');
    expect(loadConfig({ NODE_ENV: 'development' }).env).toBe('development');
    expect(loadConfig({ NODE_ENV: 'test' }).env).toBe('test');
    expect(loadConfig({ NODE_ENV: 'Development' }).env).toBe('production');
  });

  test('demo accounts only in development unless SEED_DEMO=on', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'staging' }).seedDemo).toBe(false);
    expect(loadConfig({ NODE_ENV: 'staging', SEED_DEMO: 'on' }).seedDemo).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', SEED_DEMO: 'on' }).seedDemo).toBe(true);
  });

  test('the edge settings have safe defaults and can be set', () => {
    expect(loadConfig({}).edge).toEqual({
      maxConnectionsPerAddress: 64,
      writeTimeoutMs: 20_000,
      addressBudget: { requestsPerMinute: 3000, authFailuresPer15Minutes: 30, badRequestsPerMinute: 300 },
      allowedHosts: null,
      persistedQueries: false,
      refusalHoldMs: 1000,
    });
    expect(
      loadConfig({
        MAX_CONNECTIONS_PER_ADDRESS: '1000',
        WRITE_TIMEOUT_MS: '5000',
        ADDRESS_REQUESTS_PER_MINUTE: '100',
        ADDRESS_AUTH_FAILURES_PER_15_MIN: '3',
        ADDRESS_BAD_REQUESTS_PER_MINUTE: '20',
        ALLOWED_HOSTS: 'localhost, 127.0.0.1:4000,API.example.com',
        PERSISTED_QUERIES: 'on',
        REFUSAL_HOLD_MS: '0',
      }).edge,
    ).toEqual({
      maxConnectionsPerAddress: 1000,
      writeTimeoutMs: 5000,
      addressBudget: { requestsPerMinute: 100, authFailuresPer15Minutes: 3, badRequestsPerMinute: 20 },
      allowedHosts: ['localhost', '127.0.0.1:4000', 'api.example.com'],
      persistedQueries: true,
      refusalHoldMs: 0,
    });
    expect(() => loadConfig({ ALLOWED_HOSTS: 'a b' })).toThrow(/ALLOWED_HOSTS/);
    expect(() => loadConfig({ MAX_CONNECTIONS_PER_ADDRESS: '0' })).toThrow(/MAX_CONNECTIONS_PER_ADDRESS/);
  });

  test('the executor and the pipeline: graphql-jit and the own pipeline unless set otherwise', () => {
    expect(loadConfig({})).toMatchObject({ executor: 'jit', preparedPipeline: true });
    expect(loadConfig({ GRAPHQL_EXECUTOR: 'graphql-js', PREPARED_PIPELINE: 'off' })).toMatchObject({
      executor: 'graphql-js',
      preparedPipeline: false,
    });
    expect(() => loadConfig({ PREPARED_PIPELINE: 'fast' })).toThrow(/PREPARED_PIPELINE must be on or off/);
  });

  test('bad values stop the start with a message naming the setting', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT must be an integer/);
    expect(() => loadConfig({ SEED_DEMO: 'maybe' })).toThrow(/SEED_DEMO must be on or off/);
    expect(() => loadConfig({ DATABASE_URL: 'postgres://x' })).toThrow(/DATABASE_URL must start with/);
    expect(() => loadConfig({ MAX_QUERY_DEPTH: '0' })).toThrow(/MAX_QUERY_DEPTH/);
  });

  test('DATABASE_URL chooses MySQL/MariaDB or a SQLite file', () => {
    expect(loadConfig({ DATABASE_URL: 'mariadb://root@db:3306/nokkel' }).database).toMatchObject({
      dialect: 'mysql',
      url: 'mysql://root@db:3306/nokkel',
    });
    expect(loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.sqlite' }).database).toEqual({
      dialect: 'sqlite',
      path: '/tmp/x.sqlite',
    });
  });
});
