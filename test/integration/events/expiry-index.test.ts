import { testDatabaseKind } from '../../testkit/database';
import { useWorld } from '../../testkit/run';

/** R35: the expiry sweep finds keys by a range of `expires_at`, through an index rather than a scan. */

const kit = useWorld({ seed: false });

const SWEEP_RANGE = 'SELECT k.id FROM user_key k WHERE k.revoked_at IS NULL AND k.expires_at > ? AND k.expires_at <= ?';

test('R35: user_key has an index on expires_at, and the sweep’s range uses it', async () => {
  const db = kit.app.server.db;
  const range = ['2026-01-01 00:00:00.000', '2026-01-15 00:00:00.000'];
  if (testDatabaseKind() === 'sqlite') {
    const plan: { detail: string }[] = await db.manager.query(`EXPLAIN QUERY PLAN ${SWEEP_RANGE}`, range);
    expect(plan.map((p) => p.detail).join('\n')).toMatch(
      /USING INDEX idx_user_key_expires_at \(expires_at>\? AND expires_at<\?\)/,
    );
  } else {
    const indexes: { column_name: string }[] = await db.manager.query(
      `SELECT column_name AS column_name FROM information_schema.statistics
       WHERE table_schema = DATABASE() AND table_name = 'user_key' AND index_name = 'idx_user_key_expires_at'`,
    );
    expect(indexes.map((i) => i.column_name)).toEqual(['expires_at']);
    // the optimizer may scan a table this small; the index must at least be a candidate for the range
    const plan: { possible_keys: string | null }[] = await db.manager.query(`EXPLAIN ${SWEEP_RANGE}`, range);
    expect(plan[0].possible_keys ?? '').toContain('idx_user_key_expires_at');
  }
});
