import type { EntityManager } from 'typeorm';

/**
 * Runs a write and returns how many rows it matched (`EntityManager.query` hides the count).
 * mysql2 asks for found rows, so on MySQL a duplicate skipped by a no-op `ON DUPLICATE KEY
 * UPDATE` counts too: use the count for reports, not for decisions.
 */
export async function affectedRows(manager: EntityManager, sql: string, params: unknown[]): Promise<number> {
  const own = manager.queryRunner ? null : manager.connection.createQueryRunner();
  const runner = manager.queryRunner ?? own!;
  try {
    const result = await runner.query(sql, params, true);
    return result.affected ?? 0;
  } finally {
    await own?.release();
  }
}
