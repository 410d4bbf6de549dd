import type { EntityManager } from 'typeorm';
import {
  asJsonSql,
  type Dialect,
  dialectOf,
  jsonArrayAggSql,
  jsonRowSource,
  inJsonIds,
  rowIdSql,
  sqlTime,
} from '../../db/dialect';
import { rowIdBase } from '../../db/row-ids';
import { Permission, PermissionSet } from '../../auth/permission';
import { keyStatusSql } from '../keys/key-status-sql';
import { UserKeyStatus } from '../keys/user-key.entity';
import { eventRowsSelect, insertEventRows, type EventRowsSelect } from './emit';
import type { NewAccessEvent, PermissionsReducedCause } from './event-types';

/** R22: administration never takes effect at a client, so losing it there reduces nothing. */
const NEVER_AT_CLIENT: ReadonlySet<Permission> = new Set([
  Permission.USER_ADMIN,
  Permission.ACCOUNT_ADMIN,
  Permission.CLIENT_ADMIN,
]);

/** A change that can shrink keys' effective permissions (R3, R17, R19). */
export type PermissionsReduction =
  /** An employee's permissions changed: every key they own loses what they lost, everywhere. */
  | { cause: 'OWNER_PERMISSIONS'; ownerId: string; before: PermissionSet; after: PermissionSet }
  /** A template's permissions changed: every key linked under it loses them at those clients. */
  | { cause: 'ACCESS_TEMPLATE'; templateId: string; before: PermissionSet; after: PermissionSet }
  /** A key's links at these clients move to another template (call before writing the move). */
  | { cause: 'CLIENT_LINK'; userKeyId: string; clientIds: readonly string[]; newTemplateId: string };

const CAUSE: Record<PermissionsReduction['cause'], PermissionsReducedCause> = {
  OWNER_PERMISSIONS: 'OWNER_PERMISSIONS',
  ACCESS_TEMPLATE: 'ACCESS_TEMPLATE',
  CLIENT_LINK: 'CLIENT_LINK',
};

/** The permissions as rows (name, bit) from one JSON parameter: what a key may have lost. */
function catalog(dialect: Dialect): string {
  const source = jsonRowSource(dialect, [
    { name: 'name', type: 'VARCHAR(20)' },
    { name: 'bit', type: 'INT' },
  ]);
  return `(SELECT ${source.col('name')} AS name, ${source.col('bit')} AS bit FROM ${source.from})`;
}

function catalogParam(permissions: readonly Permission[]): string {
  return JSON.stringify(permissions.map((p) => [p, PermissionSet.of([p]).bits]));
}

/** The key links (`l`) with their keys (`k`) and the keys' owners (`o`), as the reductions at clients read them. */
const LINKS_WITH_KEYS = `FROM client_link l
       JOIN user_key k ON k.id = l.user_key_id
       JOIN employee o ON o.id = k.owner_id`;

/**
 * One event row per grouped row: per affected key (and client). The grouping sits in a derived
 * table because MariaDB numbers rows wrongly (NULL) when a window function and JSON_ARRAYAGG
 * share one grouped SELECT.
 */
function reductions(dialect: Dialect, grouped: string): string {
  return `SELECT ${rowIdSql(dialect, 'g.sort_key')}, ?, ?, g.company_id, g.client_id,
      JSON_OBJECT('userKeyId', g.user_key_id, 'ownerId', g.owner_id, 'clientId', g.client_id, 'cause', ?,
        'removedPermissions', ${asJsonSql(dialect, 'g.removed')})
    FROM (${grouped}) AS g`;
}

/** The grouped columns every variant selects, `removed` being what the key lost there. */
function grouped(dialect: Dialect, sortKey: string, clientId: string): string {
  return `SELECT ${sortKey} AS sort_key, k.id AS user_key_id, k.owner_id, k.company_id, ${clientId} AS client_id,
    ${jsonArrayAggSql(dialect, 'p.name', 'p.bit')} AS removed`;
}

const LIVE_KEY = keyStatusSql('k')[UserKeyStatus.ACTIVE];

