import { sqlParam } from '../../server/src/db/dialect';
import { newId } from '../../server/src/shared/ids';
import type { RawDb } from './raw-db';

const COLUMNS = 'id, office_id, client_id, grantee_id, user_key_id, employee_id, template_id, created_at, updated_at';
/** Rows per statement on SQLite (9 parameters each, under its 32,766-parameter limit). */
const SQLITE_ROWS = 3000;

/**
 * The bulk-link baseline: the same links bulkLinkClients writes, as multi-row
 * INSERT … ON DUPLICATE KEY UPDATE (ON CONFLICT … DO UPDATE on SQLite), with nothing else:
 * no validation, no audit rows, no read-back.
 */
export async function rawBulkLink(
  db: RawDb,
  input: { officeId: string; keyId: string; templateId: string; clientIds: readonly string[] },
): Promise<void> {
  const now = new Date();
  const at = sqlParam(db.dialect, now);
  const upsert =
    db.dialect === 'mysql'
      ? 'ON DUPLICATE KEY UPDATE template_id = VALUES(template_id), updated_at = VALUES(updated_at)'
      : 'ON CONFLICT (grantee_id, client_id) DO UPDATE SET template_id = excluded.template_id, updated_at = excluded.updated_at';
  const perStatement = db.dialect === 'mysql' ? input.clientIds.length : SQLITE_ROWS;
  const statements: { sql: string; params: unknown[] }[] = [];
  for (let start = 0; start < input.clientIds.length; start += perStatement) {
    const slice = input.clientIds.slice(start, start + perStatement);
    const params: unknown[] = [];
    for (const clientId of slice) {
      params.push(
        newId('clientLink'),
        input.officeId,
        clientId,
        input.keyId,
        input.keyId,
        null,
        input.templateId,
        at,
        at,
      );
    }
    statements.push({
      sql: `INSERT INTO client_link (${COLUMNS}) VALUES ${slice.map(() => '(?, ?, ?, ?, ?, ?, ?, ?, ?)').join(', ')} ${upsert}`,
      params,
    });
  }
  await db.execute(statements);
}
