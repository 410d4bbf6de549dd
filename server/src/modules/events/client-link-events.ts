import type { EntityManager } from 'typeorm';
import { dialectOf, jsonRowSource, numberedRowIdSql, sqlTime, type Dialect } from '../../db/dialect';
import { rowIdBase } from '../../db/row-ids';
import { insertEventRows, type EventRowsSelect } from './emit';
import { reductionSelect } from './permissions-reduced';

/** Links about to be written: a key or a person of the office at these clients, under a template. */
export interface LinkChange {
  officeId: string;
  userKeyId: string | null;
  employeeId: string | null;
  /**
   * The clients whose link the change creates or moves, each with the template it is linked under
   * now (null: not linked), as read in the link's transaction with the grantee locked.
   */
  clients: readonly { clientId: string; previousTemplateId: string | null }[];
  templateId: string;
}

/**
 * `client_link.created` for each client not linked yet, `client_link.template_changed` for each
 * linked under another template. Both belong to office and client (R36). The rows come from what
 * the caller read (one JSON parameter of `[client, previous template]`), numbered in client order.
 */
function linkChangesSelect(dialect: Dialect, change: LinkChange, at: Date): EventRowsSelect | null {
  if (!change.clients.length) return null;
  const source = jsonRowSource(dialect, ['client_id', 'previous_template_id']);
  const [client, previous] = [source.col('client_id'), source.col('previous_template_id')];
  const who = `'officeId', ?, 'clientId', ${client}, 'userKeyId', ?, 'employeeId', ?`;
  const grantee = [change.officeId, change.userKeyId, change.employeeId];
  const rows = [...change.clients]
    .sort((a, b) => (a.clientId < b.clientId ? -1 : a.clientId > b.clientId ? 1 : 0))
    .map((c) => (c.previousTemplateId === null ? [c.clientId] : [c.clientId, c.previousTemplateId]));
  return {
    sql: `SELECT ${numberedRowIdSql(dialect, source.ordinal)},
        CASE WHEN ${previous} IS NULL THEN 'client_link.created' ELSE 'client_link.template_changed' END,
        ?, ?, ${client},
        CASE WHEN ${previous} IS NULL THEN JSON_OBJECT(${who}, 'templateId', ?)
             ELSE JSON_OBJECT(${who}, 'previousTemplateId', ${previous}, 'templateId', ?) END
      FROM ${source.from}`,
    params: [
      rowIdBase('accessEvent'),
      sqlTime(at),
      change.officeId,
      ...grantee,
      change.templateId,
      ...grantee,
      change.templateId,
      JSON.stringify(rows),
    ],
  };
}

/**
 * R35: the events of linking (R16) — created or moved to another template at each client, and
 * for a key `user_key.permissions_reduced` where the new template gives it less — in one
 * statement, whatever the number of clients. Call it in the link's transaction, before the links
 * are written (the reductions read the links as they are); a client whose link stays under the
 * same template is not in `clients`.
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
            // only a link that exists can give less after the move; a new one had nothing to lose
            clientIds: change.clients.filter((c) => c.previousTemplateId !== null).map((c) => c.clientId),
            newTemplateId: change.templateId,
          },
          at,
        )
      : null,
  ]);
}
