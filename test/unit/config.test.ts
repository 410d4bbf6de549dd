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
