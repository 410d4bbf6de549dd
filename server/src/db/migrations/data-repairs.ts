import { withoutAdministration } from '../../rules/client-access';
import { nameKey } from '../../shared/names';
import { PermissionSet } from '../../shared/permission';

/** Runs one SQL statement with positional parameters (a migration's query runner, or a data source). */
export type RunQuery = (sql: string, params?: unknown[]) => Promise<unknown>;

/**
 * Brings data written before the rules it now has to follow up to them. Every step is idempotent
 * and touches only rows that need it. The AuthorizationCore migration runs it (on SQLite too, for a
 * file an earlier release synchronised), and the demo data after loading.
 *
 * - R22: no access template holds an administration permission.
 * - R25: every key has a secret holder (the key itself, for keys from before holders).
 * - Names: look-alike keys for templates, clients and active keys, where no earlier row already
 *   has the same one (such a legacy duplicate keeps working, outside the uniqueness it predates);
 *   client organisation numbers copied to the office's client list the same way.
 */
export async function repairData(run: RunQuery): Promise<void> {
  const query = async <T>(sql: string, params: unknown[] = []) => (await run(sql, params)) as T[];
  const keep = withoutAdministration(PermissionSet.ALL).bits;
  await query(
    `UPDATE access_template SET permission_bits = permission_bits & ? WHERE (permission_bits & ?) <> permission_bits`,
    [keep, keep],
  );
  await query('UPDATE user_key SET secret_holder_id = id WHERE secret_holder_id IS NULL');

  /** Sets `column` on rows missing it, skipping values their scope already holds. */
  const fill = async (
    table: string,
    column: string,
    scope: string,
    rows: { id: string; scope: string; value: string | null }[],
  ) => {
    if (!rows.length) return;
    const taken = new Set(
      (
        await query<{ scope: string; value: string }>(
          `SELECT ${scope} AS scope, ${column} AS value FROM ${table} WHERE ${column} IS NOT NULL`,
        )
      ).map((r) => `${r.scope}|${r.value}`),
    );
    for (const row of rows) {
      if (row.value === null || taken.has(`${row.scope}|${row.value}`)) continue;
      taken.add(`${row.scope}|${row.value}`);
      await query(`UPDATE ${table} SET ${column} = ? WHERE id = ?`, [row.value, row.id]);
    }
  };

  /** Fills `column` with the look-alike key of each selected row's `name`, scoped by `scope`. */
  const fillNameKeys = async (table: string, column: string, scope: string, select: string) => {
    const rows = await query<Record<string, string>>(select);
    await fill(
      table,
      column,
      scope,
      rows.map((r) => ({ id: r.id, scope: r[scope], value: nameKey(r.name) })),
    );
  };

  await fillNameKeys(
    'access_template',
    'name_key',
    'office_id',
    'SELECT id, office_id, name FROM access_template WHERE name_key IS NULL ORDER BY id',
  );
  await fillNameKeys(
    'user_key',
    'active_name_key',
    'owner_id',
    'SELECT id, owner_id, name FROM user_key WHERE active_name_key IS NULL AND revoked_at IS NULL ORDER BY id',
  );

  const clients = await query<{ id: string; office_id: string; name: string; org_number: string | null }>(
    `SELECT r.id, r.office_id, c.name, c.org_number FROM client_relation r JOIN company c ON c.id = r.client_id
     WHERE r.client_name_key IS NULL ORDER BY r.id`,
  );
  await fill(
    'client_relation',
    'client_name_key',
    'office_id',
    clients.map((c) => ({ id: c.id, scope: c.office_id, value: nameKey(c.name) })),
  );
  await fill(
    'client_relation',
    'client_org_number',
    'office_id',
    clients.map((c) => ({ id: c.id, scope: c.office_id, value: c.org_number })),
  );
}
