import { loadConfig } from '../../server/src/config';
import { describeDatabase } from '../../server/src/db/database';

describe('DATABASE_REPLICA_URLS', () => {
  test('adds read replicas to a MySQL/MariaDB primary, described without credentials', () => {
    const database = loadConfig({
      DATABASE_URL: 'mysql://app:secret@primary:3306/nokkel',
      DATABASE_REPLICA_URLS: ' mariadb://app:secret@replica1:3306/nokkel, mysql://app:secret@replica2/nokkel ,',
    }).database;
    expect(database).toMatchObject({
      dialect: 'mysql',
      url: 'mysql://app:secret@primary:3306/nokkel',
      replicaUrls: ['mysql://app:secret@replica1:3306/nokkel', 'mysql://app:secret@replica2/nokkel'],
    });
    const described = describeDatabase(database);
    expect(described).toBe('MySQL/MariaDB (primary:3306/nokkel, replicas replica1:3306/nokkel, replica2:3306/nokkel)');
    expect(described).not.toContain('secret');
  });

  test('unset or empty: no replicas', () => {
    expect(
      loadConfig({ DATABASE_URL: 'mysql://root@db/nokkel', DATABASE_REPLICA_URLS: '' }).database,
    ).not.toHaveProperty('replicaUrls');
  });

  test('refused on SQLite and for URLs that are not MySQL/MariaDB', () => {
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'mysql://root@replica/nokkel' })).toThrow(
      /DATABASE_REPLICA_URLS needs a MySQL\/MariaDB DATABASE_URL/,
    );
    expect(() =>
      loadConfig({ DATABASE_URL: 'mysql://root@db/nokkel', DATABASE_REPLICA_URLS: 'postgres://replica/nokkel' }),
    ).toThrow(/DATABASE_REPLICA_URLS must list mysql:\/\/ or mariadb:\/\/ URLs \(got postgres:…\)/);
  });

  test('SHUTDOWN_DRAIN_MS: 0 unless set', () => {
    expect(loadConfig({}).shutdownDrainMs).toBe(0);
    expect(loadConfig({ SHUTDOWN_DRAIN_MS: '1500' }).shutdownDrainMs).toBe(1500);
    expect(() => loadConfig({ SHUTDOWN_DRAIN_MS: '-1' })).toThrow(/SHUTDOWN_DRAIN_MS/);
  });
});
