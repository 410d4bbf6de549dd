import type { EntityManager } from 'typeorm';
import { dialectOf, jsonRowSource, rowIdSql, sqlTime, type Dialect } from '../../db/dialect';
import { rowIdBase } from '../../db/row-ids';
import { insertEventRows, type EventRowsSelect } from './emit';
import { reductionSelect } from './permissions-reduced';

/** Links about to be written: a key or a person of the office at these clients, under a template. */
export interface LinkChange {
  officeId: string;
  /** The key's or the employee's id (`client_link.grantee_id`). */
  granteeId: string;
  userKeyId: string | null;
  employeeId: string | null;
  clientIds: readonly string[];
  templateId: string;
}

/**
 * `client_link.created` for each client not linked yet, `client_link.template_changed` for each
 * linked under another template — decided by the links as they are, so it runs before the links
 * are written. Both belong to office and client (R36).
 */
function linkChangesSelect(dialect: Dialect, change: LinkChange, at: Date): EventRowsSelect | null {
  if (!change.clientIds.length) return null;
  const clients = jsonRowSource(dialect, [{ name: 'client_id', type: 'VARCHAR(32)' }]);
  const who = "'officeId', ?, 'clientId', c.client_id, 'userKeyId', ?, 'employeeId', ?";
  const grantee = [change.officeId, change.userKeyId, change.employeeId];
  return {
    sql: `SELECT ${rowIdSql(dialect, 'c.client_id')},
        CASE WHEN l.id IS NULL THEN 'client_link.created' ELSE 'client_link.template_changed' END,
        ?, ?, c.client_id,
        CASE WHEN l.id IS NULL THEN JSON_OBJECT(${who}, 'templateId', ?)
             ELSE JSON_OBJECT(${who}, 'previousTemplateId', l.template_id, 'templateId', ?) END
      FROM (SELECT ${clients.col('client_id')} AS client_id FROM ${clients.from}) AS c
      LEFT JOIN client_link l ON l.grantee_id = ? AND l.client_id = c.client_id
      WHERE l.id IS NULL OR l.template_id <> ?`,
    params: [
      rowIdBase('accessEvent'),
      sqlTime(at),
      change.officeId,
      ...grantee,
      change.templateId,
      ...grantee,
      change.templateId,
      JSON.stringify(change.clientIds.map((id) => [id])),
      change.granteeId,
      change.templateId,
    ],
  };
}

/**
 * R35: the events of linking (R16) — created or moved to another template at each client, and
 * for a key `user_key.permissions_reduced` where the new template gives it less — in one
 * statement, whatever the number of clients. Call it in the link's transaction, before the links
 * are written; re-linking under the same template emits nothing.
 */
export function emitClientLinkChanges(
  manager: EntityManager,
  change: LinkChange,
  at: Date = new Date(),
): Promise<void> {
  const dialect = dialectOf(manager);
  return insertEventRows(manager, [
    linkChangesSelect(dialect, change, at),
    change.userKeyId
      ? reductionSelect(
          dialect,
          {
            cause: 'CLIENT_LINK',
            userKeyId: change.userKeyId,
            clientIds: change.clientIds,
            newTemplateId: change.templateId,
          },
          at,
        )
      : null,
  ]);
}