/** R23: a deactivated owner's keys can do nothing already, so a change at a client takes nothing from them. */
const ACTIVE_OWNER = `(o.permission_bits & ${PermissionSet.of([Permission.LOGIN]).bits}) <> 0`;

/**
 * The `user_key.permissions_reduced` rows a change causes, as a SELECT: one row for every live
 * key (or key and client) whose effective permissions the change shrinks, listing what it lost.
 * Null when the change takes nothing away. A reduction at a client belongs to the client too (R36).
 */
export function reductionSelect(dialect: Dialect, change: PermissionsReduction, at: Date): EventRowsSelect | null {
  const head = [rowIdBase('accessEvent'), 'user_key.permissions_reduced', sqlTime(at), CAUSE[change.cause]];
  if (change.cause === 'OWNER_PERMISSIONS') {
    const lost = change.before.minus(change.after).toArray();
    if (!lost.length) return null;
    return {
      sql: reductions(
        dialect,
        `${grouped(dialect, 'k.id', 'NULL')}
         FROM user_key k JOIN ${catalog(dialect)} p ON (k.permission_bits & p.bit) <> 0
         WHERE k.owner_id = ? AND ${LIVE_KEY}
         GROUP BY k.id, k.owner_id, k.company_id`,
      ),
      params: [...head, catalogParam(lost), change.ownerId, sqlTime(at)],
    };
  }
  if (change.cause === 'ACCESS_TEMPLATE') {
    const lost = change.before
      .minus(change.after)
      .toArray()
      .filter((p) => !NEVER_AT_CLIENT.has(p));
    if (!lost.length) return null;
    return {
      sql: reductions(
        dialect,
        `${grouped(dialect, 'l.id', 'l.client_id')}
         ${LINKS_WITH_KEYS}
         JOIN ${catalog(dialect)} p ON (k.permission_bits & o.permission_bits & p.bit) <> 0
         WHERE l.template_id = ? AND ${LIVE_KEY} AND ${ACTIVE_OWNER}
         GROUP BY l.id, l.client_id, k.id, k.owner_id, k.company_id`,
      ),
      params: [...head, catalogParam(lost), change.templateId, sqlTime(at)],
    };
  }
  if (!change.clientIds.length) return null;
  const atClient = PermissionSet.ALL.toArray().filter((p) => !NEVER_AT_CLIENT.has(p));
  const among = inJsonIds(dialect, 'l.client_id', change.clientIds);
  return {
    sql: reductions(
      dialect,
      `${grouped(dialect, 'l.id', 'l.client_id')}
       ${LINKS_WITH_KEYS}
       JOIN access_template ot ON ot.id = l.template_id
       JOIN access_template nt ON nt.id = ?
       JOIN ${catalog(dialect)} p
         ON (k.permission_bits & o.permission_bits & ot.permission_bits & p.bit) <> 0 AND (nt.permission_bits & p.bit) = 0
       WHERE l.user_key_id = ? AND ${among.sql} AND ${LIVE_KEY} AND ${ACTIVE_OWNER}
       GROUP BY l.id, l.client_id, k.id, k.owner_id, k.company_id`,
    ),
    params: [...head, change.newTemplateId, catalogParam(atClient), change.userKeyId, among.param, sqlTime(at)],
  };
}

/**
 * R35: emits `user_key.permissions_reduced` for every live key whose effective permissions the
 * change shrinks — one `INSERT … SELECT` for all affected keys, in the change's transaction —
 * together with the change's own events (`alongside`, e.g. `access_template.updated`) in the same
 * statement. No statement at all when there is nothing to write.
 */
export function emitPermissionsReduced(
  manager: EntityManager,
  change: PermissionsReduction,
  at: Date = new Date(),
  alongside: readonly NewAccessEvent[] = [],
): Promise<void> {
  const dialect = dialectOf(manager);
  return insertEventRows(manager, [reductionSelect(dialect, change, at), eventRowsSelect(dialect, alongside, at)]);
}
